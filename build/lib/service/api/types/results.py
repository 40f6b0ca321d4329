"""What mutations return: the record, link or sharing written, or, on the error side of each
union, the InputErrors of service/api/errors.py."""

from __future__ import annotations

import contextlib
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from service.api.context import context
from service.api.errors import InputErrors
from service.api.types.records import Node


@strawberry.type
class Saved:
    id: strawberry.ID

    @strawberry.field(description="The record as the viewer now sees it.")
    async def node(self, info: Info[Any, Any]) -> Node | None:
        ctx = context(info)
        with contextlib.suppress(KeyError):  # a record read earlier in this request is stale now
            ctx.records.clear(str(self.id))
        return await ctx.records.load(str(self.id))


@strawberry.type
class Linked:
    id: strawberry.ID
    type: str


@strawberry.type
class Shared:
    id: strawberry.ID
    shared_with: list[str]


SaveResult = Annotated[Saved | InputErrors, strawberry.union("SaveResult")]
LinkResult = Annotated[Linked | InputErrors, strawberry.union("LinkResult")]
ShareResult = Annotated[Shared | InputErrors, strawberry.union("ShareResult")]


@strawberry.type(description="How many admissions a removal ended (0: there was none).")
class MembershipEnded:
    ended: int
