"""The credential catalogue: which body issues which credential, for what, and of what kind."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from pydantic import Field, PositiveInt, model_validator

from matcher.domain.codes import JurisdictionCode, Modality, Occupation
from matcher.rules.credentials.validation import (
    DataModel,
    Unknown,
    check_top_level,
    validate_entries,
)

CredentialKind = Literal[
    "licence_to_practise", "registration", "voluntary_certification", "unknown"
]
# A licence or a statutory registration is what lets someone practise where it was issued.
LICENSING_KINDS: frozenset[str] = frozenset({"licence_to_practise", "registration"})
CredentialKey = tuple[str, str]


class CatalogueEntry(DataModel):
    body: str = Field(min_length=1, pattern=r"^[A-Z][A-Z0-9_]*$")
    code: str = Field(min_length=1, max_length=80)
    name: str = Field(min_length=1)
    jurisdiction: JurisdictionCode
    kind: CredentialKind
    pathway: Literal["primary", "postprimary", "primary_or_postprimary"] | None = None
    occupations: tuple[Occupation, ...] = Field(min_length=1)
    modalities: tuple[Modality, ...] = ()
    renewal_months: PositiveInt | Unknown
    section: str = Field(min_length=1)
    source: str = Field(min_length=1)
    as_of: date

    @model_validator(mode="after")
    def _source_is_a_url_when_known(self) -> CatalogueEntry:
        # Codes the sources do not describe cite the section that says so instead of a URL.
        if self.kind != "unknown" and not self.source.startswith(("http://", "https://")):
            raise ValueError("source must be a URL unless kind is 'unknown'")
        return self

    @property
    def key(self) -> CredentialKey:
        return (self.body, self.code)

    @property
    def licensing(self) -> bool:
        return self.kind in LICENSING_KINDS


@dataclass(frozen=True)
class Catalogue:
    entries: Mapping[CredentialKey, CatalogueEntry]

    def get(self, body: str, code: str) -> CatalogueEntry | None:
        return self.entries.get((body, code))

    def __iter__(self) -> Iterator[CatalogueEntry]:
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)

    def resolve(self, ref: str) -> frozenset[CredentialKey] | None:
        """'BODY:CODE' or 'BODY:*' to catalogue keys; None when nothing in the catalogue matches."""
        body, sep, code = ref.partition(":")
        if not sep or not body or not code:
            return None
        if code == "*":
            keys = frozenset(key for key in self.entries if key[0] == body)
        else:
            keys = frozenset({(body, code)}) if (body, code) in self.entries else frozenset()
        return keys or None


def parse_catalogue(data: Mapping[str, Any], *, file: str) -> tuple[Catalogue, list[str]]:
    problems = check_top_level(data, file=file, allowed=["credential"], required=["credential"])
    entries, entry_problems = validate_entries(
        CatalogueEntry, data.get("credential", []), file=file, table="credential", key="code"
    )
    problems.extend(entry_problems)
    by_key: dict[CredentialKey, CatalogueEntry] = {}
    for entry in entries:
        if entry.key in by_key:
            problems.append(f"{file}: duplicate credential {entry.body}:{entry.code}")
        by_key[entry.key] = entry
    return Catalogue(by_key), problems
