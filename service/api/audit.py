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

import asyncio
import datetime as dt
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from inspect import isawaitable
from typing import TYPE_CHECKING, Any

from strawberry.extensions import SchemaExtension

from graphql import GraphQLResolveInfo, get_named_type, is_abstract_type
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
        root_field = info.path.prev is None
        if not (root_field or _may_hold_audited(info)):
            return result  # most fields (scalars, links, pages): nothing to note, no wrapping
        ctx = _context(info.context)
        if ctx is None:
            return result
        if root_field:
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
        await ctx.audit.append(ctx.audited, ctx.key_id, ctx.viewer.org, operation)


# GraphQL type name -> whether a field of that type can return an audited record: the type
# itself, or an interface or union one of whose types is audited. The schema never changes.
_HOLDS_AUDITED: dict[str, bool] = {}


def _may_hold_audited(info: GraphQLResolveInfo[Any]) -> bool:
    """Whether the field can return a defender, case or incident, alone or in a list: only
    those can hold a `Node` that `_note` keeps, so the others are not looked at."""
    named = get_named_type(info.return_type)
    holds = _HOLDS_AUDITED.get(named.name)
    if holds is None:
        kinds = info.schema.get_possible_types(named) if is_abstract_type(named) else [named]
        holds = _HOLDS_AUDITED[named.name] = any(kind.name in AUDITED for kind in kinds)
    return holds


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


def _request_entry(ids: Iterable[str], key_id: str, org: str, operation: str) -> dict[str, Any]:
    """One request's part of `append_audit_entries`: its records, who, what and when."""
    return {
        "ids": sorted(set(ids)),
        "request": uuid.uuid4().hex,
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
        "key_id": key_id,
        "org": org,
        "operation": operation,
    }


async def _write(store: Store, requests: list[dict[str, Any]]) -> None:
    await store.write(
        "append_audit_entries",
        requests=requests,
        labels=sorted(AUDITED),
        admin_prefix=admin_token(""),
    )


async def append_entries(
    store: Store, ids: Iterable[str], key_id: str, org: str, operation: str
) -> None:
    """Log that a key of `org` read or changed the records `ids` (those of them that are
    defenders, cases or incidents): one entry per owning organization, in that one's log."""
    await _write(store, [_request_entry(ids, key_id, org, operation)])


class AuditWriter:
    """Writes the entries of concurrent requests together (a group commit), never losing one.

    A request hands its entry over and waits until the write that holds it has committed, so no
    response goes out before its entry is stored, and a failed write fails the request, as a
    write of its own would. While one write is under way the entries of other requests queue
    up, and the next write takes them all: under load there is one write per batch of
    requests, not one per request. An entry whose request was cancelled is written anyway.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._queued: list[tuple[dict[str, Any], asyncio.Future[None]]] = []
        self._writing: asyncio.Task[None] | None = None
        self.writes = 0  # statements sent: tests use it to prove batching

    async def append(self, ids: Iterable[str], key_id: str, org: str, operation: str) -> None:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queued.append((_request_entry(ids, key_id, org, operation), done))
        if self._writing is None or self._writing.done():
            self._writing = asyncio.create_task(self._write_queued())
        await asyncio.shield(done)

    async def _write_queued(self) -> None:
        while self._queued:
            batch, self._queued = self._queued, []
            self.writes += 1
            try:
                await _write(self.store, [entry for entry, _ in batch])
            except Exception as exc:  # each waiting request fails with it
                for _, done in batch:
                    if not done.done():
                        done.set_exception(exc)
            else:
                for _, done in batch:
                    if not done.done():
                        done.set_result(None)

    async def close(self) -> None:
        """Wait for the entries still queued (the app's shutdown)."""
        while self._writing is not None and not self._writing.done():
            await asyncio.wait([self._writing])
