"""GraphQL for embed tokens (docs/embedding.md): admins create, list and revoke their own
organization's tokens; a token's cap is never above the admin key's clearance."""

from __future__ import annotations

import json
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from service.access import Role, Tlp
from service.api.mutations import InputErrors, UserError, input_errors
from service.api.types import context
from service.config import Settings
from service.embed.tokens import create_embed, list_embeds, parse_duration, revoke_embed
from service.errors import Forbidden, InvalidInput, NotFound
from service.store import Row

MARKINGS = tuple(t.value for t in Tlp)


@strawberry.input(description="One argument of a view, e.g. territory = ter-000001.")
class EmbedParamInput:
    name: str
    value: str


@strawberry.type
class EmbedParam:
    name: str
    value: str


@strawberry.type(description="An embed token as stored: never the signed token itself.")
class Embed:
    id: strawberry.ID
    view: str
    params: list[EmbedParam]
    max_tlp: str
    expires_at: str
    frame_ancestors: list[str]
    created_by: str | None
    created_at: str
    revoked_at: str | None

    @classmethod
    def from_row(cls, row: Row) -> Embed:
        params = row["params"] if isinstance(row["params"], dict) else json.loads(row["params"])
        return cls(
            id=strawberry.ID(row["id"]), view=row["view"],
            params=[EmbedParam(name=k, value=v) for k, v in params.items()],
            max_tlp=row["max_tlp"], expires_at=row["expires_at"],
            frame_ancestors=list(row["frame_ancestors"] or []), created_by=row["created_by"],
            created_at=row["created_at"], revoked_at=row["revoked_at"],
        )  # fmt: skip


@strawberry.type(description="A new embed token; `path` is what an iframe's src takes.")
class CreatedEmbed:
    id: strawberry.ID
    token: str
    path: str
    expires_at: str


@strawberry.type
class RevokedEmbed:
    id: strawberry.ID
    revoked_at: str


CreateEmbedResult = Annotated[CreatedEmbed | InputErrors, strawberry.union("CreateEmbedResult")]
RevokeEmbedResult = Annotated[RevokedEmbed | InputErrors, strawberry.union("RevokeEmbedResult")]


def _admin_org(info: Info[Any, Any]) -> str:
    viewer = context(info).viewer
    if viewer.role is not Role.ADMIN:
        raise Forbidden("only admins manage embeds")
    return viewer.org


def _settings(info: Info[Any, Any]) -> Settings:
    settings: Settings = info.context["request"].app.state.settings
    return settings


@strawberry.type
class EmbedQuery:
    @strawberry.field(description="Your organization's embed tokens, newest first (admins only).")
    async def embeds(self, info: Info[Any, Any]) -> list[Embed]:
        org = _admin_org(info)
        return [Embed.from_row(row) for row in await list_embeds(context(info).store, org)]


@strawberry.type
class EmbedMutation:
    @strawberry.mutation(
        description="A signed, expiring link to one view as your organization sees it, up to "
        "maxTlp (default GREEN, never above your key's clearance). expires: 90m, 12h, 30d, 2w."
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
        org, ctx = _admin_org(info), context(info)
        if max_tlp not in MARKINGS:
            message = f"{max_tlp!r} is not one of {', '.join(MARKINGS)}"
            return InputErrors(errors=[UserError(field="maxTlp", message=message)])
        try:
            new = await create_embed(
                ctx.store, _settings(info), org, view, {p.name: p.value for p in params},
                creator_clearance=ctx.viewer.clearance, created_by=ctx.key_id,
                max_tlp=Tlp(max_tlp), expires_in=parse_duration(expires),
                frame_ancestors=frame_ancestors or (),
            )  # fmt: skip
        except InvalidInput as exc:
            return input_errors(exc)
        return CreatedEmbed(
            id=strawberry.ID(new.id), token=new.token, path=new.path,
            expires_at=new.expires_at.isoformat(),
        )  # fmt: skip

    @strawberry.mutation(description="Revoke one of your organization's embed tokens.")
    async def revoke_embed(self, info: Info[Any, Any], id: strawberry.ID) -> RevokeEmbedResult:
        org = _admin_org(info)
        try:
            revoked_at = await revoke_embed(context(info).store, str(id), org)
        except NotFound as exc:
            return InputErrors(errors=[UserError(field="id", message=str(exc))])
        return RevokedEmbed(id=id, revoked_at=revoked_at)
