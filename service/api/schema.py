"""The GraphQL schema: the viewer, any record by id with its links, and visible counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from service.access import Viewer
from service.store import Row, Store

# Stored with every record for access control and search; never part of what a record says.
_INTERNAL = frozenset({"acl", "name_acl", "search_text", "search_name"})


@strawberry.type
class Context:
    store: Store
    viewer: Viewer


def _ctx(info: Info[Any, Any]) -> Context:
    context: Context = info.context["tejido"]
    return context


@strawberry.type(description="The organization, role and clearance the API key stands for.")
class ViewerInfo:
    organization: str
    role: str
    clearance: str
    networks: list[str]


@strawberry.type(description="The record at the other end of a link, as the viewer may see it.")
class RecordRef:
    id: strawberry.ID
    label: str
    name: str | None


@strawberry.type(description="A relationship that holds on the asked date, seen from one record.")
class Link:
    id: strawberry.ID
    type: str
    direction: str
    confidence: float | None
    valid_from: str | None
    valid_to: str | None
    other: RecordRef

    @classmethod
    def from_row(cls, row: Row) -> Link:
        other = RecordRef(
            id=row["other"]["id"], label=row["other"]["label"], name=row["other"]["name"]
        )
        return cls(
            id=row["id"],
            type=row["type"],
            direction=row["direction"],
            confidence=row["confidence"],
            valid_from=row["valid_from"],
            valid_to=row["valid_to"],
            other=other,
        )


@strawberry.type(description="Any record of the graph that the viewer may see.")
class Record:
    id: strawberry.ID
    label: str
    name: str | None
    tlp: str
    owner: str
    properties: JSON

    @classmethod
    def from_row(cls, row: Row) -> Record:
        record = row["record"]
        return cls(
            id=record["id"],
            label=row["label"],
            name=record.get("name"),
            tlp=record["tlp"],
            owner=record["owner"],
            properties=JSON({k: v for k, v in record.items() if k not in _INTERNAL}),
        )

    @strawberry.field(description="Relationships holding on `asOf` (default: today).")
    async def links(self, info: Info[Any, Any], as_of: dt.date | None = None) -> list[Link]:
        ctx = _ctx(info)
        day = (as_of or dt.datetime.now(dt.UTC).date()).isoformat()
        rows = await ctx.store.read("links_of", id=str(self.id), as_of=day, **ctx.viewer.params())
        return [Link.from_row(r) for r in rows]


@strawberry.type
class LabelCount:
    label: str
    count: int


@strawberry.type
class Query:
    @strawberry.field(description="Who the API key stands for.")
    def viewer(self, info: Info[Any, Any]) -> ViewerInfo:
        viewer = _ctx(info).viewer
        return ViewerInfo(
            organization=viewer.org,
            role=viewer.role.value,
            clearance=viewer.clearance.value,
            networks=list(viewer.networks),
        )

    @strawberry.field(description="A record by id; null when there is none the viewer may see.")
    async def node(self, info: Info[Any, Any], id: strawberry.ID) -> Record | None:
        ctx = _ctx(info)
        rows = await ctx.store.read("record_by_id", id=str(id), **ctx.viewer.params())
        return Record.from_row(rows[0]) if rows else None

    @strawberry.field(description="How many records of each label the viewer may see.")
    async def counts(self, info: Info[Any, Any]) -> list[LabelCount]:
        ctx = _ctx(info)
        rows = await ctx.store.read("count_by_label", **ctx.viewer.params())
        return [LabelCount(label=r["label"], count=int(r["count"])) for r in rows]


schema = strawberry.Schema(query=Query)
