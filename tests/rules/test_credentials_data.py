"""The credential data files: the committed ones load, and broken ones fail with every problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from matcher.errors import DataFileError
from matcher.rules.credentials import default_credential_data, load_credential_data
from matcher.rules.credentials.data import DEFAULT_DIR
from matcher.synthetic.generator import COUNTRIES

BODIES_IN_ISSUE = {
    "ARRT", "ARDMS", "CCI", "NMTCB", "ARMRIT", "CDPH", "TMB", "NYSDOH", "OR_MEDICAL_IMAGING",
    "CAMRT", "CMRITO", "SONOGRAPHY_CANADA", "HCPC", "RCT", "CORU", "MRPBA", "ASAR", "MRTB", "PRC",
    "HPCSA", "DHA", "DOH", "SCFHS", "MTBG", "MINISTERE_SANTE",
}  # fmt: skip


def test_committed_files_load_with_every_body_the_issue_names() -> None:
    data = default_credential_data()
    assert {entry.body for entry in data.catalogue} >= BODIES_IN_ISSUE
    assert len(data.rules) > 40


def test_catalogue_covers_every_credential_the_fixture_generator_emits() -> None:
    catalogue = default_credential_data().catalogue
    emitted = {
        (body, code, jurisdiction)
        for profile in COUNTRIES.values()
        for options in profile.credentials.values()
        for body, code, jurisdiction in options
    }
    for body, code, jurisdiction in emitted:
        entry = catalogue.get(body, code)
        assert entry is not None, f"{body}:{code} missing from catalogue.toml"
        assert entry.jurisdiction == jurisdiction


def test_every_known_entry_cites_a_url_and_unknowns_say_so() -> None:
    data = default_credential_data()
    for entry in data.catalogue:
        assert entry.source.startswith("http") or entry.kind == "unknown"
    for rule in data.rules:
        assert rule.source.startswith("http")
        assert all(step.source.startswith("http") for step in rule.steps)


BROKEN_CATALOGUE = """
[[credential]]
body = "XBODY"
code = "X1"
name = "bad jurisdiction and a made-up kind"
jurisdiction = "XX-ZZ"
kind = "permit"
occupations = ["radiographer"]
renewal_months = "unknown"
section = "9"
source = "https://example.org"
as_of = 2026-11-27
typo_field = 1

[[credential]]
body = "XBODY"
code = "X2"
name = "a known kind must cite a URL"
jurisdiction = "GB"
kind = "registration"
occupations = ["radiographer"]
renewal_months = 12
section = "9"
source = "a friend told me"
as_of = 2026-11-27

[[credential]]
body = "XBODY"
code = "X3"
name = "n"
jurisdiction = "GB"
kind = "registration"
occupations = ["plumber"]
renewal_months = -3
section = "9"
source = "https://example.org"
as_of = 2026-11-27
"""

BROKEN_RULES = """
[[rule]]
id = "broken-one"
origin_credentials = ["NOPE:R", "@no_such_group"]
destination = "GB"
status = "maybe"
language = "NOBODY"
pathway = "p"
source = "https://example.org"
as_of = 2026-11-27

[[rule.steps]]
kind = "bribe"
name = "s"
duration_days = -5

[[rule.steps]]
kind = "exam"
name = "fee without currency"
duration_days = "unknown"
fee = 10

[[rule]]
id = "broken-two"
origin_any = true
origin_countries = ["GB"]
destination = "GB"
status = "direct"
pathway = "p"
source = "https://example.org"
as_of = 2026-11-27

[[rule]]
id = "broken-four"
origin_any = true
destination = "GB"
status = "direct"
pathway = "direct, yet an exam"
source = "https://example.org"
as_of = 2026-11-27

[[rule.steps]]
kind = "exam"
name = "an exam"
duration_days = 10

[[rule]]
id = "broken-three"
origin_any = true
destination = "GB"
status = "direct"
pathway = "p"
source = "not a url"
as_of = 2026-11-27
"""

BROKEN_LANGUAGE = """
[[regulator]]
id = "BAD"
name = "b"
languages = ["en"]
validity_days = 0
source = "https://example.org"
as_of = 2026-11-27

[[regulator.tests]]
name = "NOT_A_TEST"
overall = 7
"""


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    for name in ("catalogue.toml", "equivalence.toml", "language.toml"):
        shutil.copy(DEFAULT_DIR / name, tmp_path / name)
    return tmp_path


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_every_problem_in_every_file_is_reported_at_once(data_dir: Path) -> None:
    _append(data_dir / "catalogue.toml", BROKEN_CATALOGUE)
    _append(data_dir / "equivalence.toml", BROKEN_RULES)
    _append(data_dir / "language.toml", BROKEN_LANGUAGE)
    with pytest.raises(DataFileError) as raised:
        load_credential_data(data_dir)
    problems = "\n".join(raised.value.problems)
    expected = [
        "credential[",  # entries are named
        "jurisdiction",
        "kind",
        "typo_field",
        "occupations.0",
        "renewal_months",
        "source must be a URL unless kind is 'unknown'",
        "'NOPE:R' is not in the catalogue",
        "unknown group '@no_such_group'",
        "language regulator 'NOBODY' not in language.toml",
        "status",
        "steps.0.kind",
        "steps.0.duration_days",
        "fee and currency must be given together",
        "give exactly one of origin_credentials, origin_countries, origin_any",
        "a direct rule cannot require an exam or an education programme",
        "source: Value error, must be the source URL",
        "regulator[",
        "validity_days",
        "tests.0.name",
    ]
    missing = [text for text in expected if text not in problems]
    assert not missing, f"not reported: {missing}\n{problems}"
    assert str(data_dir) in str(raised.value)


def test_a_syntax_error_and_a_missing_file_are_both_reported(data_dir: Path) -> None:
    (data_dir / "catalogue.toml").write_text("[[credential]\nbody = ", encoding="utf-8")
    (data_dir / "language.toml").unlink()
    with pytest.raises(DataFileError) as raised:
        load_credential_data(data_dir)
    problems = raised.value.problems
    assert any("catalogue.toml: not valid TOML" in p for p in problems)
    assert any("language.toml: file not found" in p for p in problems)


def test_duplicates_are_reported(data_dir: Path) -> None:
    rules = (data_dir / "equivalence.toml").read_text(encoding="utf-8")
    first = rules.index("[[rule]]")
    second = rules.index("[[rule]]", first + 1)
    _append(data_dir / "equivalence.toml", "\n" + rules[first:second])
    with pytest.raises(DataFileError) as raised:
        load_credential_data(data_dir)
    assert any("duplicate id" in p for p in raised.value.problems)
