"""Admins: which model ranks, and the stop switch for automated ranking."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.auth import Admin
from api.deps import EngineDep, SettingsDep
from api.routes.common import AUTHED, problems
from api.schemas import ActivationPublic, ModelPublic, RankingStatusPublic, StopRequest
from matcher.audit.oversight import current_ranking_status, set_ranking_stopped
from matcher.domain.oversight import RankingStatus
from matcher.service.batch_runs import batch_run_status
from matcher.service.models import activate_model, deactivate_model, list_models

router = APIRouter(prefix="/v1", tags=["admin"], responses=AUTHED)


@router.get("/models", response_model=list[ModelPublic])
def models(principal: Admin, engine: EngineDep, settings: SettingsDep) -> list[ModelPublic]:
    """Trained models in the models directory, with their cards."""
    del principal
    return [
        ModelPublic(model_id=m.model_id, active=m.active, card=m.card)
        for m in list_models(engine=engine, models_dir=settings.models_dir)
    ]


@router.post(
    "/models/{model_id}:activate", response_model=ActivationPublic, responses=problems(404, 409)
)
def activate(
    model_id: str, principal: Admin, engine: EngineDep, settings: SettingsDep
) -> ActivationPublic:
    """Rank with this model from the next request; refused (409) for a model without a card
    that states its accuracy and impact ratios."""
    previous = activate_model(
        engine=engine,
        models_dir=settings.models_dir,
        model_id=model_id,
        actor=f"{principal.tenant}/{principal.key_id}",
    )
    return ActivationPublic(active_model=model_id, previous_model=previous or None)


@router.post("/models:deactivate", response_model=ActivationPublic)
def deactivate(principal: Admin, engine: EngineDep) -> ActivationPublic:
    """Fall back to the transparent weighted score."""
    deactivate_model(engine=engine, actor=f"{principal.tenant}/{principal.key_id}")
    return ActivationPublic(active_model=None, previous_model=None)


def _status_public(status: RankingStatus) -> RankingStatusPublic:
    return RankingStatusPublic(
        stopped=status.stopped,
        reason=status.reason,
        changed_by=status.changed_by,
        changed_at=status.changed_at,
    )


@router.get("/admin/ranking", response_model=RankingStatusPublic)
def ranking(principal: Admin, engine: EngineDep) -> RankingStatusPublic:
    del principal
    return _status_public(current_ranking_status(engine=engine))


@router.post("/admin/ranking:stop", response_model=RankingStatusPublic)
def stop(body: StopRequest, principal: Admin, engine: EngineDep) -> RankingStatusPublic:
    """From the next request, shortlists answer 503 with Retry-After; batch runs pause at
    their next checkpoint."""
    return _status_public(
        set_ranking_stopped(engine=engine, stopped=True, reason=body.reason, actor=principal.tenant)
    )


@router.post("/admin/ranking:resume", response_model=RankingStatusPublic)
def resume(body: StopRequest, principal: Admin, engine: EngineDep) -> RankingStatusPublic:
    return _status_public(
        set_ranking_stopped(
            engine=engine, stopped=False, reason=body.reason, actor=principal.tenant
        )
    )


@router.get("/batch-runs/{run_id}", responses=problems(404))
def batch_run(run_id: str, principal: Admin, engine: EngineDep) -> dict[str, Any]:
    """Progress, counts, timings and content hash of an overnight batch run."""
    del principal
    return batch_run_status(engine=engine, run_id=run_id).to_dict()
