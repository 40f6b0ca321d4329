"""Types of cross-referencing: a match between a record of the viewer's organization and
another holder's, and how much each field agreed (docs/cross-referencing.md)."""

from __future__ import annotations

import json
from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from service.api.context import context
from service.api.types.records import Holder, Node
from service.store import Row


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
            id=strawberry.ID(row["id"]),
            label=row["label"],
            score=float(row["score"] or 0.0),
            status=MatchStatus(row["status"]),
            confirmed_by=row.get("confirmed_by"),
            holder=Holder(id=strawberry.ID(row["holder"]), name=row["holder_name"], score=None),
            explanation=[MatchAgreement(**a) for a in explained] if explained is not None else None,
            mine=row["mine"],
            other_id=row.get("other"),
        )
