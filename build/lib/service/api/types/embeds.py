"""Types of embed tokens (docs/embedding.md): a token as stored, a new one, a revoked one."""

from __future__ import annotations

import json
from typing import Annotated

import strawberry

from service.api.errors import InputErrors
from service.store import Row


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
            id=strawberry.ID(row["id"]),
            view=row["view"],
            params=[EmbedParam(name=k, value=v) for k, v in params.items()],
            max_tlp=row["max_tlp"],
            expires_at=row["expires_at"],
            frame_ancestors=list(row["frame_ancestors"] or []),
            created_by=row["created_by"],
            created_at=row["created_at"],
            revoked_at=row["revoked_at"],
        )


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
