"""Relationships as a record's `links` return them: Link, its Direction, and the key of one
page of them that the request's loader batches (service/api/loaders.py)."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple

import strawberry
from strawberry.types import Info

from service.api.context import context
from service.api.types.from_model import TlpEnum, link_fields
from service.model import load_model
from service.store import Row

if TYPE_CHECKING:
    from service.api.types.records import Node


@strawberry.enum(description="Which way a relationship points, seen from the record asked about.")
class Direction(Enum):
    OUT = "OUT"
    IN = "IN"
    BOTH = "BOTH"


class LinkKey(NamedTuple):
    """One page of one record's links: what the links loader is asked for."""

    id: str
    types: tuple[str, ...]
    direction: str
    as_of: str
    offset: int
    first: int


def as_of_text(as_of: dt.date | None) -> str:
    """The day a question is asked about, today unless given, as statements take it."""
    return (as_of or dt.datetime.now(dt.UTC).date()).isoformat()


# The link fields that come from the model, as `link_fields` gave them to Link below.
_MODEL_FIELDS = tuple(load_model().link_properties)


@strawberry.type(description="A relationship that holds on the asked date, seen from one record.")
@link_fields(written=False)
class Link:
    id: strawberry.ID
    type: str
    direction: Direction
    confidence: float | None
    corroboration: int | None
    sources: list[str]
    valid_from: str | None
    valid_to: str | None
    tlp: TlpEnum  # type: ignore[valid-type]
    owner: str
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
            derived=bool(row.get("derived")),
            other_id=row["other_id"],
            **{name: row.get(name) for name in _MODEL_FIELDS},
        )

    @strawberry.field(description="The record at the other end.")
    async def other(
        self, info: Info[Any, Any]
    ) -> Annotated[Node, strawberry.lazy("service.api.types.records")] | None:
        return await context(info).records.load(self.other_id)
