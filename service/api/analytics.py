"""GraphQL fields of the power analytics (docs/methodology.md)."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from service.analytics.collusion import GraphView as View
from service.analytics.collusion import collusion_view
from service.analytics.influence_paths import Hop as HopData
from service.analytics.influence_paths import influence_paths
from service.analytics.offload import run_off_loop
from service.analytics.power_map import power_map
from service.analytics.projection import project
from service.analytics.protection_gaps import protection_gaps
from service.analytics.risk import Risk, at_risk_defenders
from service.analytics.shadow_power import ShadowPower, shadow_power
from service.api.limits import spend_analytics
from service.api.types import (
    Actor,
    Defender,
    Node,
    Organization,
    Territory,
    as_of_text,
    context,
    load_all_as,
    load_as,
    page_size,
)

if TYPE_CHECKING:
    from service.api.context import Context


@strawberry.type(description="One relationship on an influence path, in the path's direction.")
class Hop:
    id: strawberry.ID
    type: str
    confidence: float
    sources: list[str]
    start: strawberry.Private[str]
    end: strawberry.Private[str]

    @strawberry.field(name="from")
    async def from_(self, info: Info[Any, Any]) -> Node | None:
        return await context(info).records.load(self.start)

    @strawberry.field
    async def to(self, info: Info[Any, Any]) -> Node | None:
        return await context(info).records.load(self.end)

    @classmethod
    def from_data(cls, hop: HopData) -> Hop:
        return cls(
            id=strawberry.ID(hop.id), type=hop.type, confidence=hop.confidence,
            sources=list(hop.sources), start=hop.start, end=hop.end,
        )  # fmt: skip


@strawberry.type(description="A chain of relationships; strength = product of confidences.")
class InfluencePath:
    strength: float
    hops: list[Hop]


@strawberry.enum
class RiskLevel(Enum):
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"
    CRITICAL = "CRITICAL"


@strawberry.type(description="One term of a score: value x weight, and the records behind it.")
class Factor:
    name: str
    value: float
    weight: float
    evidence: list[str]


@strawberry.type(description="risk = threats x vulnerabilities / capacities (docs/methodology.md).")
class DefenderRisk:
    score: float
    level: RiskLevel
    threats: float
    vulnerabilities: float
    capacities: float
    factors: list[Factor]
    defender_id: strawberry.Private[str]

    @strawberry.field
    async def defender(self, info: Info[Any, Any]) -> Defender | None:
        return await load_as(info, self.defender_id, Defender)

    @classmethod
    def from_risk(cls, defender_id: str, risk: Risk) -> DefenderRisk:
        return cls(
            score=risk.score, level=RiskLevel(risk.level), threats=risk.threats,
            vulnerabilities=risk.vulnerabilities, capacities=risk.capacities,
            factors=[Factor(name=f.name, value=f.value, weight=f.weight, evidence=list(f.evidence))
                     for f in risk.factors],
            defender_id=defender_id,
        )  # fmt: skip


@strawberry.type(description="A covert chain from an actor to a state institution it reaches.")
class CovertPath:
    actors: list[strawberry.ID]
    ties: list[strawberry.ID]
    strength: float


@strawberry.type(description="Shadow power of an actor and the components it is made of.")
class ShadowPowerScore:
    rank: int
    score: float
    covert_reach: float
    brokerage: float
    territorial_control: float
    attributed_incidents: float
    evidence: list[CovertPath]
    actor_id: strawberry.Private[str]

    @strawberry.field
    async def actor(self, info: Info[Any, Any]) -> Actor | None:
        return await load_as(info, self.actor_id, Actor)

    @classmethod
    def from_score(cls, rank: int, s: ShadowPower) -> ShadowPowerScore:
        evidence = [
            CovertPath(actors=[strawberry.ID(a) for a in p.actors],
                       ties=[strawberry.ID(t) for t in p.ties], strength=p.strength)
            for p in s.evidence
        ]  # fmt: skip
        return cls(
            rank=rank, score=s.score, covert_reach=s.covert_reach, brokerage=s.brokerage,
            territorial_control=s.territorial_control, attributed_incidents=s.attributed_incidents,
            evidence=evidence, actor_id=s.actor,
        )  # fmt: skip


@strawberry.type
class GraphNode:
    id: strawberry.ID
    label: str
    name: str
    group: int
    score: float


@strawberry.type
class GraphEdge:
    id: strawberry.ID
    source: strawberry.ID
    target: strawberry.ID
    type: str
    confidence: float


@strawberry.type(description="Nodes and edges as Cytoscape.js, D3 and Sigma take them.")
class GraphView:
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    brokers: list[strawberry.ID]

    @classmethod
    def from_view(cls, view: View) -> GraphView:
        nodes = [
            GraphNode(
                id=strawberry.ID(n.id), label=n.label, name=n.name, group=n.group, score=n.score
            )
            for n in view.nodes
        ]
        edges = [
            GraphEdge(id=strawberry.ID(e.id), source=strawberry.ID(e.source),
                      target=strawberry.ID(e.target), type=e.type, confidence=e.confidence)
            for e in view.edges
        ]  # fmt: skip
        return cls(nodes=nodes, edges=edges, brokers=[strawberry.ID(b) for b in view.brokers])


@strawberry.enum
class PowerKind(Enum):
    VISIBLE = "VISIBLE"
    HIDDEN = "HIDDEN"
    INVISIBLE = "INVISIBLE"


@strawberry.type(description="An actor present in the territory and the kind of power it holds.")
class ActorPowerEntry:
    power: PowerKind
    reasons: list[str]
    actor_id: strawberry.Private[str]

    @strawberry.field
    async def actor(self, info: Info[Any, Any]) -> Actor | None:
        return await load_as(info, self.actor_id, Actor)


@strawberry.type
class IncidentCount:
    year: str
    kind: str
    count: int


@strawberry.type(
    description="Who holds which power in a territory, who works there, what happened."
)
class PowerMap:
    actors: list[ActorPowerEntry]
    ties: list[GraphEdge]
    incident_counts: list[IncidentCount]
    defender_ids: strawberry.Private[tuple[str, ...]]
    organization_ids: strawberry.Private[tuple[str, ...]]

    @strawberry.field
    async def defenders(self, info: Info[Any, Any]) -> list[Defender]:
        return await load_all_as(info, self.defender_ids, Defender)

    @strawberry.field
    async def organizations(self, info: Info[Any, Any]) -> list[Organization]:
        return await load_all_as(info, self.organization_ids, Organization)


@strawberry.type
class TerritoryGap:
    recent_incidents: int
    last_incident: str
    territory_id: strawberry.Private[str]

    @strawberry.field
    async def territory(self, info: Info[Any, Any]) -> Territory | None:
        return await load_as(info, self.territory_id, Territory)


@strawberry.type(
    description="Defenders at HIGH or CRITICAL risk with no support, and places with recent "
    "incidents where no organization works."
)
class ProtectionGaps:
    defenders: list[DefenderRisk]
    territories: list[TerritoryGap]


async def analytics_context(info: Info[Any, Any]) -> Context:
    """The request's context, once this analytics field is counted against the key's stricter
    rate limit (every field of AnalyticsQuery starts here)."""
    ctx = context(info)
    await spend_analytics(info, ctx.key_id)
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
            ctx.store, ctx.viewer, str(source), str(to), as_of_text(as_of),
            max_hops=4 if max_hops is None else max_hops,
            first=page_size(3 if first is None else first), types=types,
        )  # fmt: skip
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
            ctx.store, ctx.viewer, day, territory=str(territory) if territory else None,
            min_score=min_score, first=page_size(20 if first is None else first),
            weights=ctx.weights.risk,
        )  # fmt: skip
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
            ctx.store, ctx.viewer, day, territory=str(territory) if territory else None,
            first=page_size(20 if first is None else first), weights=ctx.weights,
        )  # fmt: skip
        return [ShadowPowerScore.from_score(i + 1, score) for i, score in enumerate(ranked)]

    @strawberry.field(description="The power map of a territory and everything below it.")
    async def power_map(
        self, info: Info[Any, Any], territory: strawberry.ID, as_of: dt.date | None = None
    ) -> PowerMap:
        ctx = await analytics_context(info)
        found = await power_map(
            ctx.store, ctx.viewer, str(territory), dt.date.fromisoformat(as_of_text(as_of))
        )
        return PowerMap(
            actors=[ActorPowerEntry(power=PowerKind(a.power), reasons=list(a.reasons),
                                    actor_id=a.actor) for a in found.actors],
            ties=[GraphEdge(id=strawberry.ID(t["id"]), source=strawberry.ID(t["source"]),
                            target=strawberry.ID(t["target"]), type=t["type"],
                            confidence=float(t["confidence"] or 0.0)) for t in found.ties],
            incident_counts=[IncidentCount(year=y, kind=k, count=c) for y, k, c in found.incidents],
            defender_ids=found.defenders,
            organization_ids=found.organizations,
        )  # fmt: skip

    @strawberry.field(description="Where protection is missing (docs/methodology.md).")
    async def protection_gaps(
        self, info: Info[Any, Any], territory: strawberry.ID | None = None,
        first: int | None = 20, as_of: dt.date | None = None,
    ) -> ProtectionGaps:  # fmt: skip
        ctx = await analytics_context(info)
        gaps = await protection_gaps(
            ctx.store, ctx.viewer, dt.date.fromisoformat(as_of_text(as_of)), ctx.weights.risk,
            territory=str(territory) if territory else None,
            first=page_size(20 if first is None else first),
        )  # fmt: skip
        return ProtectionGaps(
            defenders=[DefenderRisk.from_risk(d, r) for d, r in gaps.defenders],
            territories=[TerritoryGap(recent_incidents=t.recent_incidents,
                                      last_incident=t.last_incident, territory_id=t.territory)
                         for t in gaps.territories],
        )  # fmt: skip

    @strawberry.field(description="State to non-state collusion: communities and brokers.")
    async def collusion_network(
        self,
        info: Info[Any, Any],
        territory: strawberry.ID | None = None,
        as_of: dt.date | None = None,
    ) -> GraphView:
        ctx = await analytics_context(info)
        network = await project(
            ctx.store, ctx.viewer, str(territory) if territory else None, as_of_text(as_of)
        )
        view = await run_off_loop(None, collusion_view, network)  # communities: CPU, not I/O
        return GraphView.from_view(view)
