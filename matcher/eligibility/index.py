"""Eligibility status and lead time of a whole candidate pool at once, for any requisition.

`assess` answers one pair; a batch asks for millions. What a verdict depends on splits in two:
the route (which rule applies, its steps and their known durations) depends on the candidate,
the destination and today, and the status then follows from the start date by a little date
arithmetic (`routes.route_status`). So this index

- groups the pool once per day into inputs: candidates alike in everything routes read
  (credentials, which of them have expired, training, language evidence and its staleness,
  occupation, experience thresholds met);
- keeps per destination an array from input to a set of route outcomes, filled the first time
  an input is seen there (one `assess`-grade computation per input and destination, cached
  across pools and requests by `routes.ROUTES`);
- turns outcome sets into statuses and lead times with NumPy for each requisition's start date.

The status and lead time equal `assess(...).status` and `.lead_time_days` for every pair
(tests/eligibility/test_eligibility_index.py checks it pair by pair); the full verdict with
its steps and warnings is computed by `assess` only for the candidates a shortlist shows.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from matcher.domain.records import CandidateRecord, RequisitionRecord
from matcher.eligibility.context import Context
from matcher.eligibility.data_cache import DataCache
from matcher.eligibility.profile import profile_from_key, profile_key
from matcher.eligibility.routes import (
    OUTCOME_FIXED,
    OUTCOME_KNOWN_LEAD,
    destination_key,
    routes_of_date_free,
)
from matcher.eligibility.statics import credential_states, skill_buckets, static_of
from matcher.eligibility.verdict import STATUS_ORDER
from matcher.rules.credentials import CredentialData, default_credential_data

SHOWN_MAX_CODE = STATUS_ORDER["eligible_after_start"]  # hidden by default above this
_NO_LEAD = 1 << 30  # sorts after any known lead, as `assess_profile` ranks routes
_PAD_ORDER = 99  # padding outcome: never the best

# The distinct sets of route outcomes, numbered. Never cleared: live indexes (and
# INPUT_OUTCOMES) hold the numbers, and the sets are few (17 small tuples for 20,000 generated
# candidates x 300 requisitions x 3 days).
_outcome_lock = threading.Lock()
_OUTCOME_SETS: dict[tuple[tuple[int, int], ...], int] = {}
_OUTCOME_ROWS: list[tuple[tuple[int, int], ...]] = []
_outcome_arrays: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]] | None = None


def _outcome_set_id(outcomes: tuple[tuple[int, int], ...]) -> int:
    global _outcome_arrays
    with _outcome_lock:
        found = _OUTCOME_SETS.get(outcomes)
        if found is None:
            found = _OUTCOME_SETS[outcomes] = len(_OUTCOME_ROWS)
            _OUTCOME_ROWS.append(outcomes)
            _outcome_arrays = None
        return found


def _outcome_table() -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(kinds, values), one row per outcome set, padded with outcomes that never win."""
    global _outcome_arrays
    with _outcome_lock:
        if _outcome_arrays is None:
            width = max((len(row) for row in _OUTCOME_ROWS), default=1)
            kinds = np.full((len(_OUTCOME_ROWS), width), OUTCOME_FIXED, dtype=np.int64)
            values = np.full((len(_OUTCOME_ROWS), width), _PAD_ORDER, dtype=np.int64)
            for i, row in enumerate(_OUTCOME_ROWS):
                kinds[i, : len(row)] = [kind for kind, _ in row]
                values[i, : len(row)] = [value for _, value in row]
            _outcome_arrays = (kinds, values)
        return _outcome_arrays


def statuses_of_sets(
    delta_days: int,
) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.float64]]:
    """Status code and lead time (NaN: unknown) of every outcome set for a start date
    `delta_days` after today: `routes.route_status` per route, then the best route."""
    kinds, values = _outcome_table()
    known = kinds == OUTCOME_KNOWN_LEAD
    order = np.where(
        kinds == OUTCOME_FIXED,
        values,
        np.where(
            known,
            np.where(values == 0, 0, np.where(values <= delta_days, 1, 2)),
            np.where(values > delta_days, 2, 3),  # partly known: overruns, or unknown
        ),
    )
    rank = order * (1 << 32) + np.where(known, values, _NO_LEAD)
    best = rank.argmin(axis=1)  # the first best, as min() picks
    rows = np.arange(kinds.shape[0])
    lead = np.where(known[rows, best], values[rows, best], np.nan).astype(np.float64)
    return order[rows, best].astype(np.int8), lead


