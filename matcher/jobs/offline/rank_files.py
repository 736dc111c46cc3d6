"""`matcher rank` on interchange files alone: every requisition against every candidate -> CSV."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from matcher.engine.artefact import load_model
from matcher.engine.pipeline import rank
from matcher.engine.pool import CandidatePool
from matcher.jobs.offline.dataset import load_candidates, load_requisitions

CSV_COLUMNS = ("requisition_id", "candidate_id", "rank", "score", "eligibility")


def rank_files(
    *,
    candidates: Path,
    requisitions: Path,
    out: Path,
    top_k: int,
    model_dir: Path | None,
    today: date,
    include_ineligible: bool = False,
) -> int:
    """Write the top `top_k` candidates per requisition; returns the number of rows written.

    Uses the model in `model_dir`, or the default weighted score when it is None. Eligibility
    is blank when it was not assessed.
    """
    model = load_model(model_dir) if model_dir is not None else None
    cands = load_candidates(candidates)
    reqs = load_requisitions(requisitions)
    pool = CandidatePool.build(list(range(len(cands))), [""] * len(cands), cands)
    out.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(CSV_COLUMNS)
        for requisition in reqs:
            matches = rank(requisition, pool, top_k_count=top_k, model=model, today=today,
                           include_ineligible=include_ineligible)  # fmt: skip
            for m in matches:
                writer.writerow((requisition.external_id, cands[m.candidate_id].external_id,
                                 m.rank, f"{m.score:.6f}", m.eligibility or ""))  # fmt: skip
                written += 1
    return written
