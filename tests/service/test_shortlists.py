"""A live shortlist whose candidate is erased while it is being ranked."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import numpy.typing as npt
from sqlalchemy import text

from matcher.domain.pseudonyms import candidate_pseudonym
from matcher.domain.records import RequisitionRecord
from matcher.eligibility.gate import GateCache, GateResult
from matcher.eligibility.index import EligibilityIndex
from matcher.service.erasure import erase_candidate
from matcher.service.shortlists import Serving
from matcher.settings import DEV_PSEUDONYM_KEY
from tests.api.test_erasure import uk_radiographers
from tests.api_support import Api


class _ErasingGates(GateCache):
    """The gate cache, erasing one candidate the first time ranking consults it: the erasure
    commits after the shortlist's read transaction and before its write transaction."""

    def __init__(self, api: Api, candidate_id: int) -> None:
        super().__init__()
        self._api, self._candidate_id, self.erased = api, candidate_id, False

    def whole(
        self,
        requisition: RequisitionRecord,
        index: EligibilityIndex,
        positions: npt.NDArray[np.intp],
    ) -> GateResult | None:
        if not self.erased:
            erase_candidate(
                engine=self._api.engine,
                agency="agency-a",
                candidate_id=self._candidate_id,
                pseudonym_key=DEV_PSEUDONYM_KEY,
            )
            self.erased = True
        return super().whole(requisition, index, positions)


def test_a_candidate_erased_while_ranked_is_neither_shown_disclosed_nor_logged(api: Api) -> None:
    candidates, requisition = uk_radiographers(12)
    stored = api.call(
        "POST",
        "/v1/candidates:batch",
        "agency-a",
        content=json.dumps(candidates),
        headers={"Content-Type": "application/json", "Idempotency-Key": "k1"},
    )
    assert stored.status_code == 200, stored.text
    req = api.call("POST", "/v1/requisitions", "hospital-a", json=requisition).json()
    url = f"/v1/requisitions/{req['id']}/shortlist"
    before = api.call("GET", url, "hospital-a", params={"limit": 50}).json()["matches"]
    target = before[1]["candidate_id"]  # not the last: the places after it close up

    serving: Serving = api.client.app.state.serving  # type: ignore[attr-defined]
    gates = _ErasingGates(api, target)
    api.client.app.state.serving = replace(serving, gates=gates)  # type: ignore[attr-defined]
    response = api.call("GET", url, "hospital-a", params={"limit": 50})

    assert gates.erased
    assert response.status_code == 200, response.text
    shown = response.json()["matches"]
    assert [m["candidate_id"] for m in shown] == [
        m["candidate_id"] for m in before if m["candidate_id"] != target
    ]
    assert [m["rank"] for m in shown] == list(range(1, len(shown) + 1))
    with api.engine.connect() as conn:
        disclosed = conn.execute(
            text("select count(*) from disclosure where candidate_id = :c"), {"c": target}
        ).scalar_one()
        last = conn.execute(
            text("select candidates from decision_log order by seq desc limit 1")
        ).scalar_one()
    assert disclosed == 0
    logged = json.dumps(last) if not isinstance(last, str) else last
    assert candidate_pseudonym(DEV_PSEUDONYM_KEY, target) not in logged
    assert len(json.loads(logged)) == len(shown)
