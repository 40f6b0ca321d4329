"""Filters of the lists of records (Query.actors, Query.incidents ...), one per label (FILTERS):
the properties the model marks `filter:` (from_model), and by hand those that follow
relationships or ranges."""

from __future__ import annotations

import datetime as dt

import strawberry

from service.api.types.from_model import by_label, filter_fields


@strawberry.input
@filter_fields("Territory")
class TerritoryFilter:
    within: strawberry.ID | None = strawberry.field(
        default=None, description="Only this territory and the ones below it."
    )


@strawberry.input
@filter_fields("Incident")
class IncidentFilter:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    territory: strawberry.ID | None = strawberry.field(
        default=None, description="Incidents in this territory or any below it."
    )
    perpetrator: strawberry.ID | None = None
    target: strawberry.ID | None = None


@strawberry.input
@filter_fields("Case")
class CaseFilter:
    holder: strawberry.ID | None = None


def _filter_type(label: str) -> type:
    name = f"{label}Filter"
    return strawberry.input(filter_fields(label)(type(name, (), {"__module__": __name__})))


# Every label's filter: those above, and the others as the model gives them.
FILTERS: dict[str, type] = by_label(
    (TerritoryFilter, IncidentFilter, CaseFilter), _filter_type, "Filter"
)
