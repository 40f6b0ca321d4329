"""Records: the Node interface, one GraphQL type per label of the domain model (TYPES), and how a
stored row becomes one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypeVar

import strawberry
from strawberry.types import Info

from service.api.context import context
from service.api.types.from_model import TlpEnum, by_label, list_fields, record_fields
from service.api.types.links import Direction, Link, LinkKey, as_of_text
from service.api.types.pagination import Connection, connection, decode_cursor, page_size
from service.model import INTERNAL
from service.store import Row


@strawberry.interface(description="Any record of the graph that the viewer may see.")
class Node:
    id: strawberry.ID
    label: str
    name: str | None
    tlp: TlpEnum  # type: ignore[valid-type]
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


# A type per label: the fields come from the model (from_model.record_fields); what is written
# here is what is not data. Labels with nothing to add and no module naming them are in TYPES.


@strawberry.type
@record_fields("Actor")
class Actor(Node):
    pass


@strawberry.type(
    description="A defender; `name` is the pseudonym unless the viewer may see the name."
)
@record_fields("Defender")
class Defender(Node):
    pass


@strawberry.type
@record_fields("Organization")
class Organization(Node):
    xref_disclose: bool | None = strawberry.field(
        description="May others learn that this organization holds a record matching theirs."
    )


@strawberry.type
@record_fields("Territory")
class Territory(Node):
    pass


@strawberry.type
@record_fields("Case")
class Case(Node):
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
class LabelCount:
    label: str
    count: int


def _record_type(label: str) -> type[Node]:
    return strawberry.type(record_fields(label)(type(label, (Node,), {"__module__": __name__})))


# Every label's type: those above, which other modules name or which have fields by hand, and
# the others as the model gives them.
TYPES: dict[str, type[Node]] = by_label(
    (Actor, Defender, Organization, Territory, Case), _record_type
)


N = TypeVar("N", bound="Node")


async def load_as(info: Info[Any, Any], record_id: str, cls: type[N]) -> N | None:
    """The record through the request's loader, when it is visible and of type `cls`."""
    node = await context(info).records.load(record_id)
    return node if isinstance(node, cls) else None


async def load_all_as(info: Info[Any, Any], ids: Iterable[str], cls: type[N]) -> list[N]:
    nodes = await context(info).records.load_many(list(ids))
    return [n for n in nodes if isinstance(n, cls)]


def _stored_fields(label: str) -> tuple[frozenset[str], frozenset[str]]:
    """The fields of the label's type read from the stored record (not the resolved ones,
    links and alsoHeldBy, and never an INTERNAL property), and those of them that are lists."""
    fields = frozenset(
        f.python_name
        for f in TYPES[label].__strawberry_definition__.fields  # type: ignore[attr-defined]
        if f.base_resolver is None and f.python_name not in INTERNAL | {"label"}
    )
    return fields, list_fields(label) & fields


# Once per label, not per record.
_STORED = {label: _stored_fields(label) for label in TYPES}


def node_from_row(row: Row) -> Node:
    """The typed GraphQL object for a `records_by_ids` row."""
    label, record = row["label"], row["record"]
    fields, lists = _STORED[label]
    values = {name: record.get(name) for name in fields}
    for name in lists:
        values[name] = values[name] or []
    return TYPES[label](label=label, **values)
