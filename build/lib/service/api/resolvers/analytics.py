"""GraphQL fields of the power analytics (docs/methodology.md)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from service.analytics.collusion import collusion_network
from service.analytics.influence_paths import influence_paths
from service.analytics.power_map import power_map
from service.analytics.protection_gaps import protection_gaps
from service.analytics.risk import at_risk_defenders
from service.analytics.shadow_power import shadow_power
from service.api import deps
from service.api.context import context
from service.api.types.analytics import (
    ActorPowerEntry,
    DefenderRisk,
    GraphEdge,
    GraphView,
    Hop,
    IncidentCount,
    InfluencePath,
    PowerKind,
    PowerMap,
    ProtectionGaps,
    ShadowPowerScore,
    TerritoryGap,
)
from service.api.types.links import as_of_text
from service.api.types.pagination import page_size

if TYPE_CHECKING:
    from service.api.context import Context


async def analytics_context(info: Info[Any, Any]) -> Context:
    """The request's context, once this analytics field is counted against the key's stricter
    rate limit (every field of AnalyticsQuery starts here)."""
    ctx = context(info)
    await deps.rate_limits(info.context["request"]).analytics(ctx.key_id)
    return ctx


@strawberry.type
class AnalyticsQuery:
    @strawberry.field(
        description="The strongest chains from one record to another (docs/methodology.md)."
    )
    async def influence_paths(
        self,
        info: Info[Any, Any],
        source: Annotated[strawberry.ID, strawberry.argument(name="from")],
        to: strawberry.ID,
        max_hops: int | None = 4,
        first: int | None = 3,
        as_of: dt.date | None = None,
        types: list[str] | None = None,
    ) -> list[InfluencePath]:
        ctx = await analytics_context(info)
        paths = await influence_paths(
            ctx.store,
            ctx.viewer,
            str(source),
            str(to),
            as_of_text(as_of),
            max_hops=4 if max_hops is None else max_hops,
            first=page_size(3 if first is None else first),
            types=types,
        )
        return [
            InfluencePath(strength=p.strength, hops=[Hop.from_data(h) for h in p.hops])
            for p in paths
        ]

    @strawberry.field(description="Defenders by risk, highest first, with the factors behind it.")
    async def at_risk_defenders(
        self,
        info: Info[Any, Any],
        territory: strawberry.ID | None = None,
        min_score: float | None = None,
        as_of: dt.date | None = None,
        first: int | None = 20,
    ) -> list[DefenderRisk]:
        ctx = await analytics_context(info)
        day = dt.date.fromisoformat(as_of_text(as_of))
        ranked = await at_risk_defenders(
            ctx.store,
            ctx.viewer,
            day,
            territory=str(territory) if territory else None,
            min_score=min_score,
            first=page_size(20 if first is None else first),
            weights=ctx.weights.risk,
        )
        return [DefenderRisk.from_risk(defender_id, risk) for defender_id, risk in ranked]

    @strawberry.field(description="Actors by hidden power in a territory (docs/methodology.md).")
    async def shadow_power(
        self,
        info: Info[Any, Any],
        territory: strawberry.ID | None = None,
        as_of: dt.date | None = None,
        first: int | None = 20,
    ) -> list[ShadowPowerScore]:
        ctx = await analytics_context(info)
        day = dt.date.fromisoformat(as_of_text(as_of))
        ranked = await shadow_power(
            ctx.store,
            ctx.viewer,
            day,
            territory=str(territory) if territory else None,
            first=page_size(20 if first is None else first),
            weights=ctx.weights,
        )
        return [ShadowPowerScore.from_score(i + 1, score) for i, score in enumerate(ranked)]

    @strawberry.field(description="The power map of a territory and everything below it.")
    async def power_map(
        self, info: Info[Any, Any], territory: strawberry.ID, as_of: dt.date | None = None
    ) -> PowerMap:
        ctx = await analytics_context(info)
        found = await power_map(
            ctx.store,
            ctx.viewer,
            str(territory),
            dt.date.fromisoformat(as_of_text(as_of)),
            ctx.weights.power_map,
        )
        return PowerMap(
            actors=[
                ActorPowerEntry(power=PowerKind(a.power), reasons=list(a.reasons), actor_id=a.actor)
                for a in found.actors
            ],
            ties=[
                GraphEdge(
                    id=strawberry.ID(t["id"]),
                    source=strawberry.ID(t["source"]),
                    target=strawberry.ID(t["target"]),
                    type=t["type"],
                    confidence=float(t["confidence"] or 0.0),
                )
                for t in found.ties
            ],
            incident_counts=[IncidentCount(year=y, kind=k, count=c) for y, k, c in found.incidents],
            defender_ids=found.defenders,
            organization_ids=found.organizations,
        )

    @strawberry.field(description="Where protection is missing (docs/methodology.md).")
    async def protection_gaps(
        self,
        info: Info[Any, Any],
        territory: strawberry.ID | None = None,
        first: int | None = 20,
        as_of: dt.date | None = None,
    ) -> ProtectionGaps:
        ctx = await analytics_context(info)
        gaps = await protection_gaps(
            ctx.store,
            ctx.viewer,
            dt.date.fromisoformat(as_of_text(as_of)),
            ctx.weights.risk,
            territory=str(territory) if territory else None,
            first=page_size(20 if first is None else first),
            gap_weights=ctx.weights.protection_gaps,
        )
        return ProtectionGaps(
            defenders=[DefenderRisk.from_risk(d, r) for d, r in gaps.defenders],
            territories=[
                TerritoryGap(
                    recent_incidents=t.recent_incidents,
                    last_incident=t.last_incident,
                    territory_id=t.territory,
                )
                for t in gaps.territories
            ],
        )

    @strawberry.field(description="State to non-state collusion: communities and brokers.")
    async def collusion_network(
        self,
        info: Info[Any, Any],
        territory: strawberry.ID | None = None,
        as_of: dt.date | None = None,
    ) -> GraphView:
        ctx = await analytics_context(info)
        view = await collusion_network(
            ctx.store, ctx.viewer, str(territory) if territory else None, as_of_text(as_of)
        )
        return GraphView.from_view(view)
