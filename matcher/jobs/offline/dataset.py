"""Labelled training data from interchange files alone: records + outcomes -> X, y, groups.

Relevance grades (the furthest stage a pair reached): placed 4, offered 3, interviewed 2,
shortlisted 1; submitted, rejected and withdrawn alone are 0. A pair rejected after an
interview keeps grade 2: it got further than one never shortlisted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from matcher.domain.codes import Stage
from matcher.domain.records import CandidateRecord, OutcomeRecord, Record, RequisitionRecord
from matcher.eligibility.gate import lead_times
from matcher.eligibility.index import EligibilityIndex
from matcher.engine.featurize import FEATURE_NAMES, featurize
from matcher.engine.pool import CandidatePool
from matcher.errors import FieldError, InvalidInputError, RowError
from matcher.rules.titles.occupations import with_derived_occupation
from matcher.service.ingest import read_rows, validate_rows

GRADES: dict[Stage, int] = {
    Stage.PLACED: 4,
    Stage.OFFERED: 3,
    Stage.INTERVIEWED: 2,
    Stage.SHORTLISTED: 1,
}

R = TypeVar("R", bound=Record)


def load_records(path: Path | str, model: type[R], *, unique_key: str | None) -> list[R]:
    """Every valid record of a JSONL/CSV file, or one error listing every bad row."""
    valid, errors = validate_rows(read_rows(path, model), model, unique_key=unique_key)
    if errors:
        raise InvalidInputError(f"{path}: {len(errors)} row(s) rejected", rows=errors)
    return [record for _, record in valid]


def load_candidates(path: Path | str) -> list[CandidateRecord]:
    return with_derived_occupation(load_records(path, CandidateRecord, unique_key="external_id"))


def load_requisitions(path: Path | str) -> list[RequisitionRecord]:
    return with_derived_occupation(load_records(path, RequisitionRecord, unique_key="external_id"))


def load_outcomes(path: Path | str) -> list[OutcomeRecord]:
    return load_records(path, OutcomeRecord, unique_key=None)


def grades(outcomes: Sequence[OutcomeRecord]) -> dict[tuple[str, str], int]:
    """(requisition_id, candidate_id) -> furthest grade reached."""
    best: dict[tuple[str, str], int] = {}
    for o in outcomes:
        key = (o.requisition_id, o.candidate_id)
        best[key] = max(best.get(key, 0), GRADES.get(o.stage, 0))
    return best


@dataclass(frozen=True)
class LabelledData:
    feature_names: tuple[str, ...]
    X: npt.NDArray[np.float32]
    y: npt.NDArray[np.float64]
    groups: npt.NDArray[np.int64]  # index into requisition_ids
    requisition_ids: tuple[str, ...]
    candidate_ids: tuple[str, ...]  # one per row

    def sha256(self) -> str:
        """Hash of exactly what the model is trained on (features, grades, groups)."""
        h = hashlib.sha256()
        h.update(",".join(self.feature_names).encode())
        for arr in (np.ascontiguousarray(self.X), self.y, self.groups):
            h.update(arr.tobytes())
        return h.hexdigest()


def labelled_data(
    candidates: Sequence[CandidateRecord],
    requisitions: Sequence[RequisitionRecord],
    outcomes: Sequence[OutcomeRecord],
    *,
    today: date,
) -> LabelledData:
    """Features and grades for every (requisition, candidate) pair that has an outcome.

    Every outcome must name a known requisition and candidate; all unknown ids are reported.
    """
    cand_pos = {c.external_id: i for i, c in enumerate(candidates)}
    req_by_id = {r.external_id: r for r in requisitions}
    problems: list[RowError] = []
    for index, o in enumerate(outcomes):
        errors = []
        if o.requisition_id not in req_by_id:
            errors.append(FieldError("requisition_id", "no requisition has this id"))
        if o.candidate_id not in cand_pos:
            errors.append(FieldError("candidate_id", "no candidate has this id"))
        if errors:
            problems.append(RowError(index, index + 1, tuple(errors)))
    if problems:
        raise InvalidInputError(f"{len(problems)} outcome(s) name unknown records", rows=problems)

    graded = grades(outcomes)
    by_req: dict[str, list[tuple[str, int]]] = {}
    for (req_id, cand_id), grade in sorted(graded.items()):
        by_req.setdefault(req_id, []).append((cand_id, grade))
    pool = CandidatePool.build(list(range(len(candidates))), [""] * len(candidates), candidates)
    eligibility = EligibilityIndex(pool.records, today)
    blocks: list[npt.NDArray[np.float32]] = []
    ys: list[int] = []
    group_ids: list[int] = []
    cand_ids: list[str] = []
    req_ids = tuple(by_req)
    for g, req_id in enumerate(req_ids):
        pairs = by_req[req_id]
        positions = np.array([cand_pos[c] for c, _ in pairs], dtype=np.intp)
        requisition = req_by_id[req_id]
        features = featurize(
            requisition,
            pool,
            positions,
            today=today,
            lead_time_days=lead_times(eligibility, positions, requisition),
        )
        blocks.append(features.values)
        ys.extend(grade for _, grade in pairs)
        group_ids.extend([g] * len(pairs))
        cand_ids.extend(c for c, _ in pairs)
    x = (
        np.asfortranarray(np.concatenate(blocks))
        if blocks
        else np.zeros((0, len(FEATURE_NAMES)), dtype=np.float32)
    )
    return LabelledData(
        FEATURE_NAMES,
        x,
        np.asarray(ys, dtype=np.float64),
        np.asarray(group_ids, dtype=np.int64),
        req_ids,
        tuple(cand_ids),
    )
