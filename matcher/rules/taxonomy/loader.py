"""Load fixtures/taxonomy/*.toml, checking everything and reporting every problem at once."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from matcher.domain.codes import Modality, Occupation
from matcher.errors import DataFileError
from matcher.rules import FIXTURES_DIR
from matcher.rules.taxonomy.model import (
    REQUIRED_LANGUAGES,
    ExcludedEntry,
    ModalityEntry,
    OccupationEntry,
    Taxonomy,
    WordLists,
)
from matcher.rules.taxonomy.text import TitleText, fold, phrase_pattern

DEFAULT_TAXONOMY_DIR = FIXTURES_DIR / "taxonomy"
SCHEMA_VERSION = 1

# Code systems and the shape of their codes (credentials.md section 1).
CODE_PATTERNS: dict[str, re.Pattern[str]] = {
    "isco08": re.compile(r"^\d{4}$"),
    "esco": re.compile(
        r"^http://data\.europa\.eu/esco/occupation/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$"
    ),
    "onet_soc": re.compile(r"^\d{2}-\d{4}\.\d{2}$"),
    "nucc": re.compile(r"^[0-9A-Z]{9}X$"),
    "cbo": re.compile(r"^\d{4}-\d{2}$"),
    "arrt": re.compile(r"^[A-Z]{1,3}$"),
}
_LANGUAGE = re.compile(r"^[a-z]{2}$")


class _Problems:
    """Collects problems with where they are, so the error can list all of them."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}")


def load_taxonomy(directory: Path | None = None) -> Taxonomy:
    """Parse and check the three taxonomy files; raise DataFileError listing every problem."""
    root = directory or DEFAULT_TAXONOMY_DIR
    problems = _Problems()
    docs = {
        name: _read(root / f"{name}.toml", problems)
        for name in ("words", "occupations", "modalities")
    }
    words = _words(docs["words"], problems)
    occupations = tuple(
        _occupation(raw, f"occupations.toml: occupation[{i}]", problems)
        for i, raw in enumerate(
            _tables(docs["occupations"], "occupation", "occupations.toml", problems)
        )
    )
    excluded = tuple(
        _excluded(raw, f"occupations.toml: excluded[{i}]", problems)
        for i, raw in enumerate(
            _tables(docs["occupations"], "excluded", "occupations.toml", problems)
        )
    )
    modalities = tuple(
        _modality(raw, f"modalities.toml: modality[{i}]", problems)
        for i, raw in enumerate(
            _tables(docs["modalities"], "modality", "modalities.toml", problems)
        )
    )
    _check_coverage(
        "occupations.toml", [o.id for o in occupations], [o.value for o in Occupation], problems
    )
    _check_coverage(
        "modalities.toml", [m.id for m in modalities], [m.value for m in Modality], problems
    )
    _check_unique("occupations.toml: excluded", [e.id for e in excluded], problems)
    _check_synonyms(occupations, excluded, modalities, words, problems)
    if problems.items:
        raise DataFileError(str(root), problems.items)
    return Taxonomy(occupations=occupations, modalities=modalities, excluded=excluded, words=words)


def text_rules(words: WordLists) -> TitleText:
    """Compile the word lists into the rewriting rules titles go through."""
    patterns = words.noise_patterns
    return TitleText(
        noise=phrase_pattern(fold(t) for t in words.noise),
        noise_patterns=re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None,
        variants=dict(words.variants),
        stopwords=frozenset(fold(w) for w in words.stopwords),
        generic=frozenset(fold(w) for w in words.generic),
    )


# -- file level ---------------------------------------------------------------------------------


def _read(path: Path, problems: _Problems) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            doc = tomllib.load(fh)
    except FileNotFoundError:
        problems.add(path.name, "file not found")
        return {}
    except tomllib.TOMLDecodeError as exc:
        problems.add(path.name, f"not valid TOML: {exc}")
        return {}
    if doc.get("schema_version") != SCHEMA_VERSION:
        problems.add(
            path.name, f"schema_version must be {SCHEMA_VERSION}, got {doc.get('schema_version')!r}"
        )
    return doc


