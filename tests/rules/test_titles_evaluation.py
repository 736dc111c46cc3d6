"""Evidence: the labelled titles are well formed and the untuned test split meets the targets."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from matcher.errors import DataFileError
from matcher.rules.titles.evaluation import evaluate, read_labelled

OCCUPATION_TARGET = 0.95
MODALITY_TARGET = 0.90


def test_labelled_set_is_large_multilingual_and_split_by_a_fixed_hash() -> None:
    rows = read_labelled()
    assert len(rows) >= 300
    assert len({r.language for r in rows}) >= 6
    assert sum(r.occupation == "unknown" for r in rows) >= 50  # negatives test the threshold
    assert len({(r.language, r.title.casefold()) for r in rows}) == len(rows)
    test = [r for r in rows if r.split == "test"]
    assert len(test) >= len(rows) / 3
    for row in rows:  # the split is a function of the title alone, never of results
        digest = hashlib.sha256(
            f"titles-v1|{row.language}|{row.title.casefold()}".encode()
        ).hexdigest()
        assert row.split == ("test" if int(digest, 16) % 100 < 40 else "tune"), row.title


def test_untuned_test_split_meets_the_targets() -> None:
    report = evaluate(read_labelled(), split="test")
    assert report.overall.occupation >= OCCUPATION_TARGET
    assert report.overall.modality >= MODALITY_TARGET


def test_a_wrong_normaliser_would_fail_the_targets() -> None:
    rows = read_labelled()
    flipped = [
        r.__class__(r.title, r.language, "radiographer", (), r.source, r.split) for r in rows
    ]
    report = evaluate(flipped, split="test")
    assert report.overall.occupation < OCCUPATION_TARGET


def test_bad_rows_are_all_reported(tmp_path: Path) -> None:
    path = tmp_path / "labelled.csv"
    path.write_text(
        "title,language,occupation,modalities,source,split\n"
        "CT Radiographer,en,radiographer,ct,somewhere,tune\n"
        "X,en,astronaut,,somewhere,tune\n"
        "Y,en,radiographer,lasers,somewhere,both\n"
        "Z,en,unknown,ct,,test\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as caught:
        read_labelled(path)
    assert len(caught.value.problems) == 5
