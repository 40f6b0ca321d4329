"""GraphQL for cross-referencing: the matches that concern the viewer's own records, and the
analysts' confirm and reject. Who may learn of a match, and so who may judge it, is decided in
one statement (cypher/read/cross_references.cypher); docs/cross-referencing.md says why."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from strawberry.types import Info

from service.access import Viewer
from service.api.context import context
from service.api.permissions import IsWriter, only
from service.api.types.pagination import Connection, connection, decode_cursor, page_size
from service.api.types.xref import CrossReference, MatchStatus
from service.errors import NotFound
from service.store import Row, Store


@strawberry.type
class CrossReferenceQuery:
    @strawberry.field(
        description="Matches that concern your organization's records, best first. `holder` "
        "keeps those with one other organization; `status` defaults to proposed and confirmed."
    )
    async def cross_references(
        self,
        info: Info[Any, Any],
        holder: strawberry.ID | None = None,
        min_score: float = 0.0,
        status: list[MatchStatus] | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[CrossReference]:
        ctx = context(info)
        offset, size = decode_cursor(after), page_size(first)
        statuses = [s.value for s in status or (MatchStatus.PROPOSED, MatchStatus.CONFIRMED)]
        row = await _listed(
            ctx.store,
            ctx.viewer,
            holder=str(holder or ""),
            min_score=min_score,
            statuses=statuses,
            offset=offset,
            first=size,
        )
        items = [CrossReference.from_row(r) for r in row["page"]]
        return connection(items, offset, int(row["total"]))


async def _listed(store: Store, viewer: Viewer, **params: Any) -> Row:
    today = dt.datetime.now(dt.UTC).date().isoformat()
    params = {"holder": "", "id": "", "min_score": 0.0, "offset": 0, "first": 1, **params}
    rows = await store.read(
        "cross_references", viewer_org=viewer.org, today=today, **params, **viewer.params()
    )
    return rows[0]


async def _judge(info: Info[Any, Any], match: strawberry.ID, status: MatchStatus) -> MatchStatus:
    ctx = context(info)
    # Whoever may judge a match is whoever it is listed for: one rule, in cross_references.
    listed = await _listed(
        ctx.store, ctx.viewer, id=str(match), statuses=[s.value for s in MatchStatus]
    )
    rows = []
    if listed["total"]:
        rows = await ctx.store.write(
            "judge_match",
            id=str(match),
            status=status.value,
            now=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            key_id=ctx.key_id,
            viewer_org=ctx.viewer.org,
        )
    if not rows:  # absent and hidden read the same
        raise NotFound(f"no cross-reference {str(match)!r} of your organization")
    return MatchStatus(rows[0]["status"])


@strawberry.type
class CrossReferenceMutation:
    @strawberry.mutation(
        description="Confirm that a match is the same (analysts and admins).",
        extensions=only(IsWriter()),
    )
    async def confirm_match(self, info: Info[Any, Any], id: strawberry.ID) -> MatchStatus:
        return await _judge(info, id, MatchStatus.CONFIRMED)

    @strawberry.mutation(
        description="Reject a match: it is kept as rejected and never proposed again.",
        extensions=only(IsWriter()),
    )
    async def reject_match(self, info: Info[Any, Any], id: strawberry.ID) -> MatchStatus:
        return await _judge(info, id, MatchStatus.REJECTED)
