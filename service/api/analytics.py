"""GraphQL fields of the power analytics (docs/methodology.md)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from service.analytics.influence_paths import Hop as HopData
from service.analytics.influence_paths import influence_paths
from service.api.types import Node, as_of_text, context, page_size


@strawberry.type(description="One relationship on an influence path, in the path's direction.")
class Hop:
    id: strawberry.ID
    type: str
    confidence: float
    sources: list[str]
    start: strawberry.Private[str]
    end: strawberry.Private[str]

    @strawberry.field(name="from")
    async def from_(self, info: Info[Any, Any]) -> Node | None:
        return await context(info).records.load(self.start)

    @strawberry.field
    async def to(self, info: Info[Any, Any]) -> Node | None:
        return await context(info).records.load(self.end)

    @classmethod
    def from_data(cls, hop: HopData) -> Hop:
        return cls(
            id=strawberry.ID(hop.id), type=hop.type, confidence=hop.confidence,
            sources=list(hop.sources), start=hop.start, end=hop.end,
        )  # fmt: skip


@strawberry.type(description="A chain of relationships; strength = product of confidences.")
class InfluencePath:
    strength: float
    hops: list[Hop]


@strawberry.type
class AnalyticsQuery:
    @strawberry.field(
        description="The strongest chains from one record to another (docs/methodology.md)."
    )
    async def influence_paths(
        self,
        info: Info[Any, Any],
        source: Annotated[strawberry.ID, strawberry.argument(name="from")],
        to: strawberry.ID,
        max_hops: int | None = 4,
        first: int | None = 3,
        as_of: dt.date | None = None,
        types: list[str] | None = None,
    ) -> list[InfluencePath]:
        ctx = context(info)
        paths = await influence_paths(
            ctx.store, ctx.viewer, str(source), str(to), as_of_text(as_of),
            max_hops=4 if max_hops is None else max_hops,
            first=page_size(3 if first is None else first), types=types,
        )  # fmt: skip
        return [
            InfluencePath(strength=p.strength, hops=[Hop.from_data(h) for h in p.hops])
            for p in paths
        ]
