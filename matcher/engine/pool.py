"""A candidate pool in columns, built once from domain records and reused across requests.

Only the columns that ranking features read are extracted; protected attributes (name, date
of birth, contact details) stay in `records` and never become a column.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date

import numpy as np
import numpy.typing as npt

from matcher.domain.codes import CEFR_ORDER, MODALITIES, ContractType, Shift
from matcher.domain.records import CandidateRecord
from matcher.rules.fx import FxTable, default_fx
from matcher.rules.titles import CONFIDENCE_THRESHOLD, UNKNOWN, normalise_titles

MODALITY_INDEX = {m.value: i for i, m in enumerate(MODALITIES)}
SHIFT_INDEX = {s.value: i for i, s in enumerate(Shift)}
CONTRACT_INDEX = {c.value: i for i, c in enumerate(ContractType)}
LANGUAGE_LEVEL_UNKNOWN = -1  # listed without a CEFR level; 0 means not listed at all
_EPOCH = np.datetime64("1970-01-01", "D")


def fold_title(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form used for fuzzy title comparison."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = (" " if not (ch.isalnum() or ch.isspace()) else ch for ch in decomposed)
    return " ".join("".join(ch for ch in kept if not unicodedata.combining(ch)).split())


def title_forms(titles: Sequence[str]) -> list[str]:
    """The form titles are compared in: canonical where the title normaliser recognises one.

    A recognised title becomes "<occupation> <modalities it names>" ("MTRA im CT" and
    "CT Radiographer" both read "radiographer ct"), so titles match across languages;
    anything else falls back to the folded title as written.
    """
    matches = normalise_titles(list(titles))
    forms = []
    for title, match in zip(titles, matches, strict=True):
        if match.occupation != UNKNOWN and match.confidence >= CONFIDENCE_THRESHOLD:
            words = [match.occupation.replace("_", " "), *sorted(match.modalities)]
            forms.append(" ".join(words).replace("_", " "))
        else:
            forms.append(fold_title(title))
    return forms


def modality_mask(modalities: Sequence[str]) -> npt.NDArray[np.bool_]:
    mask = np.zeros(len(MODALITIES), dtype=np.bool_)
    for m in modalities:
        mask[MODALITY_INDEX[m]] = True
    return mask


def day_number(value: date | None) -> float:
    """Days since 1970-01-01 as a float, NaN for None: dates as a numeric column."""
    if value is None:
        return float("nan")
    return float((np.datetime64(value, "D") - _EPOCH).astype(np.int64))


def _vocabulary(values: Sequence[Sequence[str]]) -> dict[str, int]:
    return {v: i for i, v in enumerate(sorted({v for row in values for v in row}))}


def _membership(rows: Sequence[Sequence[str]], index: dict[str, int]) -> npt.NDArray[np.bool_]:
    out = np.zeros((len(rows), len(index)), dtype=np.bool_)
    for r, row in enumerate(rows):
        for value in row:
            col = index.get(value)
            if col is not None:
                out[r, col] = True
    return out


@dataclass(frozen=True)
class CandidatePool:
    ids: npt.NDArray[np.int64]
    agencies: tuple[str, ...]
    records: tuple[CandidateRecord, ...]
    occupations: npt.NDArray[np.str_]  # "" where unknown
    titles: npt.NDArray[np.str_]  # folded
    title_vocab: npt.NDArray[np.str_]  # distinct title_forms: fuzzy-matched once per request
    title_codes: npt.NDArray[np.int32]  # row -> position in title_vocab
    has_modality: npt.NDArray[np.bool_]  # (n, len(MODALITIES))
    modality_years: npt.NDArray[np.float32]  # (n, len(MODALITIES))
    years_experience: npt.NDArray[np.float32]
    countries: npt.NDArray[np.str_]  # country of residence (location only, never nationality)
    lat: npt.NDArray[np.float64]  # NaN where unknown
    lon: npt.NDArray[np.float64]
    willing_to_relocate: npt.NDArray[np.bool_]
    country_vocab: dict[str, int]  # column of each preferred country in `prefers_country`
    prefers_country: npt.NDArray[np.bool_]  # (n, len(country_vocab))
    prefers_shift: npt.NDArray[np.bool_]  # (n, len(Shift)); a row of False = no preference
    prefers_contract: npt.NDArray[np.bool_]  # (n, len(ContractType))
    min_salary_eur_year: npt.NDArray[np.float64]  # NaN where not stated
    available_day: npt.NDArray[np.float64]  # day_number(available_from), NaN where unknown
    language_vocab: dict[str, int]
    language_levels: npt.NDArray[np.int8]  # (n, len(language_vocab)): 0 absent, 1..6 CEFR
    equipment_vocab: tuple[str, ...]  # folded equipment names
    equipment_codes: npt.NDArray[np.int32]  # (n, max items) into equipment_vocab, -1 padding

    def __len__(self) -> int:
        return int(self.ids.shape[0])

    @classmethod
    def build(
        cls,
        ids: Sequence[int],
        agencies: Sequence[str],
        records: Sequence[CandidateRecord],
        *,
        fx: FxTable | None = None,
    ) -> CandidatePool:
        fx = fx or default_fx()
        n = len(records)
        has = np.zeros((n, len(MODALITIES)), dtype=np.bool_)
        years = np.zeros((n, len(MODALITIES)), dtype=np.float32)
        for row, record in enumerate(records):
            for exp in record.modalities:
                col = MODALITY_INDEX[exp.modality.value]
                has[row, col] = True
                years[row, col] = max(years[row, col], exp.years)
        prefs = [r.preferences for r in records]
        pref_countries = [list(p.countries) for p in prefs]
        country_vocab = _vocabulary(pref_countries)
        language_vocab = _vocabulary([[s.language for s in r.languages] for r in records])
        levels = np.zeros((n, len(language_vocab)), dtype=np.int8)
        for row, record in enumerate(records):
            for skill in record.languages:
                col = language_vocab[skill.language]
                if skill.cefr is not None:
                    levels[row, col] = max(int(levels[row, col]), CEFR_ORDER[skill.cefr.value])
                elif levels[row, col] == 0:
                    levels[row, col] = LANGUAGE_LEVEL_UNKNOWN
        equipment = [sorted({fold_title(e) for e in r.equipment if e.strip()}) for r in records]
        equipment_vocab = tuple(sorted({e for row in equipment for e in row}))
        equipment_index = {e: i for i, e in enumerate(equipment_vocab)}
        width = max((len(row) for row in equipment), default=0)
        codes = np.full((n, width), -1, dtype=np.int32)
        for row, items in enumerate(equipment):
            codes[row, : len(items)] = [equipment_index[e] for e in items]
        salary = [p.min_salary for p in prefs]
        titles = np.asarray([fold_title(r.title) for r in records], dtype=np.str_)
        forms = np.asarray(title_forms([r.title for r in records]), dtype=np.str_)
        title_vocab, title_codes = np.unique(forms, return_inverse=True)
        return cls(
            ids=np.asarray(ids, dtype=np.int64),
            agencies=tuple(agencies),
            records=tuple(records),
            occupations=np.asarray(
                [r.occupation.value if r.occupation else "" for r in records], dtype=np.str_
            ),
            titles=titles,
            title_vocab=title_vocab,
            title_codes=title_codes.astype(np.int32),
            has_modality=has,
            modality_years=years,
            years_experience=np.asarray([r.years_experience for r in records], dtype=np.float32),
            countries=np.asarray([r.country for r in records], dtype=np.str_),
            lat=np.asarray(
                [
                    r.location.lat if r.location and r.location.lat is not None else np.nan
                    for r in records
                ],
                dtype=np.float64,
            ),
            lon=np.asarray(
                [
                    r.location.lon if r.location and r.location.lon is not None else np.nan
                    for r in records
                ],
                dtype=np.float64,
            ),
            willing_to_relocate=np.asarray([p.willing_to_relocate for p in prefs], dtype=np.bool_),
            country_vocab=country_vocab,
            prefers_country=_membership(pref_countries, country_vocab),
            prefers_shift=_membership([[s.value for s in p.shifts] for p in prefs], SHIFT_INDEX),
            prefers_contract=_membership(
                [[c.value for c in p.contract_types] for p in prefs], CONTRACT_INDEX
            ),
            min_salary_eur_year=fx.to_eur_per_year_many(
                np.asarray([s.amount if s else np.nan for s in salary], dtype=np.float64),
                np.asarray([s.currency if s else "" for s in salary], dtype=np.str_),
                np.asarray([s.period.value if s else "year" for s in salary], dtype=np.str_),
            ),
            available_day=np.asarray([day_number(r.available_from) for r in records]),
            language_vocab=language_vocab,
            language_levels=levels,
            equipment_vocab=equipment_vocab,
            equipment_codes=codes,
        )

    def take(self, positions: npt.NDArray[np.intp]) -> CandidatePool:
        """The sub-pool at `positions`, vocabularies shared."""
        values: dict[str, object] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "title_vocab":  # before the ndarray case: it is an array too
                values[f.name] = value  # shared vocabulary, not one entry per row
            elif isinstance(value, np.ndarray):
                values[f.name] = value[positions]
            elif isinstance(value, tuple) and f.name in ("agencies", "records"):
                values[f.name] = tuple(value[i] for i in positions)
            else:
                values[f.name] = value
        return CandidatePool(**values)  # type: ignore[arg-type]
