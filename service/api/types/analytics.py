"""Types of the power analytics (docs/methodology.md): paths, risks, shadow power, power maps,
protection gaps, and graph views."""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from service.analytics.collective import CollectiveRisk as CollectiveData
from service.analytics.collusion import GraphView as View
from service.analytics.describe import display_name
from service.analytics.influence_paths import Hop as HopData
from service.analytics.power_map import ActorPower
from service.analytics.risk import Factor as FactorData
from service.analytics.risk import Risk
from service.analytics.sentences import formula, sentence
from service.analytics.shadow_power import CovertPath as CovertPathData
from service.analytics.shadow_power import ShadowPower
from service.analytics.victims import Victim as VictimData
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


@strawberry.type(description="A record an answer names: its name as the viewer may read it.")
class RecordRef:
    id: strawberry.ID
    label: str
    name: str | None


async def record_refs(info: Info[Any, Any], ids: list[str]) -> list[RecordRef]:
    """The records among `ids` the viewer may see, through the request's DataLoader (so a
    hidden record is left out and a defender's name gives way to her pseudonym); the ids of
    relationships, which are not records, are left out too."""
    nodes = await context(info).records.load_many(list(dict.fromkeys(ids)))
    return [
        RecordRef(id=n.id, label=n.label, name=display_name(n.label, vars(n)))
        for n in nodes
        if n is not None
    ]


@strawberry.type
class Param:
    name: str
    value: str


@strawberry.type(
    description="One term of a score: its code, the part of the score it belongs to (`term`), "
    "value x weight = contribution, the records behind it and a sentence in the request's "
    "language (docs/methodology.md)."
)
class Factor:
    code: str
    term: str
    value: float
    weight: float
    contribution: float
    params: list[Param]
    sentence: str
    evidence: list[str]
    name: str = strawberry.field(deprecation_reason="Use `code`.")

    @strawberry.field(description="The records behind the term, as the viewer may see them.")
    async def records(self, info: Info[Any, Any]) -> list[RecordRef]:
        return await record_refs(info, self.evidence)

    @classmethod
    def from_data(cls, f: FactorData) -> Factor:
        return cls(
            code=f.code,
            term=f.term,
            value=f.value,
            weight=f.weight,
            contribution=f.contribution,
            params=[Param(name=k, value=str(v)) for k, v in f.params],
            sentence=sentence(f),
            evidence=list(f.evidence),
            name=f.code,
        )


@strawberry.type(description="risk = threats x vulnerabilities / capacities (docs/methodology.md).")
class DefenderRisk:
    score: float
    level: RiskLevel
    threats: float
    vulnerabilities: float
    capacities: float
    factors: list[Factor]
    formula: str
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
            factors=[Factor.from_data(f) for f in risk.factors],
            formula=formula(
                "risk",
                score=risk.score,
                threats=risk.threats,
                vulnerabilities=risk.vulnerabilities,
                capacities=risk.capacities,
            ),
            defender_id=defender_id,
        )


@strawberry.type
class GraphEdge:
    id: strawberry.ID
    source: strawberry.ID
    target: strawberry.ID
    type: str
    confidence: float

    @strawberry.field(description="The record the relationship starts from, as seen.")
    async def source_record(self, info: Info[Any, Any]) -> RecordRef | None:
        found = await record_refs(info, [str(self.source)])
        return found[0] if found else None

    @strawberry.field(description="The record the relationship ends at, as seen.")
    async def target_record(self, info: Info[Any, Any]) -> RecordRef | None:
        found = await record_refs(info, [str(self.target)])
        return found[0] if found else None

    @classmethod
    def from_row(cls, tie: Any) -> GraphEdge:
        return cls(
            id=strawberry.ID(tie["id"]),
            source=strawberry.ID(tie["source"]),
            target=strawberry.ID(tie["target"]),
            type=tie["type"],
            confidence=float(tie["confidence"] or 0.0),
        )


@strawberry.type(description="A covert chain from an actor to a state institution it reaches.")
class CovertPath:
    actors: list[strawberry.ID]
    ties: list[strawberry.ID]
    strength: float
    links: list[GraphEdge]

    @strawberry.field(description="The actors of the chain, as the viewer may see them.")
    async def records(self, info: Info[Any, Any]) -> list[RecordRef]:
        return await record_refs(info, [str(a) for a in self.actors])

    @classmethod
    def from_data(cls, p: CovertPathData) -> CovertPath:
        return cls(
            actors=[strawberry.ID(a) for a in p.actors],
            ties=[strawberry.ID(t) for t in p.ties],
            strength=p.strength,
            links=[GraphEdge.from_row(tie) for tie in p.links],
        )


