"""Records: the Node interface, one GraphQL type per label of the domain model, and how a
stored row becomes one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypeVar

import strawberry
from strawberry.types import Info

from service.api.context import context
from service.api.types.links import Direction, Link, LinkKey, as_of_text
from service.api.types.pagination import Connection, connection, decode_cursor, page_size
from service.model import INTERNAL
from service.store import Row


@strawberry.interface(description="Any record of the graph that the viewer may see.")
class Node:
    id: strawberry.ID
    label: str
    name: str | None
    tlp: str
    owner: str
    shared_with: list[str]
    sources: list[str]
    created_at: str | None
    updated_at: str | None

    @strawberry.field(
        description="Relationships that hold on `asOf` (default today), a page at a time."
    )
    async def links(
        self,
        info: Info[Any, Any],
        types: list[str] | None = None,
        direction: Direction = Direction.BOTH,
        as_of: dt.date | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Link]:
        offset, size = decode_cursor(after), page_size(first)
        key = LinkKey(
            str(self.id),
            tuple(sorted(types or [])),
            direction.value,
            as_of_text(as_of),
            offset,
            size,
        )
        total, rows = await context(info).links.load(key)
        return connection([Link.from_row(r) for r in rows], offset, total)


@strawberry.type
class Actor(Node):
    sector: str
    kind: str
    country: str | None
    aliases: list[str]
    public: bool | None


@strawberry.type(
    description="A defender; `name` is the pseudonym unless the viewer may see the name."
)
class Defender(Node):
    pseudonym: str
    gender: str | None
    identities: list[str]
    focus: list[str]
    status: str | None
    protection_measures: list[str]
    country: str | None


@strawberry.type
class Organization(Node):
    kind: str
    country: str | None
    focus: list[str]
    xref_disclose: bool | None = strawberry.field(
        description="May others learn that this organization holds a record matching theirs."
    )


@strawberry.type
class Territory(Node):
    kind: str
    iso: str | None
    lat: float | None
    lon: float | None
    resources: list[str]


@strawberry.type
class Incident(Node):
    kind: str
    date: str
    severity: int
    verified: bool | None
    description: str | None


@strawberry.type
class Case(Node):
    reference: str
    opened: str | None
    status: str | None
    summary: str | None

    @strawberry.field(
        description="Other organizations holding a case confirmed as this one: those that let "
        "it be known, or whose file the viewer may open (docs/cross-referencing.md)."
    )
    async def also_held_by(self, info: Info[Any, Any]) -> list[Holder]:
        return [Holder.from_row(h) for h in await context(info).holders.load(str(self.id))]


@strawberry.type(description="An organization that holds a matching record.")
class Holder:
    id: strawberry.ID
    name: str | None = strawberry.field(
        description="Null when the organization's own record is closed to the viewer and it "
        "does not disclose matches."
    )
    score: float | None

    @classmethod
    def from_row(cls, row: Row) -> Holder:
        return cls(id=strawberry.ID(row["id"]), name=row.get("name"), score=row.get("score"))


@strawberry.type
class Source(Node):
    kind: str
    title: str
    url: str | None
    date: str | None
    reliability: str
    credibility: str | None


@strawberry.type
class LabelCount:
    label: str
    count: int


TYPES: dict[str, type[Node]] = {
    cls.__name__: cls for cls in (Actor, Defender, Organization, Territory, Incident, Case, Source)
}
_LISTS = frozenset(
    {"shared_with", "sources", "aliases", "identities", "focus", "protection_measures", "resources"}
)


N = TypeVar("N", bound="Node")


async def load_as(info: Info[Any, Any], record_id: str, cls: type[N]) -> N | None:
    """The record through the request's loader, when it is visible and of type `cls`."""
    node = await context(info).records.load(record_id)
    return node if isinstance(node, cls) else None


async def load_all_as(info: Info[Any, Any], ids: Iterable[str], cls: type[N]) -> list[N]:
    nodes = await context(info).records.load_many(list(ids))
    return [n for n in nodes if isinstance(n, cls)]


def node_from_row(row: Row) -> Node:
    """The typed GraphQL object for a `records_by_ids` row."""
    cls = TYPES[row["label"]]
    record = {k: v for k, v in row["record"].items() if k not in INTERNAL}
    fields = {
        f.python_name
        for f in cls.__strawberry_definition__.fields  # type: ignore[attr-defined]
        if f.base_resolver is None  # resolved fields (links, alsoHeldBy) are not stored
    }
    values = {name: record.get(name) for name in fields if name != "label"}
    for name in _LISTS & values.keys():
        values[name] = values[name] or []
    return cls(label=row["label"], **values)  # type: ignore[arg-type]
