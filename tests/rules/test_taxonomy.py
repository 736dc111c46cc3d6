"""The taxonomy files: the committed ones load, and a broken copy reports every problem at once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from matcher.domain.codes import Modality, Occupation
from matcher.errors import DataFileError
from matcher.rules.taxonomy import (
    DEFAULT_TAXONOMY_DIR,
    REQUIRED_LANGUAGES,
    ModalityEntry,
    OccupationEntry,
    load_taxonomy,
)
from matcher.rules.titles.normaliser import compile_taxonomy, normalise_titles


def test_committed_taxonomy_covers_every_canonical_id_in_every_language() -> None:
    taxonomy = load_taxonomy()
    assert {o.id for o in taxonomy.occupations} == {o.value for o in Occupation}
    assert {m.id for m in taxonomy.modalities} == {m.value for m in Modality}
    entries: list[OccupationEntry | ModalityEntry] = [*taxonomy.occupations, *taxonomy.modalities]
    for entry in entries:
        assert set(REQUIRED_LANGUAGES) <= set(entry.labels), entry.id
        assert entry.sources
        assert entry.as_of.year >= 2024
    for occupation in taxonomy.occupations:
        assert set(REQUIRED_LANGUAGES) <= set(occupation.synonyms), occupation.id
    radiographer = next(o for o in taxonomy.occupations if o.id == "radiographer")
    assert radiographer.codes["isco08"] == ("3211",)
    assert radiographer.codes["onet_soc"] == ("29-2034.00",)


def _broken_copy(tmp_path: Path) -> Path:
    target = tmp_path / "taxonomy"
    shutil.copytree(DEFAULT_TAXONOMY_DIR, target)
    occupations = target / "occupations.toml"
    text = occupations.read_text(encoding="utf-8")
    text = text.replace('id = "sonographer"', 'id = "sonografer"', 1)  # not a canonical id
    text = text.replace('onet_soc = ["29-2034.00"]', 'onet_soc = ["29-2034"]', 1)  # malformed code
    text = text.replace('pl = "Technik elektroradiolog"\n', "", 1)  # a required label missing
    text = text.replace(
        '"MTRA CT"]', '"MTRA CT", "MRI radiographer"]', 1
    )  # synonym of two occupations
    text = text.replace(
        "[occupation.codes]\nisco08", "[occupation.codes]\nsoc2010", 1
    )  # unknown system
    occupations.write_text(text, encoding="utf-8")
    modalities = target / "modalities.toml"
    modalities.write_text(
        modalities.read_text(encoding="utf-8").replace(
            'specialist_occupation = "mri_technologist"', 'specialist_occupation = "mri_tech"', 1
        ),
        encoding="utf-8",
    )
    words = target / "words.toml"
    words.write_text(
        words.read_text(encoding="utf-8").replace(r"'\bband [1-9][abc]?\b'", "'(unclosed'", 1),
        encoding="utf-8",
    )
    return target


def test_broken_files_report_every_problem_at_once(tmp_path: Path) -> None:
    with pytest.raises(DataFileError) as caught:
        load_taxonomy(_broken_copy(tmp_path))
    problems = "\n".join(caught.value.problems)
    expected = [
        "'sonografer' is not one of",
        "no entry for 'sonographer'",
        "'29-2034' is not a valid onet_soc code",
        "no label in 'pl'",
        "also names 'radiographer' (as 'mri radiographer')",
        "unknown code system 'soc2010'",
        "'mri_tech' is not a canonical occupation",
        "not a valid regular expression",
    ]
    for fragment in expected:
        assert fragment in problems
    assert len(caught.value.problems) >= len(expected)
    assert str(len(caught.value.problems)) in caught.value.detail


def test_unparseable_and_missing_files_are_problems_too(tmp_path: Path) -> None:
    (tmp_path / "occupations.toml").write_text("this is = = not toml", encoding="utf-8")
    (tmp_path / "words.toml").write_text("schema_version = 2\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_taxonomy(tmp_path)
    problems = "\n".join(caught.value.problems)
    assert "occupations.toml: not valid TOML" in problems
    assert "modalities.toml: file not found" in problems
    assert "words.toml: schema_version must be 1" in problems
    assert "words.toml: [noise]: missing table" in problems


def test_a_new_synonym_is_picked_up_from_the_data(tmp_path: Path) -> None:
    target = tmp_path / "taxonomy"
    shutil.copytree(DEFAULT_TAXONOMY_DIR, target)
    path = target / "occupations.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            '"technik radiologii"]', '"technik radiologii", "Skiaskopist"]'
        ),
        encoding="utf-8",
    )
    table = compile_taxonomy(load_taxonomy(target))
    assert "skiaskopist" in table.choices
    (before,) = normalise_titles(["Skiaskopist"])
    (after,) = normalise_titles(["Skiaskopist"], taxonomy_dir=target)
    assert before.occupation == "unknown"
    assert after.occupation == "radiographer"
