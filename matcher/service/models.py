"""Which trained ranker serves requests. Activation is recorded in the database, so every
worker agrees, and refused for a model without a card stating its accuracy and impact ratios.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matcher.engine.artefact import CARD_FILE, LoadedModel, load_model
from matcher.errors import ConflictError, NotFoundError
from matcher.store.db import Engine, Session, read_session, write_session
from matcher.store.service_settings import get_setting, put_setting

ACTIVE_MODEL = "active_model"
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$")
# What an auditor needs from a card before the model may rank anyone (issue: accountability).
REQUIRED_CARD_KEYS = ("metrics", "impact_ratios")


@dataclass(frozen=True)
class ModelSummary:
    model_id: str
    active: bool
    card: dict[str, Any]


def _model_dir(models_dir: Path, model_id: str) -> Path:
    if not _SAFE_ID.match(model_id):
        raise NotFoundError(f"model {model_id!r} not found")
    path = models_dir / model_id
    if not (path / CARD_FILE).is_file():
        raise NotFoundError(f"model {model_id!r} not found")
    return path


def _card_problems(card: dict[str, Any]) -> list[str]:
    return [f"model card has no {key!r}" for key in REQUIRED_CARD_KEYS if not card.get(key)]


def active_model_id(session: Session) -> str | None:
    setting = get_setting(session=session, key=ACTIVE_MODEL)
    model_id = setting.get("model_id") if setting is not None else None
    return str(model_id) if model_id else None


def activate_model(*, engine: Engine, models_dir: Path, model_id: str, actor: str) -> str:
    """Make `model_id` the ranker of every later request; returns the previous model id."""
    model = load_model(_model_dir(models_dir, model_id))
    problems = _card_problems(model.card)
    if problems:
        raise ConflictError("cannot activate: " + "; ".join(problems))
    with write_session(engine) as session:
        previous = active_model_id(session)
        put_setting(session=session, key=ACTIVE_MODEL, value={"model_id": model_id}, actor=actor)
    return previous or ""


def deactivate_model(*, engine: Engine, actor: str) -> None:
    """Fall back to the weighted score."""
    with write_session(engine) as session:
        if get_setting(session=session, key=ACTIVE_MODEL) is not None:
            put_setting(session=session, key=ACTIVE_MODEL, value={}, actor=actor)


def list_models(*, engine: Engine, models_dir: Path) -> list[ModelSummary]:
    with read_session(engine) as session:
        active = active_model_id(session)
    if not models_dir.is_dir():
        return []

    return [
        ModelSummary(path.name, path.name == active, json.loads((path / CARD_FILE).read_text()))
        for path in sorted(models_dir.iterdir())
        if (path / CARD_FILE).is_file() and _SAFE_ID.match(path.name)
    ]


def weights_hash(weights: Mapping[str, float]) -> str:
    """The weighted scorer's "artefact" is its weights: the decision log cites their hash."""
    return hashlib.sha256(json.dumps(dict(weights), sort_keys=True).encode()).hexdigest()


def artefact_hash(directory: Path) -> str:
    """SHA-256 over every file of a model directory, in name order: what the log cites."""
    digest = hashlib.sha256()
    for path in sorted(p for p in directory.iterdir() if p.is_file()):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class ActiveModel:
    model: LoadedModel
    artefact_hash: str


class ModelCache:
    """Loaded models by id: loading a directory once per process, not once per request."""

    def __init__(self) -> None:
        self._models: dict[str, ActiveModel] = {}
        self._by_directory: dict[Path, ActiveModel] = {}
        self._lock = threading.Lock()

    def load(self, directory: Path) -> ActiveModel:
        """A model named by its directory (an explicit override), loaded once per process."""
        key = directory.resolve()
        with self._lock:
            if key not in self._by_directory:
                self._by_directory[key] = ActiveModel(load_model(key), artefact_hash(key))
            return self._by_directory[key]

    def active(self, *, session: Session, models_dir: Path) -> ActiveModel | None:
        model_id = active_model_id(session)
        if model_id is None:
            return None
        with self._lock:
            if model_id not in self._models:
                directory = _model_dir(models_dir, model_id)
                self._models[model_id] = ActiveModel(
                    load_model(directory), artefact_hash(directory)
                )
            return self._models[model_id]
