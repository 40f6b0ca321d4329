"""Admission to networks: the authority behind AMBER records shared with a network, written only
by the network's admins (docs/access.md), never through `link`."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from strawberry.types import Info

from service import edits
from service.api.context import context
from service.api.errors import input_errors
from service.api.permissions import IsAdmin, IsAdminOfNetworkOrMember, only
from service.api.types.results import Linked, LinkResult, MembershipEnded
from service.errors import InvalidInput


@strawberry.type
class NetworkMutation:
    @strawberry.mutation(
        description="Admit an organization to your network (network admins only): its viewers "
        "then read the AMBER records shared with the network.",
        extensions=only(IsAdmin("only a network's admins may admit organizations to it")),
    )
    async def admit_to_network(
        self,
        info: Info[Any, Any],
        organization: strawberry.ID,
        tlp: str = "GREEN",
        role: str | None = None,
    ) -> LinkResult:
        ctx = context(info)
        try:
            link_id = await edits.admit_to_network(
                ctx.store, ctx.viewer, str(organization), {"tlp": tlp}, role
            )
        except InvalidInput as exc:
            return input_errors(exc)
        return Linked(id=strawberry.ID(link_id), type="MEMBER_OF")

    @strawberry.mutation(
        description="End an organization's membership of a network from `on` (default today): "
        "the network's admins remove a member, a member's admins leave.",
        extensions=only(IsAdminOfNetworkOrMember()),
    )
    async def remove_from_network(
        self,
        info: Info[Any, Any],
        network: strawberry.ID,
        organization: strawberry.ID,
        on: dt.date | None = None,
    ) -> MembershipEnded:
        ctx = context(info)
        day = on or dt.datetime.now(dt.UTC).date()
        ended = await edits.remove_from_network(
            ctx.store, ctx.viewer, str(network), str(organization), day
        )
        return MembershipEnded(ended=ended)
