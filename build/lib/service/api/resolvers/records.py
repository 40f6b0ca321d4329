"""Queries over records: who the key stands for, records by id, lists with filters, full-text
search, visible counts, and the audit log of the organization's records."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from strawberry.types import Info

from service.api.context import context
from service.api.permissions import IsAdmin, only
from service.api.types.filters import (
    ActorFilter,
    CaseFilter,
    DefenderFilter,
    IncidentFilter,
    OrganizationFilter,
    SourceFilter,
    TerritoryFilter,
)
from service.api.types.pagination import Connection, connection, decode_cursor, page_size
from service.api.types.records import (
    Actor,
    Case,
    Defender,
    Incident,
    LabelCount,
    Node,
    Organization,
    Source,
    Territory,
    load_as,
)
from service.api.types.viewer import AuditEntry, ViewerInfo
from service.search import search as search_records


def _params(filter_: object | None) -> dict[str, Any]:
    """Filter fields as statement parameters: dates as ISO text, lists never null."""
    values = dict(vars(filter_)) if filter_ is not None else {}
    out: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, dt.date):
            value = value.isoformat()
        out[name] = value
    return out


async def _page(
    info: Info[Any, Any],
    statement: str,
    params: dict[str, Any],
    first: int,
    after: str | None,
    territory: str | None = None,
) -> Connection[Any]:
    ctx = context(info)
    offset, size = decode_cursor(after), page_size(first)
    viewer = ctx.viewer.params()
    rows = await ctx.store.read_within(
        statement, territory, offset=offset, first=size, **params, **viewer
    )
    row = rows[0]
    nodes = await ctx.records.load_many(row["ids"])
    return connection([n for n in nodes if n is not None], offset, int(row["total"]))


@strawberry.type
class RecordQuery:
    @strawberry.field(description="Who the API key stands for.")
    def viewer(self, info: Info[Any, Any]) -> ViewerInfo:
        viewer = context(info).viewer
        return ViewerInfo(
            organization=viewer.org,
            role=viewer.role.value,
            clearance=viewer.clearance.value,
            networks=list(viewer.networks),
        )

    @strawberry.field(description="A record by id; null when there is none the viewer may see.")
    async def node(self, info: Info[Any, Any], id: strawberry.ID) -> Node | None:
        return await context(info).records.load(str(id))

    @strawberry.field
    async def actor(self, info: Info[Any, Any], id: strawberry.ID) -> Actor | None:
        return await load_as(info, str(id), Actor)

    @strawberry.field
    async def defender(self, info: Info[Any, Any], id: strawberry.ID) -> Defender | None:
        return await load_as(info, str(id), Defender)

    @strawberry.field
    async def organization(self, info: Info[Any, Any], id: strawberry.ID) -> Organization | None:
        return await load_as(info, str(id), Organization)

    @strawberry.field
    async def territory(self, info: Info[Any, Any], id: strawberry.ID) -> Territory | None:
        return await load_as(info, str(id), Territory)

    @strawberry.field
    async def incident(self, info: Info[Any, Any], id: strawberry.ID) -> Incident | None:
        return await load_as(info, str(id), Incident)

    @strawberry.field(name="case")
    async def case_(self, info: Info[Any, Any], id: strawberry.ID) -> Case | None:
        return await load_as(info, str(id), Case)

    @strawberry.field
    async def source(self, info: Info[Any, Any], id: strawberry.ID) -> Source | None:
        return await load_as(info, str(id), Source)

    @strawberry.field
    async def actors(
        self,
        info: Info[Any, Any],
        filter: ActorFilter | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Actor]:
        return await _page(info, "actors_page", _params(filter or ActorFilter()), first, after)

    @strawberry.field
    async def defenders(
        self,
        info: Info[Any, Any],
        filter: DefenderFilter | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Defender]:
        return await _page(
            info, "defenders_page", _params(filter or DefenderFilter()), first, after
        )

    @strawberry.field
    async def organizations(
        self,
        info: Info[Any, Any],
        filter: OrganizationFilter | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Organization]:
        return await _page(
            info, "organizations_page", _params(filter or OrganizationFilter()), first, after
        )

    @strawberry.field
    async def territories(
        self,
        info: Info[Any, Any],
        filter: TerritoryFilter | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Territory]:
        params = _params(filter or TerritoryFilter())
        within = params.pop("within")
        ctx = context(info)
        params["scope"] = (
            None if within is None else await ctx.store.territory_scope(within, ctx.viewer.grants)
        )
        return await _page(info, "territories_page", params, first, after)

    @strawberry.field(description="Incidents, newest first.")
    async def incidents(
        self,
        info: Info[Any, Any],
        filter: IncidentFilter | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Incident]:
        params = _params(filter or IncidentFilter())
        params["kinds"] = params["kinds"] or []
        territory = params.pop("territory")
        return await _page(info, "incidents_page", params, first, after, territory)

    @strawberry.field
    async def cases(
        self,
        info: Info[Any, Any],
        filter: CaseFilter | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Case]:
        return await _page(info, "cases_page", _params(filter or CaseFilter()), first, after)

    @strawberry.field
    async def sources(
        self,
        info: Info[Any, Any],
        filter: SourceFilter | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Source]:
        return await _page(info, "sources_page", _params(filter or SourceFilter()), first, after)

    @strawberry.field(
        description="Full-text search over names, aliases and pseudonyms (accents ignored)."
    )
    async def search(
        self, info: Info[Any, Any], text: str, labels: list[str] | None = None, first: int = 20
    ) -> list[Node]:
        ctx = context(info)
        rows = await search_records(ctx.store, ctx.viewer, text, labels or [], page_size(first))
        nodes = await ctx.records.load_many([r["id"] for r in rows])
        return [n for n in nodes if n is not None]

    @strawberry.field(
        description="Audit entries about your organization's records (admins only).",
        extensions=only(IsAdmin("only admins may read the audit log")),
    )
    async def audit_log(
        self, info: Info[Any, Any], first: int = 20, after: str | None = None
    ) -> Connection[AuditEntry]:
        ctx = context(info)
        offset, size = decode_cursor(after), page_size(first)
        row = (
            await ctx.store.read("audit_entries", offset=offset, first=size, **ctx.viewer.params())
        )[0]
        items = [
            AuditEntry(
                id=e["id"],
                at=e["at"],
                key_id=e["key_id"],
                organization=e["org"],
                operation=e["operation"],
                ids=e["ids"],
            )
            for e in row["entries"]
        ]
        return connection(items, offset, int(row["total"]))

    @strawberry.field(description="How many records of each label the viewer may see.")
    async def counts(self, info: Info[Any, Any]) -> list[LabelCount]:
        ctx = context(info)
        rows = await ctx.store.read("count_by_label", **ctx.viewer.params())
        return [LabelCount(label=r["label"], count=int(r["count"])) for r in rows]
