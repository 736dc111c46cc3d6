"""Derive a canonical occupation for records that do not state one.

The title normaliser (matcher.rules.titles, taxonomy in fixtures/taxonomy/) reads titles in any of
our languages; a title it cannot place with enough confidence gives no occupation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from matcher.domain.codes import Occupation
from matcher.domain.records import CandidateRecord, RequisitionRecord
from matcher.rules.titles import UNKNOWN, normalise_titles

RecordT = TypeVar("RecordT", CandidateRecord, RequisitionRecord)


def derive_occupations(titles: Sequence[str]) -> list[Occupation | None]:
    """The canonical occupation each title names, or None when it names none we know."""
    return [
        None if match.occupation == UNKNOWN else Occupation(match.occupation)
        for match in normalise_titles(titles)
    ]


def with_derived_occupation(records: Sequence[RecordT]) -> list[RecordT]:
    """Fill `occupation` from the title where a record leaves it out; stated values win."""
    missing = [i for i, r in enumerate(records) if r.occupation is None]
    if not missing:
        return list(records)
    derived = derive_occupations([records[i].title for i in missing])
    out = list(records)
    for i, occupation in zip(missing, derived, strict=True):
        if occupation is not None:
            out[i] = records[i].model_copy(update={"occupation": occupation})
    return out
