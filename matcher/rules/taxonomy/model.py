"""The multilingual title taxonomy as plain values: what fixtures/taxonomy/*.toml says, checked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

# Every entry carries labels and synonyms (or terms) in at least these languages.
REQUIRED_LANGUAGES: tuple[str, ...] = ("en", "de", "fr", "es", "it", "pt", "nl", "pl")


@dataclass(frozen=True)
class OccupationEntry:
    id: str
    codes: Mapping[str, tuple[str, ...]]
    labels: Mapping[str, str]
    synonyms: Mapping[str, tuple[str, ...]]
    sources: tuple[str, ...]
    as_of: dt.date
    generalist: bool = False


@dataclass(frozen=True)
class ModalityEntry:
    id: str
    codes: Mapping[str, tuple[str, ...]]
    labels: Mapping[str, str]
    terms: Mapping[str, tuple[str, ...]]
    sources: tuple[str, ...]
    as_of: dt.date
    specialist_occupation: str | None = None


@dataclass(frozen=True)
class ExcludedEntry:
    """A neighbouring occupation we do not place; any of its terms makes a title unknown."""

    id: str
    codes: Mapping[str, tuple[str, ...]]
    terms: Mapping[str, tuple[str, ...]]
    sources: tuple[str, ...]
    as_of: dt.date


@dataclass(frozen=True)
class WordLists:
    noise_patterns: tuple[str, ...]
    noise: tuple[str, ...]
    variants: Mapping[str, str]
    generic: tuple[str, ...]
    stopwords: tuple[str, ...]


@dataclass(frozen=True)
class Taxonomy:
    occupations: tuple[OccupationEntry, ...]
    modalities: tuple[ModalityEntry, ...]
    excluded: tuple[ExcludedEntry, ...]
    words: WordLists
