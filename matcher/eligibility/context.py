"""What a verdict reads from a requisition (place, dates, modalities), and the day it is made."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from matcher.domain.records import RequisitionRecord


@dataclass(frozen=True)
class Context:
    """Everything `assess` reads from a requisition, plus the date of assessment."""

    region: str | None
    country: str
    start: date | None
    contract_end: date | None
    modalities: frozenset[str]
    today: date

    @classmethod
    def of(cls, requisition: RequisitionRecord, today: date) -> Context:
        start = requisition.start_date
        end = None
        if start is not None and requisition.duration_weeks is not None:
            end = start + timedelta(weeks=requisition.duration_weeks)
        facility = requisition.facility
        region = (
            facility.region if facility.region and facility.region != facility.country else None
        )
        return cls(
            region=region,
            country=facility.country,
            start=start,
            contract_end=end,
            modalities=frozenset(m.value for m in requisition.required_modalities),
            today=today,
        )

    def undated(self) -> Context:
        """The context without start and end dates: expiry then only tells expired or not."""
        return replace(self, start=None, contract_end=None)
