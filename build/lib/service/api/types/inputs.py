"""Inputs of the mutations: one per label a viewer writes, with the marking every record takes,
and one for a relationship."""

from __future__ import annotations

import datetime as dt

import strawberry


@strawberry.input
class Marking:
    tlp: str
    shared_with: list[str] | None = None
    sources: list[str] | None = None


@strawberry.input
class ActorInput(Marking):
    id: strawberry.ID | None = None
    name: str
    sector: str
    kind: str
    country: str | None = None
    aliases: list[str] | None = None
    public: bool | None = None


@strawberry.input
class DefenderInput(Marking):
    id: strawberry.ID | None = None
    pseudonym: str
    name: str | None = None
    gender: str | None = None
    identities: list[str] | None = None
    focus: list[str] | None = None
    status: str | None = None
    protection_measures: list[str] | None = None
    country: str | None = None


@strawberry.input
class OrganizationInput(Marking):
    id: strawberry.ID | None = None
    name: str
    kind: str
    country: str | None = None
    focus: list[str] | None = None
    xref_disclose: bool | None = strawberry.field(
        default=None,
        description="Let others learn that you hold a record matching theirs (default: no).",
    )


@strawberry.input
class TerritoryInput(Marking):
    id: strawberry.ID | None = None
    name: str
    kind: str
    parent_id: strawberry.ID | None = None
    iso: str | None = None
    lat: float | None = None
    lon: float | None = None
    resources: list[str] | None = None


@strawberry.input
class SourceInput(Marking):
    id: strawberry.ID | None = None
    kind: str
    title: str
    url: str | None = None
    date: dt.date | None = None
    reliability: str
    credibility: str | None = None


@strawberry.input
class Perpetrator:
    actor: strawberry.ID
    attribution: str = "alleged"


@strawberry.input
class IncidentInput(Marking):
    kind: str
    date: dt.date
    severity: int
    territory_id: strawberry.ID | None = None
    verified: bool | None = None
    description: str | None = None
    credibility: str | None = None
    perpetrators: list[Perpetrator] = strawberry.field(default_factory=list)
    targets: list[strawberry.ID] = strawberry.field(default_factory=list)


@strawberry.input
class CaseInput(Marking):
    reference: str
    opened: dt.date | None = None
    status: str | None = None
    summary: str | None = None
    concerns: list[strawberry.ID] = strawberry.field(default_factory=list)
    documents: list[strawberry.ID] = strawberry.field(default_factory=list)


@strawberry.input
class LinkInput(Marking):
    type: str
    from_id: strawberry.ID
    to_id: strawberry.ID
    confidence: float | None = None
    credibility: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    mode: str | None = None
    kind: str | None = None
    degree: float | None = None
    attribution: str | None = None
    role: str | None = None
    resource: str | None = None
    amount: float | None = None
