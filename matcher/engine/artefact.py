"""A trained ranker as a directory: the estimator, its feature list, versions, data hash, card.

    DIR/estimator.joblib   the fitted scoring.ranker.AdditiveRanker (joblib, as sklearn advises)
    DIR/features.json      the ordered feature names the estimator's columns mean
    DIR/model_card.json    metrics, relevance grades, parameters, library versions, data hash

joblib files run code when loaded: load models only from directories you trust.
"""

from __future__ import annotations

import json
import platform
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import joblib  # type: ignore[import-untyped]  # joblib ships no type information
import numpy as np
import numpy.typing as npt

from matcher.errors import InvalidInputError, NotFoundError
from scoring.features import FEATURE_NAMES
from scoring.ranker import AdditiveRanker

ESTIMATOR_FILE = "estimator.joblib"
FEATURES_FILE = "features.json"
CARD_FILE = "model_card.json"
LIBRARIES = ("numpy", "scikit-learn", "scipy", "joblib", "rapidfuzz", "imaging-matcher")


def library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


@dataclass(frozen=True)
class LoadedModel:
    """A saved ranker ready to score; `model_id` is its directory name."""

    model_id: str
    estimator: AdditiveRanker
    feature_names: tuple[str, ...]
    card: dict[str, Any]

    @property
    def label(self) -> str:
        """What responses, batch runs and the decision log call this scorer."""
        return scorer_label(self)

    def scores(self, values: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
        result: npt.NDArray[np.float64] = self.estimator.predict(values)
        return result

    def contributions(
        self, values: npt.NDArray[np.float32]
    ) -> tuple[npt.NDArray[np.float64], float]:
        """Per-feature contributions and the baseline; together they sum to the score."""
        contributions: npt.NDArray[np.float64] = self.estimator.predict_contributions(values)
        return contributions, float(self.estimator.baseline_)


# The label of the weighted score; a learned model's is "learned:<model id>".
WEIGHTED_LABEL = "weighted"


def scorer_label(model: LoadedModel | None) -> str:
    """The one place a scorer's label is built: `weighted` or `learned:<model id>`."""
    return WEIGHTED_LABEL if model is None else f"learned:{model.model_id}"


def save_model(
    directory: Path | str,
    estimator: AdditiveRanker,
    *,
    feature_names: tuple[str, ...],
    data_sha256: str,
    metrics: dict[str, Any],
    training: dict[str, Any],
    impact_ratios: dict[str, Any] | None = None,
) -> Path:
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    joblib.dump(estimator, out / ESTIMATOR_FILE)
    (out / FEATURES_FILE).write_text(json.dumps(list(feature_names), indent=2) + "\n")
    card = {
        "model": "AdditiveRanker (piecewise-linear terms + pairwise interactions)",
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "feature_names": list(feature_names),
        "parameters": estimator.get_params(),
        "training_data_sha256": data_sha256,
        "training": training,
        "metrics": metrics,
        "declared_accuracy": _declared_accuracy(metrics),
        "impact_ratios": impact_ratios or {},
        "library_versions": library_versions(),
        "relevance_grades": {
            "placed": 4,
            "offered": 3,
            "interviewed": 2,
            "shortlisted": 1,
            "otherwise": 0,
        },
        "explanations": "exact: baseline + sum of per-feature contributions = score "
        "(interaction terms split half to each feature); see scoring/ranker.py",
        "intended_use": "ranking submitted candidates for one requisition; not a hiring decision",
    }
    (out / CARD_FILE).write_text(json.dumps(card, indent=2, sort_keys=True, default=str) + "\n")
    return out


def _declared_accuracy(metrics: dict[str, Any]) -> dict[str, Any]:
    learned = metrics.get("learned", {})
    return {"ndcg@10": learned.get("ndcg@10"), "on": metrics.get("validation")}


def load_model(path: Path | str) -> LoadedModel:
    """Load a model directory written by `save_model`, checking that its parts agree."""
    directory = Path(path)
    if not directory.is_dir():
        raise NotFoundError(f"no model directory at {directory}")
    missing = [
        name
        for name in (ESTIMATOR_FILE, FEATURES_FILE, CARD_FILE)
        if not (directory / name).is_file()
    ]
    if missing:
        raise InvalidInputError(f"{directory} is not a model directory; missing {missing}")
    estimator = joblib.load(directory / ESTIMATOR_FILE)
    feature_names = tuple(json.loads((directory / FEATURES_FILE).read_text()))
    card = json.loads((directory / CARD_FILE).read_text())
    problems = []
    if not isinstance(estimator, AdditiveRanker):
        problems.append(
            f"{ESTIMATOR_FILE} holds a {type(estimator).__name__}, not an AdditiveRanker"
        )
    elif getattr(estimator, "n_features_in_", None) != len(feature_names):
        problems.append(
            f"estimator has {estimator.n_features_in_} inputs, features.json names "
            f"{len(feature_names)}"
        )
    unknown = [name for name in feature_names if name not in FEATURE_NAMES]
    if unknown:
        problems.append(f"features.json names features this engine does not compute: {unknown}")
    if problems:
        raise InvalidInputError(f"{directory}: " + "; ".join(problems))
    return LoadedModel(directory.name, estimator, feature_names, card)
