"""GraphQL types: one per label of the domain model, the Node interface, links, connections."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Iterable
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, Generic, TypeVar

import strawberry
from strawberry.types import Info

from service.errors import InvalidInput, Problem
from service.store import Row

if TYPE_CHECKING:
    from service.api.context import Context

T = TypeVar("T")
MAX_PAGE = 100
MAX_CURSOR = 2**31 - 1  # positions beyond any list held; Neo4j fails on SKIP past 64 bits
# Stored with every record for access control and search; never part of what a record says.
INTERNAL = frozenset({"acl", "name_acl", "search_text", "search_name", "derived_key", "stands_for"})


def context(info: Info[Any, Any]) -> Context:
    ctx: Context = info.context["tejido"]
    return ctx


@strawberry.enum(description="Which way a relationship points, seen from the record asked about.")
class Direction(Enum):
    OUT = "OUT"
    IN = "IN"
    BOTH = "BOTH"


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type(
    description="A page of a list, Relay style; totalCount counts what the viewer may see."
)
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    total_count: int


def encode_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"tejido:{position}".encode()).decode()


def decode_cursor(cursor: str | None) -> int:
    """The position after the cursor (0 without one); a cursor that is not ours, or one past
    any list we could hold, is refused."""
    if cursor is None:
        return 0
    try:
        prefix, _, number = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        if prefix == "tejido" and number.isascii() and number.isdigit():
            position = int(number)
            if position < MAX_CURSOR:
                return position + 1
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise InvalidInput([Problem("query", None, "after", "not a cursor this API gave out")])


def page_size(first: int) -> int:
    if not 0 <= first <= MAX_PAGE:
        raise InvalidInput([Problem("query", None, "first", f"must be between 0 and {MAX_PAGE}")])
    return first


def connection(items: list[T], offset: int, total: int) -> Connection[T]:
    edges = [Edge(cursor=encode_cursor(offset + i), node=item) for i, item in enumerate(items)]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=offset + len(items) < total,
            has_previous_page=offset > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=total,
    )


def as_of_text(as_of: dt.date | None) -> str:
    return (as_of or dt.datetime.now(dt.UTC).date()).isoformat()


@strawberry.type(description="A relationship that holds on the asked date, seen from one record.")
class Link:
    id: strawberry.ID
    type: str
    direction: Direction
    confidence: float | None
    corroboration: int | None
    sources: list[str]
    valid_from: str | None
    valid_to: str | None
    tlp: str
    owner: str
    attribution: str | None
    mode: str | None
    kind: str | None
    role: str | None
    degree: float | None
    resource: str | None
    amount: float | None
    derived: bool = strawberry.field(
        description="A stand-in at the region for a tie to a finer place that you may not see "
        "(it would place a defender whose name you may not see): docs/access.md."
    )
    other_id: strawberry.Private[str]

    @classmethod
    def from_row(cls, row: Row) -> Link:
        return cls(
            id=row["id"],
            type=row["type"],
            direction=Direction(row["direction"]),
            confidence=row.get("confidence"),
            corroboration=row.get("corroboration"),
            sources=row.get("sources") or [],
            valid_from=row.get("valid_from"),
            valid_to=row.get("valid_to"),
            tlp=row["tlp"],
            owner=row["owner"],
            attribution=row.get("attribution"),
            mode=row.get("mode"),
            kind=row.get("kind"),
            role=row.get("role"),
            degree=row.get("degree"),
            resource=row.get("resource"),
            amount=row.get("amount"),
            derived=bool(row.get("derived")),
            other_id=row["other_id"],
        )

    @strawberry.field(description="The record at the other end.")
    async def other(
        self, info: Info[Any, Any]
    ) -> Annotated[Node, strawberry.lazy("service.api.types")] | None:
        return await context(info).records.load(self.other_id)


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
        from service.api.loaders import LinkKey

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
