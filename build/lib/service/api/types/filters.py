"""Filters of the lists of records (Query.actors, Query.incidents ...)."""

from __future__ import annotations

import datetime as dt

import strawberry


@strawberry.input
class ActorFilter:
    sector: str | None = None
    kind: str | None = None
    country: str | None = None


@strawberry.input
class DefenderFilter:
    status: str | None = None
    country: str | None = None


@strawberry.input
class OrganizationFilter:
    kind: str | None = None
    country: str | None = None


@strawberry.input
class TerritoryFilter:
    kind: str | None = None
    within: strawberry.ID | None = strawberry.field(
        default=None, description="Only this territory and the ones below it."
    )


@strawberry.input
class IncidentFilter:
    kinds: list[str] | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    territory: strawberry.ID | None = strawberry.field(
        default=None, description="Incidents in this territory or any below it."
    )
    perpetrator: strawberry.ID | None = None
    target: strawberry.ID | None = None


@strawberry.input
class CaseFilter:
    holder: strawberry.ID | None = None
    status: str | None = None


@strawberry.input
class SourceFilter:
    kind: str | None = None
    reliability: str | None = None
