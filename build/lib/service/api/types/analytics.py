"""Types of the power analytics (docs/methodology.md): paths, risks, shadow power, power maps,
protection gaps, and graph views."""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from service.analytics.collusion import GraphView as View
from service.analytics.influence_paths import Hop as HopData
from service.analytics.risk import Risk
from service.analytics.shadow_power import ShadowPower
from service.api.context import context
from service.api.types.records import (
    Actor,
    Defender,
    Node,
    Organization,
    Territory,
    load_all_as,
    load_as,
)


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
            id=strawberry.ID(hop.id),
            type=hop.type,
            confidence=hop.confidence,
            sources=list(hop.sources),
            start=hop.start,
            end=hop.end,
        )


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
            score=risk.score,
            level=RiskLevel(risk.level),
            threats=risk.threats,
            vulnerabilities=risk.vulnerabilities,
            capacities=risk.capacities,
            factors=[
                Factor(name=f.name, value=f.value, weight=f.weight, evidence=list(f.evidence))
                for f in risk.factors
            ],
            defender_id=defender_id,
        )


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
            CovertPath(
                actors=[strawberry.ID(a) for a in p.actors],
                ties=[strawberry.ID(t) for t in p.ties],
                strength=p.strength,
            )
            for p in s.evidence
        ]
        return cls(
            rank=rank,
            score=s.score,
            covert_reach=s.covert_reach,
            brokerage=s.brokerage,
            territorial_control=s.territorial_control,
            attributed_incidents=s.attributed_incidents,
            evidence=evidence,
            actor_id=s.actor,
        )


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
            GraphEdge(
                id=strawberry.ID(e.id),
                source=strawberry.ID(e.source),
                target=strawberry.ID(e.target),
                type=e.type,
                confidence=e.confidence,
            )
            for e in view.edges
        ]
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
