"""The audit log: every request that returns or changes a defender, case or incident leaves an
append-only entry, readable by the admins of the organization that owns those records.

What goes in is decided by the server alone, so that nobody can write into another
organization's log what did not happen:
- the records are those a field of the response actually returned (a `Node`, or a list of
  them) or that a mutation changed, never ids a client asked for: asking for a record one may
  not see, or for a record as the wrong type, returns nothing and logs nothing;
- their owners (and so whose log an entry goes to) are read from the graph by the statement
  that writes the entries;
- the operation is the operation type and the root fields that ran, never the client's
  `operationName`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from inspect import isawaitable
from typing import TYPE_CHECKING, Any

from strawberry.extensions import SchemaExtension

from graphql import GraphQLResolveInfo
from service.access import admin_token
from service.api.types.records import Node
from service.store import Store

if TYPE_CHECKING:
    from service.api.context import Context

# Reading or changing these is written to the audit log.
AUDITED = frozenset({"Defender", "Case", "Incident"})


class AuditTrail(SchemaExtension):
    def resolve(
        self,
        _next: Callable[..., Any],
        root: Any,
        info: GraphQLResolveInfo[Any],
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        result = _next(root, info, *args, **kwargs)
        ctx = _context(info.context)
        if ctx is None:
            return result
        if info.path.prev is None:
            ctx.root_fields.add(info.field_name)
        if isawaitable(result):
            return _noting(ctx, result)
        _note(ctx, result)
        return result

    async def on_execute(self) -> AsyncIterator[None]:
        yield
        ctx = _context(self.execution_context.context)
        if ctx is None or not ctx.audited:
            return
        operation = f"{self.execution_context.operation_type.value} {ctx.operation}"
        await append_entries(ctx.store, ctx.audited, ctx.key_id, ctx.viewer.org, operation)


def _context(context: object) -> Context | None:
    """The request's context; none for the GraphiQL page, which runs no operation."""
    ctx: Context | None = context.get("tejido") if isinstance(context, dict) else None
    return ctx


def changed(ctx: Context, label: str, record_id: str) -> None:
    """Note a record that a mutation changed, once the change is written."""
    if label in AUDITED:
        ctx.audited.add(record_id)


def _note(ctx: Context, value: object) -> None:
    """Note the records a field returned: a node, or the nodes of a list."""
    values = value if isinstance(value, list | tuple) else [value]
    for item in values:
        if isinstance(item, Node) and item.label in AUDITED:
            ctx.audited.add(str(item.id))


async def _noting(ctx: Context, pending: Awaitable[object]) -> object:
    value = await pending
    _note(ctx, value)
    return value


async def append_entries(
    store: Store, ids: Iterable[str], key_id: str, org: str, operation: str
) -> None:
    """Log that a key of `org` read or changed the records `ids` (those of them that are
    defenders, cases or incidents): one entry per owning organization, in that one's log."""
    await store.write(
        "append_audit_entries",
        ids=sorted(set(ids)),
        labels=sorted(AUDITED),
        request=uuid.uuid4().hex,
        at=dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
        key_id=key_id,
        org=org,
        operation=operation,
        admin_prefix=admin_token(""),
    )
