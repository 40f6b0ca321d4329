"""Who the API key stands for, and what keys did: the viewer and the audit log's entries."""

from __future__ import annotations

import strawberry


@strawberry.type(description="The organization, role and clearance the API key stands for.")
class ViewerInfo:
    organization: str
    role: str
    clearance: str
    networks: list[str]


@strawberry.type(description="Who read or changed which defenders, cases and incidents, when.")
class AuditEntry:
    id: strawberry.ID
    at: str
    key_id: str
    organization: str | None = strawberry.field(
        description="The organization whose key it was; null where you may not see its record."
    )
    operation: str = strawberry.field(
        description="What ran: the operation type and its root fields (the server's own name)."
    )
    ids: list[str] = strawberry.field(
        description="The records read or changed, those you may see now (entries are "
        "served only where you may see one at least)."
    )
