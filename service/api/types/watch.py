"""GraphQL types of changes, risk histories, trends, impunity, watches and warnings (issue 17)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from service.analytics.changes import ChangeKind
from service.analytics.describe import RecordRef as Ref
from service.analytics.impunity import Impunity as ImpunityData
from service.analytics.periods import Interval
from service.analytics.trends import TrendBy
from service.analytics.trends import TrendPoint as TrendData
from service.api.errors import InputErrors
from service.api.types.analytics import DefenderRisk, RecordRef
from service.warnings.inbox import Warning as WarningData
from service.warnings.watches import Watch as WatchData
from service.warnings.watches import WatchKind

# The codes are the analytics' own enumerations, registered as GraphQL enums here.
strawberry.enum(ChangeKind, description="What a change is about.")
strawberry.enum(TrendBy, description="What trends count incidents by.")
strawberry.enum(Interval, description="The length of a trend's periods.")
strawberry.enum(WatchKind, description="What a watch waits for.")


def record_ref(ref: Ref) -> RecordRef:
    """A record named outside a request (a warning, a change) as analytics answers name one."""
    return RecordRef(id=strawberry.ID(ref.id), label=ref.label, name=ref.name)


@strawberry.type(description="One change in the power around a territory, with its records.")
class Change:
    kind: ChangeKind
    code: str
    sentence: str
    date: str | None
    covert: bool
    records: list[RecordRef]


@strawberry.type(description="A defender's risk as computed on one day.")
class RiskPoint:
    date: dt.date
    risk: DefenderRisk


@strawberry.type(description="An organization's members' risk on one day.")
class OrganizationRiskPoint:
    date: dt.date
    members: int
    highest: float
    mean: float
    at_high_or_above: int
    risks: list[DefenderRisk]


@strawberry.type(description="Incidents in one period under one key, against the period before.")
class TrendPoint:
    start: dt.date
    end: dt.date
    key: str
    count: int
    previous: int
    change: float | None

    @classmethod
    def of(cls, p: TrendData) -> TrendPoint:
        return cls(
            start=p.start, end=p.end, key=p.key, count=p.count, previous=p.previous, change=p.change
        )


@strawberry.type
class AttributionCount:
    attribution: str
    count: int


@strawberry.type(description="How many incidents reached a stage of a case.")
class StageCount:
    stage: str
    incidents: int
    first_reached: str | None


@strawberry.type(description="Incidents attributed and how far their cases went.")
class Impunity:
    incidents: int
    documented: int
    by_attribution: list[AttributionCount]
    stages: list[StageCount]
    incident_ids: list[strawberry.ID]

    @classmethod
    def of(cls, found: ImpunityData) -> Impunity:
        return cls(
            incidents=found.incidents,
            documented=found.documented,
            by_attribution=[
                AttributionCount(attribution=a, count=n)
                for a, n in sorted(found.by_attribution.items())
            ],
            stages=[
                StageCount(stage=s.stage, incidents=s.incidents, first_reached=s.first_reached)
                for s in found.stages
            ],
            incident_ids=[strawberry.ID(i) for i in found.incident_ids],
        )


@strawberry.type(description="A watch of your organization.")
class Watch:
    id: strawberry.ID
    kind: WatchKind
    subject: strawberry.ID
    since: str
    clearance: str
    level: str | None
    incident_kind: str | None
    count: int | None
    window_days: int | None

    @classmethod
    def of(cls, w: WatchData) -> Watch:
        p = w.params
        return cls(
            id=strawberry.ID(w.id),
            kind=w.kind,
            subject=strawberry.ID(w.subject),
            since=w.since,
            clearance=w.clearance.value,
            level=p.get("level"),
            incident_kind=p.get("kind"),
            count=p.get("count"),
            window_days=p.get("window_days"),
        )


@strawberry.input(description="What to watch and when to be warned (docs/warnings.md).")
class WatchInput:
    kind: WatchKind
    subject: strawberry.ID
    level: str | None = None
    incident_kind: str | None = None
    count: int | None = None
    window_days: int | None = None
    since: dt.date | None = None


@strawberry.type(description="A warning your organization's watch recorded.")
class Warning:
    id: strawberry.ID
    watch: strawberry.ID
    kind: WatchKind
    at: str
    sentence: str
    records: list[RecordRef]
    delivery: str
    acknowledged_at: str | None

    @classmethod
    def of(cls, w: WarningData) -> Warning:
        return cls(
            id=strawberry.ID(w.id),
            watch=strawberry.ID(w.watch),
            kind=WatchKind(w.kind),
            at=w.at,
            sentence=w.sentence,
            records=[record_ref(r) for r in w.records],
            delivery=w.delivery,
            acknowledged_at=w.acknowledged_at,
        )


@strawberry.type
class WatchEnded:
    id: strawberry.ID


@strawberry.type
class Acknowledged:
    id: strawberry.ID
    acknowledged_at: str


@strawberry.type(description="The webhook set; the secret is shown this once.")
class WebhookSet:
    url: str
    secret: str


WatchResult = Annotated[Watch | InputErrors, strawberry.union("WatchResult")]
WatchEndResult = Annotated[WatchEnded | InputErrors, strawberry.union("WatchEndResult")]
AcknowledgeResult = Annotated[Acknowledged | InputErrors, strawberry.union("AcknowledgeResult")]
WebhookResult = Annotated[WebhookSet | InputErrors, strawberry.union("WebhookResult")]
