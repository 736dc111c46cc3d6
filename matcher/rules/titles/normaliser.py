"""Job title -> canonical occupation, named modalities and a confidence, in any of our languages.

Steps, applied to the distinct titles of a batch only:
1. fold (case, accents, punctuation), drop noise words ("Senior", "Band 6", "night shift"),
   rewrite variants ("tech" -> "technologist", "técnica" -> "técnico"), drop stopwords;
2. read the modalities the title names (whole-word terms from modalities.toml) and whether it
   names an excluded occupation ("radiologist", "nurse", "ECG");
3. score the remaining distinguishing words against every synonym in one rapidfuzz cdist
   (token_sort_ratio, and token_set_ratio minus a penalty so that extra words cost a little);
4. below CONFIDENCE_THRESHOLD the occupation is "unknown"; a generalist (radiographer) title
   that names a specialist modality becomes that specialist ("MRI radiographer").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from matcher.domain.codes import MODALITIES
from matcher.rules.taxonomy import Taxonomy, TitleText, fold, load_taxonomy, text_rules
from matcher.rules.taxonomy.text import phrase_pattern

UNKNOWN = "unknown"
# Below this similarity (0-1) a title is not trusted to name any occupation. Chosen on the
# tune split of fixtures/titles/labelled.csv (docs/titles.md); the test split never saw it.
CONFIDENCE_THRESHOLD = 0.85
# token_set_ratio scores 100 whenever one side's words are a subset of the other's; the
# penalty (in points of 100) keeps "synonym plus unrelated words" below an exact match, and
# a title that says less than the synonym ("Therapist" for "radiation therapist") pays twice.
SUBSET_PENALTY = 10.0
SHORTER_TITLE_PENALTY = 10.0

_MODALITY_ORDER = {m.value: i for i, m in enumerate(MODALITIES)}


@dataclass(frozen=True)
class TitleMatch:
    title: str
    occupation: str  # an Occupation value, or "unknown"
    modalities: tuple[str, ...]
    confidence: float  # similarity of the best synonym, 0-1; 0 when an excluded term matched


@dataclass(frozen=True)
class _Analysis:
    core: str
    vetoed: bool
    modalities: tuple[str, ...]


@dataclass(frozen=True)
class CompiledTaxonomy:
    """Everything the normaliser needs, built once per taxonomy directory."""

    rules: TitleText
    choices: tuple[str, ...]  # distinguishing words of each synonym
    choice_occupations: npt.NDArray[np.str_]
    choice_lengths: npt.NDArray[np.int32]  # words in each choice
    choice_modalities: tuple[frozenset[str], ...]  # modalities the synonym itself names
    shields: re.Pattern[str] | None  # whole synonyms: a word inside one is not a veto
    vetoes: re.Pattern[str] | None
    modality_terms: re.Pattern[str] | None
    modality_of: dict[str, str]
    modality_prefixes: tuple[tuple[str, str], ...]
    specialist_of: dict[str, str]
    generalists: frozenset[str]

    def analyse(self, title: str) -> _Analysis:
        return self.analyse_expanded(self.rules.expand(title))

    def analyse_expanded(self, expanded: str) -> _Analysis:
        return _Analysis(
            core=self.rules.core(expanded),
            vetoed=self._vetoed(expanded),
            modalities=self.modalities_named(expanded),
        )

    def _vetoed(self, expanded: str) -> bool:
        if self.vetoes is None or self.vetoes.search(expanded) is None:
            return False
        shields = [m.span() for m in self.shields.finditer(expanded)] if self.shields else []
        return any(
            not any(s <= m.start() and m.end() <= e for s, e in shields)
            for m in self.vetoes.finditer(expanded)
        )

    def modalities_named(self, expanded: str) -> tuple[str, ...]:
        if self.modality_terms is None:
            return ()
        found = set()
        for match in self.modality_terms.finditer(expanded):
            text = match.group(0)
            modality = self.modality_of.get(text) or next(
                (m for prefix, m in self.modality_prefixes if text.startswith(prefix)), None
            )
            if modality is not None:
                found.add(modality)
        return tuple(sorted(found, key=_MODALITY_ORDER.__getitem__))


def compile_taxonomy(taxonomy: Taxonomy) -> CompiledTaxonomy:
    rules = text_rules(taxonomy.words)
    cores: dict[str, tuple[str, str]] = {}
    full: list[str] = []
    for occupation in taxonomy.occupations:
        for synonyms in occupation.synonyms.values():
            for synonym in synonyms:
                expanded = rules.expand(synonym)
                full.append(expanded)
                cores.setdefault(rules.core(expanded), (occupation.id, expanded))
    modality_of: dict[str, str] = {}
    prefixes: list[tuple[str, str]] = []
    terms: list[str] = []
    for modality in taxonomy.modalities:
        for values in modality.terms.values():
            for term in values:
                if term.endswith("*"):
                    stem = fold(term[:-1])
                    prefixes.append((stem, modality.id))
                    terms.append(stem + "*")
                else:
                    expanded = rules.expand(term)
                    modality_of.setdefault(expanded, modality.id)
                    terms.append(expanded)
    vetoes = [rules.expand(t) for e in taxonomy.excluded for ts in e.terms.values() for t in ts]
    table = CompiledTaxonomy(
        rules=rules,
        choices=tuple(cores),
        choice_occupations=np.array([occ for occ, _ in cores.values()], dtype=np.str_),
        choice_lengths=np.array([len(core.split()) for core in cores], dtype=np.int32),
        choice_modalities=(),
        shields=phrase_pattern(full),
        vetoes=phrase_pattern(vetoes),
        modality_terms=phrase_pattern(terms),
        modality_of=modality_of,
        modality_prefixes=tuple(sorted(prefixes, key=lambda p: -len(p[0]))),
        specialist_of={
            m.id: m.specialist_occupation for m in taxonomy.modalities if m.specialist_occupation
        },
        generalists=frozenset(o.id for o in taxonomy.occupations if o.generalist),
    )
    named = tuple(frozenset(table.modalities_named(expanded)) for _, expanded in cores.values())
    return replace(table, choice_modalities=named)


@lru_cache(maxsize=4)
def compiled_taxonomy(directory: str | None = None) -> CompiledTaxonomy:
    """The compiled default (or given) taxonomy; cached so repeated calls cost nothing."""
    return compile_taxonomy(load_taxonomy(Path(directory) if directory else None))


def best_synonyms(
    cores: Sequence[str], table: CompiledTaxonomy
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float32]]:
    """Index of the best synonym and its similarity (0-1) for each core, in one vectorised pass."""
    if not cores:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.float32)
    sort = process.cdist(cores, table.choices, scorer=fuzz.token_sort_ratio, dtype=np.float32)
    subset = process.cdist(cores, table.choices, scorer=fuzz.token_set_ratio, dtype=np.float32)
    lengths = np.array([len(core.split()) for core in cores], dtype=np.int32)
    shorter = (lengths[:, None] < table.choice_lengths[None, :]).astype(np.float32)
    penalty = np.float32(SUBSET_PENALTY) + np.float32(SHORTER_TITLE_PENALTY) * shorter
    primary = np.maximum(sort, subset - penalty)
    # Ties (several synonyms contained in the title) go to the closest whole-string match.
    best = np.argmax(primary + np.float32(0.001) * sort, axis=1)
    scores = primary[np.arange(len(cores)), best] / np.float32(100.0)
    return best, np.clip(scores, 0.0, 1.0).astype(np.float32)


def normalise_titles(
    titles: Sequence[str], *, taxonomy_dir: Path | None = None
) -> list[TitleMatch]:
    """Canonical occupation, named modalities and confidence for each title, in input order."""
    table = compiled_taxonomy(str(taxonomy_dir) if taxonomy_dir else None)
    distinct = list(dict.fromkeys(titles))
    # Titles that differ only in noise words ("Senior ...", "... - night shift") share one
    # expanded form, analysed once.
    expanded = [table.rules.expand(t) for t in distinct]
    by_expanded = {e: table.analyse_expanded(e) for e in dict.fromkeys(expanded)}
    analyses = [by_expanded[e] for e in expanded]
    cores = list(dict.fromkeys(a.core for a in analyses if a.core))
    best, scores = best_synonyms(cores, table)
    by_core = {core: (int(b), float(s)) for core, b, s in zip(cores, best, scores, strict=True)}
    matches = {
        title: _decide(title, a, by_core, table)
        for title, a in zip(distinct, analyses, strict=True)
    }
    return [matches[t] for t in titles]


def _decide(
    title: str, analysis: _Analysis, by_core: dict[str, tuple[int, float]], table: CompiledTaxonomy
) -> TitleMatch:
    if analysis.vetoed:
        return TitleMatch(title, UNKNOWN, (), 0.0)
    choice, score = by_core.get(analysis.core, (-1, 0.0))
    if choice < 0 or score < CONFIDENCE_THRESHOLD:
        return TitleMatch(title, UNKNOWN, (), round(score, 4))
    occupation = str(table.choice_occupations[choice])
    if occupation in table.generalists:
        # A modality the matched synonym already names ("imagerie ... et radiologie
        # thérapeutique") is part of the generalist title, not a specialisation.
        extra = set(analysis.modalities) - table.choice_modalities[choice]
        specialists = {table.specialist_of[m] for m in extra if m in table.specialist_of}
        if len(specialists) == 1:
            occupation = specialists.pop()
    return TitleMatch(title, occupation, analysis.modalities, round(score, 4))
