"""A risk over time: the score and its factors computed as of each day, as the viewer may see
the graph (validity dates and incident dates say what held on each day)."""

from __future__ import annotations

import datetime as dt

from service.access import Viewer
from service.analytics.risk import Risk, risks_of
from service.analytics.weights import RiskWeights
from service.store import Store


async def defender_history(
    store: Store, viewer: Viewer, defender: str, days: list[dt.date], w: RiskWeights
) -> list[tuple[dt.date, Risk]]:
    """(day, risk) for each day; empty when the viewer may not see the defender."""
    found = []
    for day in days:
        scored = await risks_of(store, viewer, [defender], day, w)
        if not scored:
            return []
        found.append((day, scored[0][1]))
    return found


async def organization_history(
    store: Store, viewer: Viewer, organization: str, days: list[dt.date], w: RiskWeights
) -> list[tuple[dt.date, list[tuple[str, Risk]]]]:
    """(day, the risk of each member the viewer may see on that day) for each day."""
    found = []
    for day in days:
        rows = await store.read(
            "members_of_organization", id=organization, as_of=day.isoformat(), **viewer.params()
        )
        found.append((day, await risks_of(store, viewer, [r["id"] for r in rows], day, w)))
    return found