@strawberry.type(description="Shadow power of an actor and the components it is made of.")
class ShadowPowerScore:
    rank: int
    score: float
    covert_reach: float
    brokerage: float
    territorial_control: float
    attributed_incidents: float
    evidence: list[CovertPath]
    terms: list[Factor]
    formula: str
    actor_id: strawberry.Private[str]

    @strawberry.field
    async def actor(self, info: Info[Any, Any]) -> Actor | None:
        return await load_as(info, self.actor_id, Actor)

    @classmethod
    def from_score(cls, rank: int, s: ShadowPower) -> ShadowPowerScore:
        evidence = [CovertPath.from_data(p) for p in s.evidence]
        return cls(
            rank=rank,
            score=s.score,
            covert_reach=s.covert_reach,
            brokerage=s.brokerage,
            territorial_control=s.territorial_control,
            attributed_incidents=s.attributed_incidents,
            evidence=evidence,
            terms=[Factor.from_data(f) for f in s.terms],
            formula=formula("sum", score=s.score),
            actor_id=s.actor,
        )


@strawberry.type
class GraphNode:
    id: strawberry.ID
    label: str
    name: str
    group: int
    score: float


@strawberry.type(description="Nodes and edges as Cytoscape.js, D3 and Sigma take them.")
class GraphView:
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    brokers: list[strawberry.ID]

    @strawberry.field(description="The brokers, most central first, as the viewer sees them.")
    async def broker_records(self, info: Info[Any, Any]) -> list[RecordRef]:
        return await record_refs(info, [str(b) for b in self.brokers])

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
    UNCLASSIFIED = "UNCLASSIFIED"


@strawberry.type(
    description="An actor present in the territory, every class of power the evidence gives "
    "it (`powers`; `power` is the first, UNCLASSIFIED when none) and why."
)
class ActorPowerEntry:
    power: PowerKind
    powers: list[PowerKind]
    reasons: list[str]
    terms: list[Factor]
    actor_id: strawberry.Private[str]

    @strawberry.field
    async def actor(self, info: Info[Any, Any]) -> Actor | None:
        return await load_as(info, self.actor_id, Actor)

    @classmethod
    def from_data(cls, a: ActorPower) -> ActorPowerEntry:
        terms = [Factor.from_data(r) for r in a.reasons]
        return cls(
            power=PowerKind(a.power),
            powers=[PowerKind(p) for p in a.powers],
            reasons=[t.sentence for t in terms],
            terms=terms,
            actor_id=a.actor,
        )


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


@strawberry.type(
    description="A killed or disappeared defender, kept in view (docs/methodology.md)."
)
class Victim:
    status: str
    date: str | None
    incident_ids: strawberry.Private[tuple[str, ...]]
    place_ids: strawberry.Private[tuple[str, ...]]
    defender_id: strawberry.Private[str]

    @strawberry.field
    async def defender(self, info: Info[Any, Any]) -> Defender | None:
        return await load_as(info, self.defender_id, Defender)

    @strawberry.field(description="The incidents that date it, as the viewer may see them.")
    async def incidents(self, info: Info[Any, Any]) -> list[RecordRef]:
        return await record_refs(info, list(self.incident_ids))

    @strawberry.field(description="Where she worked, no finer than the viewer may see.")
    async def places(self, info: Info[Any, Any]) -> list[RecordRef]:
        return await record_refs(info, list(self.place_ids))

    @classmethod
    def from_data(cls, v: VictimData) -> Victim:
        return cls(
            status=v.status,
            date=v.date,
            incident_ids=v.incidents,
            place_ids=tuple(sorted(v.places)),
            defender_id=v.id,
        )


@strawberry.type(
    description="The risk of an organization or a community: the sum of its terms "
    "(docs/methodology.md)."
)
class CollectiveRisk:
    score: float
    level: RiskLevel
    terms: list[Factor]
    formula: str
    members: list[DefenderRisk]
    subject_id: strawberry.Private[str]

    @strawberry.field(description="The organization or territory, as the viewer may see it.")
    async def subject(self, info: Info[Any, Any]) -> RecordRef | None:
        found = await record_refs(info, [self.subject_id])
        return found[0] if found else None

    @classmethod
    def from_data(cls, c: CollectiveData) -> CollectiveRisk:
        return cls(
            score=c.score,
            level=RiskLevel(c.level),
            terms=[Factor.from_data(f) for f in c.terms],
            formula=formula("sum", score=c.score),
            members=[DefenderRisk.from_risk(d, r) for d, r in c.members],
            subject_id=c.subject,
        )
