"""GraphQL for embed tokens (docs/embedding.md): admins create, list and revoke their own
organization's tokens; a token's cap is never above the admin key's clearance."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from service.access import Tlp
from service.api import deps
from service.api.context import context
from service.api.errors import input_error, input_errors
from service.api.permissions import IsAdmin, only
from service.api.types.embeds import (
    CreatedEmbed,
    CreateEmbedResult,
    Embed,
    EmbedParamInput,
    RevokedEmbed,
    RevokeEmbedResult,
)
from service.embed.tokens import create_embed, list_embeds, parse_duration, revoke_embed
from service.errors import InvalidInput, NotFound

MARKINGS = tuple(t.value for t in Tlp)
ADMINS_ONLY = "only admins manage embeds"


@strawberry.type
class EmbedQuery:
    @strawberry.field(
        description="Your organization's embed tokens, newest first (admins only).",
        extensions=only(IsAdmin(ADMINS_ONLY)),
    )
    async def embeds(self, info: Info[Any, Any]) -> list[Embed]:
        ctx = context(info)
        return [Embed.from_row(row) for row in await list_embeds(ctx.store, ctx.viewer.org)]


@strawberry.type
class EmbedMutation:
    @strawberry.mutation(
        description="A signed, expiring link to one view as your organization sees it, up to "
        "maxTlp (default GREEN, never above your key's clearance). expires: 90m, 12h, 30d, 2w.",
        extensions=only(IsAdmin(ADMINS_ONLY)),
    )
    async def create_embed(
        self,
        info: Info[Any, Any],
        view: str,
        params: list[EmbedParamInput],
        max_tlp: str = "GREEN",
        expires: str = "30d",
        frame_ancestors: list[str] | None = None,
    ) -> CreateEmbedResult:
        ctx = context(info)
        if max_tlp not in MARKINGS:
            return input_error("maxTlp", f"{max_tlp!r} is not one of {', '.join(MARKINGS)}")
        try:
            new = await create_embed(
                ctx.store,
                deps.settings(info.context["request"]),
                ctx.viewer.org,
                view,
                {p.name: p.value for p in params},
                creator_clearance=ctx.viewer.clearance,
                created_by=ctx.key_id,
                max_tlp=Tlp(max_tlp),
                expires_in=parse_duration(expires),
                frame_ancestors=frame_ancestors or (),
            )
        except InvalidInput as exc:
            return input_errors(exc)
        return CreatedEmbed(
            id=strawberry.ID(new.id),
            token=new.token,
            path=new.path,
            expires_at=new.expires_at.isoformat(),
        )

    @strawberry.mutation(
        description="Revoke one of your organization's embed tokens.",
        extensions=only(IsAdmin(ADMINS_ONLY)),
    )
    async def revoke_embed(self, info: Info[Any, Any], id: strawberry.ID) -> RevokeEmbedResult:
        ctx = context(info)
        try:
            revoked_at = await revoke_embed(ctx.store, str(id), ctx.viewer.org)
        except NotFound as exc:
            return input_error("id", str(exc))
        return RevokedEmbed(id=id, revoked_at=revoked_at)
