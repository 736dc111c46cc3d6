"""A candidate pool in columns, built once from domain records and reused across requests."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matcher.domain.codes import MODALITIES
from matcher.domain.records import CandidateRecord

MODALITY_INDEX = {m.value: i for i, m in enumerate(MODALITIES)}


def fold_title(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form used for fuzzy title comparison."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = (" " if not (ch.isalnum() or ch.isspace()) else ch for ch in decomposed)
    return " ".join("".join(ch for ch in kept if not unicodedata.combining(ch)).split())


def modality_mask(modalities: Sequence[str]) -> npt.NDArray[np.bool_]:
    mask = np.zeros(len(MODALITIES), dtype=np.bool_)
    for m in modalities:
        mask[MODALITY_INDEX[m]] = True
    return mask


@dataclass(frozen=True)
class CandidatePool:
    ids: npt.NDArray[np.int64]
    agencies: tuple[str, ...]
    records: tuple[CandidateRecord, ...]
    occupations: npt.NDArray[np.str_]  # "" where unknown
    titles: npt.NDArray[np.str_]  # folded
    has_modality: npt.NDArray[np.bool_]  # (n, len(MODALITIES))
    modality_years: npt.NDArray[np.float32]  # (n, len(MODALITIES))
    years_experience: npt.NDArray[np.float32]

    def __len__(self) -> int:
        return int(self.ids.shape[0])

    @classmethod
    def build(
        cls, ids: Sequence[int], agencies: Sequence[str], records: Sequence[CandidateRecord]
    ) -> CandidatePool:
        n = len(records)
        has = np.zeros((n, len(MODALITIES)), dtype=np.bool_)
        years = np.zeros((n, len(MODALITIES)), dtype=np.float32)
        for row, record in enumerate(records):
            for exp in record.modalities:
                col = MODALITY_INDEX[exp.modality.value]
                has[row, col] = True
                years[row, col] = max(years[row, col], exp.years)
        return cls(
            ids=np.asarray(ids, dtype=np.int64),
            agencies=tuple(agencies),
            records=tuple(records),
            occupations=np.asarray(
                [r.occupation.value if r.occupation else "" for r in records], dtype=np.str_
            ),
            titles=np.asarray([fold_title(r.title) for r in records], dtype=np.str_),
            has_modality=has,
            modality_years=years,
            years_experience=np.asarray([r.years_experience for r in records], dtype=np.float32),
        )

    def take(self, positions: npt.NDArray[np.intp]) -> CandidatePool:
        return CandidatePool(
            ids=self.ids[positions],
            agencies=tuple(self.agencies[i] for i in positions),
            records=tuple(self.records[i] for i in positions),
            occupations=self.occupations[positions],
            titles=self.titles[positions],
            has_modality=self.has_modality[positions],
            modality_years=self.modality_years[positions],
            years_experience=self.years_experience[positions],
        )
