"""Load and cross-check the three credential data files; every problem is reported at once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from matcher.errors import DataFileError
from matcher.rules import FIXTURES_DIR
from matcher.rules.credentials.catalogue import Catalogue, parse_catalogue
from matcher.rules.credentials.language import LanguageTables, parse_language
from matcher.rules.credentials.rules import Rule, home_rule, parse_rules
from matcher.rules.credentials.validation import read_toml

DEFAULT_DIR = FIXTURES_DIR / "credentials"
FILES = ("catalogue.toml", "equivalence.toml", "language.toml")


@dataclass(frozen=True)
class CredentialData:
    catalogue: Catalogue
    rules: tuple[Rule, ...]
    language: LanguageTables
    by_destination: Mapping[str, tuple[Rule, ...]]
    # Distinct experience thresholds in the rules: eligibility groups candidates by which they meet.
    experience_thresholds: tuple[float, ...]
    # Known validity windows of language test results, in days.
    language_validity_days: tuple[int, ...]
    # Languages some regulator reads, and those it reads a CEFR level in: other evidence is inert.
    language_codes: frozenset[str]
    cefr_languages: frozenset[str]
    # Modalities some step is conditional on: the only required modalities a verdict reads.
    step_modalities: frozenset[str]


def load_credential_data(directory: Path = DEFAULT_DIR) -> CredentialData:
    """Read catalogue.toml, equivalence.toml and language.toml from `directory`.

    Raises DataFileError listing every problem of every file (syntax, schema, cross-references).
    """
    catalogue_raw, problems = read_toml(directory / "catalogue.toml")
    rules_raw, more = read_toml(directory / "equivalence.toml")
    problems += more
    language_raw, more = read_toml(directory / "language.toml")
    problems += more
    catalogue, more = parse_catalogue(catalogue_raw, file="catalogue.toml")
    problems += more
    language, more = parse_language(language_raw, file="language.toml")
    problems += more
    rules, more = parse_rules(
        rules_raw,
        file="equivalence.toml",
        catalogue=catalogue,
        language_ids=frozenset(language.regulators),
    )
    problems += more
    if problems:
        raise DataFileError(str(directory), problems)
    every_rule = (*rules, *(home_rule(entry) for entry in catalogue if entry.licensing))
    by_destination: defaultdict[str, list[Rule]] = defaultdict(list)
    for rule in every_rule:
        by_destination[rule.destination].append(rule)
    thresholds = sorted(
        {rule.min_years_experience for rule in rules if rule.min_years_experience is not None}
    )
    return CredentialData(
        catalogue=catalogue,
        rules=every_rule,
        language=language,
        by_destination={dest: tuple(found) for dest, found in by_destination.items()},
        experience_thresholds=tuple(thresholds),
        language_validity_days=tuple(
            sorted(
                {
                    r.validity_days
                    for r in language.regulators.values()
                    if r.validity_days != "unknown"
                }
            )
        ),
        language_codes=frozenset(
            code for r in language.regulators.values() for code in r.languages
        ),
        cefr_languages=frozenset(
            code
            for r in language.regulators.values()
            if r.min_cefr is not None
            for code in r.languages
        ),
        step_modalities=frozenset(
            m for rule in every_rule for s in rule.steps for m in s.when_modalities
        ),
    )


@lru_cache(maxsize=1)
def default_credential_data() -> CredentialData:
    """The committed data files, loaded once per process."""
    return load_credential_data(DEFAULT_DIR)
