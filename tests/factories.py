"""Seeded record factories for tests: valid interchange dicts, tweakable per test."""

from __future__ import annotations

import json
from copy import deepcopy
from pathlib import Path
from typing import Any

from matcher.service.ingest import RawRow
from matcher.synthetic.generator import generate


def sample_records(
    n_candidates: int = 20, n_requisitions: int = 5, seed: int = 11
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    candidates, requisitions = generate(n_candidates, n_requisitions, seed=seed)
    return deepcopy(candidates), deepcopy(requisitions)


def write_jsonl(path: Path, rows: list[dict[str, Any]] | list[str]) -> Path:
    lines = [row if isinstance(row, str) else json.dumps(row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def raw_rows(records: list[dict[str, Any]]) -> list[RawRow]:
    """Rows as the readers would yield them, numbered from line 1."""
    return [RawRow(i, i + 1, dict(r)) for i, r in enumerate(records)]
