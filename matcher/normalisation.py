"""Derive a canonical occupation for records that do not state one.

Interim keyword rules; the multilingual taxonomy and fuzzy title normaliser replace the
internals of `derive_occupations` while keeping its signature.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import TypeVar

from matcher.domain.codes import Occupation
from matcher.domain.records import CandidateRecord, RequisitionRecord

RecordT = TypeVar("RecordT", CandidateRecord, RequisitionRecord)

# Most specific first: "MRI radiographer" is an MRI technologist, "CT radiographer" is not.
_RULES: tuple[tuple[re.Pattern[str], Occupation], ...] = tuple(
    (re.compile(pattern), occupation)
    for pattern, occupation in (
        (
            r"radiation therap|radiotherap|therapeutic radiograph|\brtt\b",
            Occupation.RADIATION_THERAPIST,
        ),
        (
            r"nuclear|nucleaire|nuklear|nucleare|\bcnmt\b|\bnm\b",
            Occupation.NUCLEAR_MEDICINE_TECHNOLOGIST,
        ),
        (r"\bmri\b|\bmr\b|magnetic|resonan|\brm\b", Occupation.MRI_TECHNOLOGIST),
        (
            r"cardiovascular|cath lab|\brcis\b|hemodinam|haemodynam",
            Occupation.CARDIOVASCULAR_TECHNOLOGIST,
        ),
        (
            r"sonograph|ultrasound|echograph|ecograf|\brdms\b|\brdcs\b|\bdms\b|echocardio",
            Occupation.SONOGRAPHER,
        ),
        (
            r"radiograph|radiolog|x-?ray|\bmtra?\b|\bct\b|mammo|\btsrm\b|manipulat|rontgen|tomograf",
            Occupation.RADIOGRAPHER,
        ),
    )
)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def derive_occupations(titles: Sequence[str]) -> list[Occupation | None]:
    """The canonical occupation each title names, or None when it names none we know."""
    derived: list[Occupation | None] = []
    for title in titles:
        folded = _fold(title)
        derived.append(next((occ for rx, occ in _RULES if rx.search(folded)), None))
    return derived


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
