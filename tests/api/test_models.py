"""Model activation over HTTP: a trained model with a full card serves shortlists."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from matcher.jobs.offline.dataset import load_candidates, load_requisitions
from matcher.jobs.offline.training import train_files
from matcher.settings import Settings
from matcher.synthetic.generator import write_fixtures
from matcher.synthetic.outcomes import generate_outcomes
from tests.api.test_erasure import uk_radiographers
from tests.api_support import Api, make_api

TODAY = date(2026, 1, 5)


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("training")
    write_fixtures(data, n_candidates=300, n_requisitions=30, seed=8)
    outcomes = generate_outcomes(
        load_candidates(data / "candidates.jsonl"),
        load_requisitions(data / "requisitions.jsonl"),
        seed=8,
        per_requisition=20,
    )
    (data / "outcomes.jsonl").write_text(
        "".join(o.model_dump_json() + "\n" for o in outcomes), encoding="utf-8"
    )
    models = tmp_path_factory.mktemp("models")
    train_files(
        data / "candidates.jsonl",
        data / "requisitions.jsonl",
        data / "outcomes.jsonl",
        models / "m1",
        today=TODAY,
        folds=3,
    )
    shutil.copytree(models / "m1", models / "no-card-impact")
    card_path = models / "no-card-impact" / "model_card.json"
    card = json.loads(card_path.read_text())
    del card["impact_ratios"]
    card_path.write_text(json.dumps(card))
    return models


@pytest.fixture
def api_with_models(engine: Engine, models_dir: Path) -> Iterator[Api]:
    yield from make_api(engine, Settings(models_dir=models_dir))


def test_the_trained_card_declares_accuracy_and_impact_ratios(models_dir: Path) -> None:
    card = json.loads((models_dir / "m1" / "model_card.json").read_text())
    assert 0 < card["declared_accuracy"]["ndcg@10"] <= 1
    impact = card["impact_ratios"]
    assert "country_of_training" in json.dumps(impact)


def test_activation_switches_the_scorer_and_explanations_still_add_up(
    api_with_models: Api,
) -> None:
    api = api_with_models
    candidates, requisition = uk_radiographers(15)
    api.call("POST", "/v1/candidates:batch", "agency-a", json=candidates,
             headers={"Idempotency-Key": "m"})  # fmt: skip
    rid = api.call("POST", "/v1/requisitions", "hospital-a", json=requisition).json()["id"]
    url = f"/v1/requisitions/{rid}/shortlist"
    assert api.call("GET", url, "hospital-a").json()["scorer"] == "weighted"

    listed = api.call("GET", "/v1/models", "admin").json()
    assert {m["model_id"] for m in listed} == {"m1", "no-card-impact"}
    activated = api.call("POST", "/v1/models/m1:activate", "admin")
    assert activated.status_code == 200, activated.text

    body = api.call("GET", url, "hospital-a").json()
    assert body["scorer"] == "learned:m1"
    assert body["matches"]
    for match in body["matches"]:
        assert sum(match["components"].values()) == pytest.approx(match["score"], abs=1e-6)

    api.call("POST", "/v1/models:deactivate", "admin")
    assert api.call("GET", url, "hospital-a").json()["scorer"] == "weighted"


@pytest.mark.parametrize(
    ("model_id", "status"), [("no-card-impact", 409), ("nope", 404), ("..", 404)]
)
def test_activation_is_refused_without_a_full_card_or_a_model(
    api_with_models: Api, model_id: str, status: int
) -> None:
    response = api_with_models.call("POST", f"/v1/models/{model_id}:activate", "admin")
    assert response.status_code == status
    assert api_with_models.call("GET", "/v1/models", "admin").json()[0]["active"] is False
