"""GraphQL for cross-referencing: the matches that concern the viewer's own records, and the
analysts' confirm and reject. Who may learn of a match, and so who may judge it, is decided in
one statement (cypher/read/cross_references.cypher); docs/cross-referencing.md says why."""

from __future__ import annotations

import datetime as dt
import json
from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from service.access import Viewer
from service.api.types import (
    Connection,
    Holder,
    Node,
    connection,
    context,
    decode_cursor,
    page_size,
)
from service.edits import require_writer
from service.errors import NotFound
from service.store import Row, Store


@strawberry.enum
class MatchStatus(Enum):
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


@strawberry.type(description="How much one field of the two records agreed.")
class MatchAgreement:
    field: str
    similarity: float
    weight: float


@strawberry.type(
    description="A record of yours and another holder's that may be the same. The score and "
    "explanation are computed only from what your organization may read of the two records, "
    "and shown only if you hold every access that took. `other` and `explanation` are null "
    "unless you may open the other record: then you learn only the holder and the score."
)
class CrossReference:
    id: strawberry.ID
    label: str
    score: float
    status: MatchStatus
    confirmed_by: str | None
    holder: Holder
    explanation: list[MatchAgreement] | None
    mine: strawberry.Private[str]
    other_id: strawberry.Private[str | None]

    @strawberry.field(description="Your organization's record.")
    async def record(self, info: Info[Any, Any]) -> Node | None:
        return await context(info).records.load(self.mine)

    @strawberry.field(description="The other holder's record, when you may open it.")
    async def other(self, info: Info[Any, Any]) -> Node | None:
        return await context(info).records.load(self.other_id) if self.other_id else None

    @classmethod
    def from_row(cls, row: Row) -> CrossReference:
        explained = json.loads(row["explanation"]) if row.get("explanation") else None
        return cls(
            id=strawberry.ID(row["id"]), label=row["label"], score=float(row["score"] or 0.0),
            status=MatchStatus(row["status"]), confirmed_by=row.get("confirmed_by"),
            holder=Holder(id=strawberry.ID(row["holder"]), name=row["holder_name"], score=None),
            explanation=[MatchAgreement(**a) for a in explained] if explained is not None else None,
            mine=row["mine"], other_id=row.get("other"),
        )  # fmt: skip


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
            ctx.store, ctx.viewer, holder=str(holder or ""), min_score=min_score,
            statuses=statuses, offset=offset, first=size,
        )  # fmt: skip
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
    require_writer(ctx.viewer)
    # Whoever may judge a match is whoever it is listed for: one rule, in cross_references.
    listed = await _listed(
        ctx.store, ctx.viewer, id=str(match), statuses=[s.value for s in MatchStatus]
    )
    rows = []
    if listed["total"]:
        rows = await ctx.store.write(
            "judge_match", id=str(match), status=status.value,
            now=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), key_id=ctx.key_id,
            viewer_org=ctx.viewer.org,
        )  # fmt: skip
    if not rows:  # absent and hidden read the same
        raise NotFound(f"no cross-reference {str(match)!r} of your organization")
    return MatchStatus(rows[0]["status"])


@strawberry.type
class CrossReferenceMutation:
    @strawberry.mutation(description="Confirm that a match is the same (analysts and admins).")
    async def confirm_match(self, info: Info[Any, Any], id: strawberry.ID) -> MatchStatus:
        return await _judge(info, id, MatchStatus.CONFIRMED)

    @strawberry.mutation(
        description="Reject a match: it is kept as rejected and never proposed again."
    )
    async def reject_match(self, info: Info[Any, Any], id: strawberry.ID) -> MatchStatus:
        return await _judge(info, id, MatchStatus.REJECTED)
