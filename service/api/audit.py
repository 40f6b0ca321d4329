"""The audit log: every request that returns or changes a defender, case or incident leaves an
append-only entry, readable by the admins of the organization that owns those records."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable
from typing import Any

from strawberry.extensions import SchemaExtension

from service.access import admin_token
from service.api.context import Context


class AuditTrail(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context.context
        ctx: Context | None = context.get("tejido") if isinstance(context, dict) else None
        if ctx is None or not ctx.touched:
            return
        operation = self.execution_context.operation_type.value
        name = self.execution_context.operation_name or "anonymous"
        await ctx.store.write("append_audit_entries", entries=entries(ctx, f"{operation} {name}"))


def entries(ctx: Context, operation: str) -> list[dict[str, Any]]:
    """One entry per owning organization, naming only that organization's records."""
    return audit_entries(ctx.touched, ctx.key_id, ctx.viewer.org, operation)


def audit_entries(
    touched: Iterable[tuple[str, str]], key_id: str, org: str, operation: str
) -> list[dict[str, Any]]:
    """Entries for (record id, owner) pairs that a key of `org` read or changed."""
    by_owner: dict[str, list[str]] = defaultdict(list)
    for record_id, owner in sorted(touched):
        by_owner[owner].append(record_id)
    at = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
    common = {"at": at, "key_id": key_id, "org": org, "operation": operation}
    return [
        {**common, "id": uuid.uuid4().hex, "owner": owner, "ids": ids, "acl": [admin_token(owner)]}
        for owner, ids in by_owner.items()
    ]