# (destination, input key) -> outcome set id, across indexes in this process. Small entries:
# a key of a few ints, an int.
INPUT_OUTCOMES: DataCache[int] = DataCache(limit=1_000_000)


class EligibilityIndex:
    """One pool's candidates grouped for one day, with route outcomes per destination."""

    def __init__(
        self, records: Sequence[CandidateRecord], today: date, data: CredentialData | None = None
    ) -> None:
        self.records = records
        self.today = today
        self.data = data or default_credential_data()
        statics = [static_of(record, self.data) for record in records]
        undated = _context_for_today(today)
        if statics:
            states = credential_states(statics, undated)
            buckets = skill_buckets(statics, undated, self.data)
            signatures = np.fromiter((s.signature_id for s in statics), np.int64, len(statics))
            rows = np.column_stack([signatures, states, buckets])
            _, first, inverse = np.unique(rows, axis=0, return_index=True, return_inverse=True)
        else:
            first, inverse = np.zeros(0, np.intp), np.zeros(0, np.intp)
        # What each input is, as a key valid beyond this index (signature ids are never reused
        # in a process; padding is left out, so pools of other widths agree): a new pool
        # object, as the API builds after a write, finds the outcomes of the inputs it shares
        # with the last one without computing them again.
        self.input_keys: list[tuple[Any, ...]] = []
        for position in first.tolist():
            static = statics[position]
            self.input_keys.append(
                (
                    static.signature_id,
                    tuple(states[position, : len(static.credentials)].tolist()),
                    tuple(buckets[position, : len(static.skills)].tolist()),
                )
            )
        self.inputs = inverse.reshape(-1).astype(np.intp)  # candidate position -> input
        self.representatives = first.astype(np.intp)  # input -> a candidate position
        # Destination key -> outcome set per input (-1: not computed yet).
        self._sets: dict[tuple[Any, ...], npt.NDArray[np.int64]] = {}
        self._lock = threading.Lock()

    def statuses(
        self, positions: npt.NDArray[np.intp], requisition: RequisitionRecord
    ) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.float64]]:
        """Status codes (STATUS_ORDER) and lead times (NaN: unknown) at `positions`."""
        if positions.size == 0:
            return np.zeros(0, np.int8), np.zeros(0, np.float64)
        ctx = Context.of(requisition, self.today)
        undated = ctx.undated()
        occupation = requisition.occupation.value if requisition.occupation else None
        destination = (*destination_key(ctx, self.data), occupation)
        with self._lock:
            sets = self._sets.get(destination)
            if sets is None:
                sets = self._sets[destination] = np.full(len(self.representatives), -1, np.int64)
        inputs = self.inputs[positions]
        seen = np.unique(inputs)
        for missing in seen[sets[seen] < 0].tolist():
            key = (destination, self.input_keys[missing])
            known = INPUT_OUTCOMES.get(self.data, key)
            if known is not None:
                sets[missing] = known
                continue
            record = self.records[int(self.representatives[missing])]
            profile = profile_from_key(profile_key(record, requisition, undated, self.data))
            routes = routes_of_date_free(profile, ctx, self.data)
            outcomes = tuple(r.outcome for r in routes) or (
                (OUTCOME_FIXED, STATUS_ORDER["unknown"]),
            )
            sets[missing] = _outcome_set_id(outcomes)  # a race writes the same value twice
            INPUT_OUTCOMES.put(self.data, key, int(sets[missing]))
        delta = ((ctx.start or self.today) - self.today).days
        codes, lead = statuses_of_sets(delta)
        chosen = sets[inputs]
        return codes[chosen], lead[chosen]


def _context_for_today(today: date) -> Context:
    """A context with no start or end date: only whether a credential has expired shows."""
    return Context(
        region=None, country="", start=None, contract_end=None, modalities=frozenset(), today=today
    )
