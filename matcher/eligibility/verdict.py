"""The verdict for one (candidate, requisition) pair: a status, and the pathway behind it.

A rule from fixtures/credentials/equivalence.toml (or the home rule of a licence held) names the
pathway; the candidate's credentials, training country and language evidence decide which rule
applies and which steps remain (`matcher.eligibility.assessment` computes it). Nationality is
not in the records, so where a law makes citizenship a condition it is reported as a warning
to verify, never scored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from matcher.rules.credentials.rules import RuleStatus, Step
from matcher.rules.credentials.validation import iso

EligibilityStatus = Literal[
    "eligible_now", "eligible_by_start", "eligible_after_start", "ineligible", "unknown"
]
STATUS_ORDER: dict[EligibilityStatus, int] = {
    "eligible_now": 0,
    "eligible_by_start": 1,
    "eligible_after_start": 2,
    "unknown": 3,
    "ineligible": 4,
}
# Status names by code; the codes are STATUS_ORDER's, so a smaller code is a better status.
STATUS_NAMES: tuple[EligibilityStatus, ...] = tuple(
    sorted(STATUS_ORDER, key=lambda s: STATUS_ORDER[s])
)


@dataclass(frozen=True)
class Eligibility:
    """The verdict for one (candidate, requisition) pair, with the pathway that produced it.

    `steps` are the remaining steps in order (optional ones have required=False and do not count
    towards `lead_time_days`). `lead_time_days` is None when any required step's duration is
    not in the sources, or when no route exists.
    """

    status: EligibilityStatus
    destination: str
    occupation: str | None
    rule_id: str | None
    pathway: str | None
    pathway_status: RuleStatus | None
    steps: tuple[Step, ...]
    lead_time_days: int | None
    earliest_start_date: date | None
    source: str | None
    as_of: date | None
    warnings: tuple[str, ...]
    notes: tuple[str, ...] = ()

    @property
    def gate_passed(self) -> bool:
        """True unless the hard gate hides this match by default (ineligible or unknown)."""
        return self.status not in ("ineligible", "unknown")

    @property
    def known_fees(self) -> dict[str, float]:
        """Sourced fees of the required steps, summed per currency; a lower bound of the cost."""
        totals: dict[str, float] = {}
        for step in self.steps:
            if step.required and step.fee is not None and step.currency is not None:
                totals[step.currency] = round(totals.get(step.currency, 0.0) + step.fee, 2)
        return totals

    @property
    def route_exists(self) -> bool:
        """A sourced direct or conditional pathway applies, even if its lead time is unknown."""
        return self.pathway_status in ("direct", "conditional") and self.status != "ineligible"

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "destination": self.destination,
            "occupation": self.occupation,
            "rule_id": self.rule_id,
            "pathway": self.pathway,
            "pathway_status": self.pathway_status,
            "steps": [step.to_dict() for step in self.steps],
            "lead_time_days": self.lead_time_days,
            "known_fees": self.known_fees,
            "earliest_start_date": iso(self.earliest_start_date),
            "source": self.source,
            "as_of": iso(self.as_of),
            "warnings": list(self.warnings),
            "notes": list(self.notes),
            "route_exists": self.route_exists,
        }