def _tables(
    doc: Mapping[str, Any], key: str, where: str, problems: _Problems
) -> list[Mapping[str, Any]]:
    raw = doc.get(key, [])
    if not isinstance(raw, list) or not all(isinstance(t, dict) for t in raw):
        problems.add(where, f"[[{key}]] must be a list of tables")
        return []
    return raw


def _check_coverage(where: str, ids: list[str], expected: list[str], problems: _Problems) -> None:
    _check_unique(where, ids, problems)
    for missing in sorted(set(expected) - set(ids)):
        problems.add(where, f"no entry for {missing!r}")


def _check_unique(where: str, ids: list[str], problems: _Problems) -> None:
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.add(where, f"id {dup!r} appears more than once")


# -- entries ------------------------------------------------------------------------------------


def _occupation(raw: Mapping[str, Any], where: str, problems: _Problems) -> OccupationEntry:
    _unknown_keys(
        raw,
        {"id", "generalist", "as_of", "sources", "codes", "labels", "synonyms"},
        where,
        problems,
    )
    entry_id = _enum_id(raw, Occupation, where, problems)
    generalist = raw.get("generalist", False)
    if not isinstance(generalist, bool):
        problems.add(f"{where}.generalist", "must be true or false")
        generalist = False
    return OccupationEntry(
        id=entry_id,
        codes=_codes(raw, where, problems),
        labels=_labels(raw, where, problems),
        synonyms=_per_language(raw, "synonyms", where, problems),
        sources=_sources(raw, where, problems),
        as_of=_as_of(raw, where, problems),
        generalist=generalist,
    )


def _modality(raw: Mapping[str, Any], where: str, problems: _Problems) -> ModalityEntry:
    allowed = {"id", "specialist_occupation", "as_of", "sources", "codes", "labels", "terms"}
    _unknown_keys(raw, allowed, where, problems)
    specialist = raw.get("specialist_occupation")
    if specialist is not None and specialist not in {o.value for o in Occupation}:
        problems.add(
            f"{where}.specialist_occupation", f"{specialist!r} is not a canonical occupation"
        )
        specialist = None
    return ModalityEntry(
        id=_enum_id(raw, Modality, where, problems),
        codes=_codes(raw, where, problems),
        labels=_labels(raw, where, problems),
        terms=_per_language(raw, "terms", where, problems),
        sources=_sources(raw, where, problems),
        as_of=_as_of(raw, where, problems),
        specialist_occupation=specialist,
    )


