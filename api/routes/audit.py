"""Auditors: bias audits and the decision log's integrity. Demographics never leave here."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.auth import Auditor
from api.deps import EngineDep
from api.routes.common import AUTHED
from matcher.audit.decision_log import verify_decision_log
from matcher.audit.from_records import audit_from_records
from matcher.audit.impact import Dimension
from matcher.domain.codes import Stage

router = APIRouter(prefix="/v1/audit", tags=["audit"], responses=AUTHED)


@router.get("/impact")
def impact(
    principal: Auditor,
    engine: EngineDep,
    stage: Annotated[
        Stage, Query(description="Selected = reached this stage or later (shown = shortlisted)")
    ] = Stage.SHORTLISTED,
    dimension: Annotated[list[Dimension] | None, Query(description="Default: all")] = None,
    include_small: Annotated[
        bool, Query(description="Keep categories under 2% of the data in the ratios")
    ] = False,
    hospital: Annotated[str | None, Query(max_length=120)] = None,
) -> dict[str, Any]:
    """NYC LL144 selection-rate impact ratios by sex, race/ethnicity, both, and country of
    training, over recorded outcomes and shortlist disclosures."""
    report = audit_from_records(
        engine=engine,
        role=principal.role.value,
        stage=stage,
        owner=hospital,
        dimensions=dimension or tuple(Dimension),
        include_small=include_small,
    )
    return report.to_dict()


@router.get("/decision-log:verify")
def verify(principal: Auditor, engine: EngineDep) -> dict[str, Any]:
    """Recompute the hash chain; `ok` is false and `broken_seq` names the first bad record."""
    del principal
    result = verify_decision_log(engine=engine)
    return {
        "ok": result.ok,
        "checked": result.checked,
        "head_seq": result.head_seq,
        "broken_seq": result.broken_seq,
        "problem": result.problem,
    }
