"""Protection gaps: defenders at HIGH or CRITICAL risk whom no organization supports, and
territories with recent incidents where no organization works."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from service.access import Viewer
from service.analytics.cache import cached
from service.analytics.questions import logged_question
from service.analytics.risk import ALL_DEFENDERS, Risk, at_risk_defenders
from service.analytics.scope import territory_scope
from service.analytics.weights import ProtectionGapWeights, RiskWeights, load_weights
from service.store import Store


@dataclass(frozen=True)
class TerritoryGap:
    territory: str
    recent_incidents: int
    last_incident: str


@dataclass(frozen=True)
class ProtectionGaps:
    defenders: tuple[tuple[str, Risk], ...]
    territories: tuple[TerritoryGap, ...]


def unsupported(risk: Risk) -> bool:
    return not any(f.code == "support" and f.value for f in risk.factors)


@logged_question
async def protection_gaps(
    store: Store,
    viewer: Viewer,
    as_of: dt.date,
    weights: RiskWeights,
    territory: str | None = None,
    first: int = 20,
    gap_weights: ProtectionGapWeights | None = None,
) -> ProtectionGaps:
    """Cached like the ranking it rests on (service/analytics/cache.py)."""
    gap = gap_weights or load_weights().protection_gaps
    question = (
        "protection_gaps",
        territory,
        as_of.isoformat(),
        weights.model_dump_json(),
        gap.model_dump_json(),
    )
    found = await cached(
        store, viewer, question, lambda: _gaps(store, viewer, as_of, weights, territory, gap)
    )
    return ProtectionGaps(found.defenders[:first], found.territories[:first])


async def _gaps(
    store: Store,
    viewer: Viewer,
    as_of: dt.date,
    weights: RiskWeights,
    territory: str | None,
    gap: ProtectionGapWeights,
) -> ProtectionGaps:
    """Every gap, unranked by `first`: one cache entry serves every page size."""
    ranked = await at_risk_defenders(
        store, viewer, as_of, territory, first=ALL_DEFENDERS, weights=weights
    )
    defenders = [(d, r) for d, r in ranked if r.level in gap.grave_levels and unsupported(r)]
    since = (as_of - dt.timedelta(days=gap.recent_days)).isoformat()
    scope = await territory_scope(store, viewer, territory)
    rows = await store.read(
        "unprotected_territories",
        scope=scope,
        since=since,
        as_of=as_of.isoformat(),
        **viewer.params(),
    )
    places = [TerritoryGap(r["id"], int(r["incidents"]), r["last"]) for r in rows]
    return ProtectionGaps(tuple(defenders), tuple(places))
