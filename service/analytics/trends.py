"""Incidents over time in a territory: counts per period by kind, perpetrator or target group,
with the change against the period before (the first period is compared with the one of the
same length just before `from`)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum

from service.access import Viewer
from service.analytics.changes import incident_facts
from service.analytics.periods import Interval, Period, periods
from service.analytics.scope import territory_scope
from service.store import Row, Store


class TrendBy(StrEnum):
    KIND = "KIND"
    PERPETRATOR = "PERPETRATOR"
    TARGET_GROUP = "TARGET_GROUP"


@dataclass(frozen=True)
class TrendPoint:
    start: dt.date
    end: dt.date
    key: str  # an incident kind, an actor id, or a target group
    count: int
    previous: int

    @property
    def change(self) -> float | None:
        """Relative change against the period before; None when it had none."""
        return (self.count - self.previous) / self.previous if self.previous else None


def target_groups(target: Row) -> list[str]:
    """A defender counts under each of her identities (`defender` when none is recorded); an
    organization under `organization:<kind>`."""
    if target.get("label") == "Organization":
        return [f"organization:{target.get('kind')}"]
    return list(target.get("identities") or []) or ["defender"]


def keys_of(incident: Row, by: TrendBy) -> set[str]:
    if by is TrendBy.KIND:
        return {incident["kind"]}
    if by is TrendBy.PERPETRATOR:
        return set(incident["perpetrators"]) or {"unknown"}
    return {g for t in incident["targets"] for g in target_groups(t)} or {"unknown"}


def _count(rows: list[Row], period: Period, by: TrendBy) -> Counter[str]:
    low, high = period.start.isoformat(), period.end.isoformat()
    return Counter(k for r in rows if low <= r["date"] <= high for k in keys_of(r, by))


async def trends(
    store: Store,
    viewer: Viewer,
    territory: str,
    by: TrendBy,
    start: dt.date,
    end: dt.date,
    interval: Interval,
) -> list[TrendPoint]:
    """Counts per period and key, in period order then key order; keys with no incident in a
    period and none in the one before are left out."""
    spans = periods(start, end, interval)
    scope = await territory_scope(store, viewer, territory) or []
    first = spans[0].before()
    rows = await incident_facts(store, viewer, scope, Period(first.start, end)) if scope else []
    points = []
    previous = _count(rows, first, by)
    for span in spans:
        counts = _count(rows, span, by)
        for key in sorted(counts.keys() | previous.keys()):
            points.append(TrendPoint(span.start, span.end, key, counts[key], previous[key]))
        previous = counts
    return points