def _excluded(raw: Mapping[str, Any], where: str, problems: _Problems) -> ExcludedEntry:
    _unknown_keys(raw, {"id", "as_of", "sources", "codes", "terms"}, where, problems)
    entry_id = raw.get("id")
    if not isinstance(entry_id, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", entry_id):
        problems.add(f"{where}.id", "must be a lower_snake_case name")
        entry_id = f"<{where}>"
    return ExcludedEntry(
        id=entry_id,
        codes=_codes(raw, where, problems),
        terms=_per_language(raw, "terms", where, problems, require_all=False),
        sources=_sources(raw, where, problems),
        as_of=_as_of(raw, where, problems),
    )


def _words(doc: Mapping[str, Any], problems: _Problems) -> WordLists:
    """The word lists; bad parts are reported and left out, so later checks can still run."""
    blocks: dict[str, Mapping[str, Any]] = {}
    for name in ("noise", "variants", "generic", "stopwords"):
        block = doc.get(name)
        where = f"words.toml: [{name}]"
        if not isinstance(block, dict):
            problems.add(where, "missing table")
            blocks[name] = {}
            continue
        _sources_or_source(block, where, problems)
        _as_of(block, where, problems)
        blocks[name] = block
    patterns = blocks["noise"].get("patterns", [])
    if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
        problems.add("words.toml: [noise].patterns", "must be a list of strings")
        patterns = []
    valid_patterns = []
    for i, pattern in enumerate(patterns):
        try:
            re.compile(pattern)
        except re.error as exc:
            problems.add(
                f"words.toml: [noise].patterns[{i}]", f"not a valid regular expression: {exc}"
            )
        else:
            valid_patterns.append(pattern)
    variants: dict[str, str] = {}
    for lang, table in _language_blocks(blocks["variants"], "words.toml: [variants]", problems):
        if not isinstance(table, dict) or not all(
            isinstance(v, str) and v.strip() for v in table.values()
        ):
            problems.add(
                f"words.toml: [variants.{lang}]", "must map words to non-empty replacements"
            )
            continue
        for word, replacement in table.items():
            variants[fold(word)] = fold(replacement)
    lists = {
        name: _word_list(blocks[name], f"words.toml: [{name}]", problems)
        for name in ("noise", "generic", "stopwords")
    }
    return WordLists(
        noise_patterns=tuple(valid_patterns),
        noise=lists["noise"],
        variants=variants,
        generic=lists["generic"],
        stopwords=lists["stopwords"],
    )


# -- fields -------------------------------------------------------------------------------------


def _unknown_keys(
    raw: Mapping[str, Any], allowed: set[str], where: str, problems: _Problems
) -> None:
    for key in sorted(set(raw) - allowed):
        problems.add(where, f"unknown key {key!r}")


def _enum_id(
    raw: Mapping[str, Any], enum: type[Occupation] | type[Modality], where: str, problems: _Problems
) -> str:
    value = raw.get("id")
    valid = {member.value for member in enum}
    if value not in valid:
        problems.add(f"{where}.id", f"{value!r} is not one of {', '.join(sorted(valid))}")
        return f"<{where}>"
    return str(value)


def _as_of(raw: Mapping[str, Any], where: str, problems: _Problems) -> dt.date:
    value = raw.get("as_of")
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    problems.add(f"{where}.as_of", "must be a TOML date such as 2026-11-27")
    return dt.date.min


def _sources(raw: Mapping[str, Any], where: str, problems: _Problems) -> tuple[str, ...]:
    value = raw.get("sources")
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(s, str) and s.strip() for s in value)
    ):
        problems.add(
            f"{where}.sources", "must be a non-empty list of source URLs or repo/path@commit"
        )
        return ()
    return tuple(value)


def _sources_or_source(raw: Mapping[str, Any], where: str, problems: _Problems) -> None:
    value = raw.get("source")
    if not isinstance(value, str) or not value.strip():
        problems.add(f"{where}.source", "must say where the list comes from")


def _codes(raw: Mapping[str, Any], where: str, problems: _Problems) -> dict[str, tuple[str, ...]]:
    table = raw.get("codes", {})
    if not isinstance(table, dict):
        problems.add(f"{where}.codes", "must be a table")
        return {}
    codes: dict[str, tuple[str, ...]] = {}
    for system, values in table.items():
        pattern = CODE_PATTERNS.get(system)
        if pattern is None:
            problems.add(
                f"{where}.codes", f"unknown code system {system!r}; use {', '.join(CODE_PATTERNS)}"
            )
            continue
        if not isinstance(values, list) or not values:
            problems.add(f"{where}.codes.{system}", "must be a non-empty list")
            continue
        for value in values:
            if not isinstance(value, str) or not pattern.match(value):
                problems.add(f"{where}.codes.{system}", f"{value!r} is not a valid {system} code")
        codes[system] = tuple(str(v) for v in values)
    return codes


