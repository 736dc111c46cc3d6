"""Per-facility weight overrides: merged over the defaults, validated with every problem listed."""

from __future__ import annotations

from pathlib import Path

import pytest

from matcher.errors import DataFileError
from matcher.rules.facility_weights import default_facility_weights, load_facility_weights
from scoring.weighted import DEFAULT_WEIGHTS


def test_the_shipped_file_loads_and_unknown_facilities_get_the_defaults() -> None:
    assert default_facility_weights().weights_for("F-NOWHERE") == dict(DEFAULT_WEIGHTS)
    assert default_facility_weights().weights_for(None) == dict(DEFAULT_WEIGHTS)


def test_an_override_replaces_only_what_it_names(tmp_path: Path) -> None:
    path = tmp_path / "w.toml"
    path.write_text(
        '[facility."F-1"]\nas_of = 2026-01-05\nsource = "ticket 12"\n'
        '[facility."F-1".weights]\nlanguage_fit = 0.3\n'
    )
    weights = load_facility_weights(path).weights_for("F-1")
    assert weights["language_fit"] == 0.3
    assert {k: v for k, v in weights.items() if k != "language_fit"} == {
        k: v for k, v in DEFAULT_WEIGHTS.items() if k != "language_fit"
    }


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = tmp_path / "w.toml"
    path.write_text(
        '[facility."F-1".weights]\nnationality = 1.0\nlanguage_fit = -2\n'
        '[facility."F-2"]\nas_of = 2026-01-05\nsource = "x"\n'
    )
    with pytest.raises(DataFileError) as err:
        load_facility_weights(path)
    text = str(err.value)
    for fragment in ("F-1.as_of", "F-1.source", "F-1.weights.nationality",
                     "F-1.weights.language_fit", "F-2.weights"):  # fmt: skip
        assert fragment in text