def _labels(raw: Mapping[str, Any], where: str, problems: _Problems) -> dict[str, str]:
    table = raw.get("labels")
    if not isinstance(table, dict):
        problems.add(f"{where}.labels", "missing table")
        return {}
    labels: dict[str, str] = {}
    for lang, label in _language_blocks(table, f"{where}.labels", problems):
        if not isinstance(label, str) or not label.strip():
            problems.add(f"{where}.labels.{lang}", "must be a non-empty string")
            continue
        labels[lang] = label
    for lang in REQUIRED_LANGUAGES:
        if lang not in table:
            problems.add(f"{where}.labels", f"no label in {lang!r}")
    return labels


def _per_language(
    raw: Mapping[str, Any], key: str, where: str, problems: _Problems, *, require_all: bool = True
) -> dict[str, tuple[str, ...]]:
    table = raw.get(key)
    if not isinstance(table, dict):
        problems.add(f"{where}.{key}", "missing table")
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for lang, values in _language_blocks(table, f"{where}.{key}", problems):
        if not isinstance(values, list) or not values:
            problems.add(f"{where}.{key}.{lang}", "must be a non-empty list of strings")
            continue
        for value in values:
            if not isinstance(value, str) or not fold(value.rstrip("*")):
                problems.add(f"{where}.{key}.{lang}", f"{value!r} has no letters or digits")
        out[lang] = tuple(v for v in values if isinstance(v, str))
    if require_all:
        for lang in REQUIRED_LANGUAGES:
            if lang not in table:
                problems.add(f"{where}.{key}", f"nothing in {lang!r}")
    return out


def _word_list(block: Mapping[str, Any], where: str, problems: _Problems) -> tuple[str, ...]:
    words: list[str] = []
    for lang, values in _language_blocks(block, where, problems):
        if not isinstance(values, list) or not all(isinstance(v, str) and fold(v) for v in values):
            problems.add(f"{where}.{lang}", "must be a list of non-empty strings")
            continue
        words.extend(values)
    return tuple(words)


def _language_blocks(
    table: Mapping[str, Any], where: str, problems: _Problems
) -> list[tuple[str, Any]]:
    blocks = []
    for key, value in table.items():
        if key in {"source", "as_of", "patterns"}:
            continue
        if not _LANGUAGE.match(key):
            problems.add(where, f"{key!r} is not an ISO 639-1 language code")
            continue
        blocks.append((key, value))
    return blocks


# -- cross-entry checks -------------------------------------------------------------------------


def _check_synonyms(
    occupations: tuple[OccupationEntry, ...],
    excluded: tuple[ExcludedEntry, ...],
    modalities: tuple[ModalityEntry, ...],
    words: WordLists,
    problems: _Problems,
) -> None:
    """Each synonym must keep some distinguishing words and belong to one occupation only."""
    rules = text_rules(words)
    owner: dict[str, str] = {}
    full: dict[str, str] = {}
    for occupation in occupations:
        for lang, synonyms in occupation.synonyms.items():
            for synonym in synonyms:
                expanded = rules.expand(synonym)
                core = rules.core(expanded)
                full[expanded] = occupation.id
                where = f"occupations.toml: {occupation.id}.synonyms.{lang}"
                if not core:
                    problems.add(where, f"{synonym!r} is only noise or role words once folded")
                elif owner.setdefault(core, occupation.id) != occupation.id:
                    problems.add(where, f"{synonym!r} also names {owner[core]!r} (as {core!r})")
    for entry in excluded:
        for lang, terms in entry.terms.items():
            for term in terms:
                expanded = rules.expand(term)
                if expanded in full:
                    where = f"occupations.toml: excluded {entry.id}.terms.{lang}"
                    problems.add(where, f"{term!r} is also a synonym of {full[expanded]!r}")
    for modality in modalities:
        for lang, terms in modality.terms.items():
            for term in terms:
                if not rules.expand(term.rstrip("*")):
                    where = f"modalities.toml: {modality.id}.terms.{lang}"
                    problems.add(where, f"{term!r} is only noise words once folded")
