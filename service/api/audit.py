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
from collections.abc import AsyncIterator, Callable, Iterable
from typing import TYPE_CHECKING, Any

from strawberry.extensions import SchemaExtension

from graphql import GraphQLObjectType, GraphQLResolveInfo, GraphQLSchema, default_field_resolver
from service.access import admin_token
from service.api.types.records import Node
from service.store import Store

if TYPE_CHECKING:
    from service.api.context import Context

# Reading or changing these is written to the audit log.
AUDITED = frozenset({"Defender", "Case", "Incident"})


class AuditTrail(SchemaExtension):
    """Writes what a request noted once it has run. The noting itself is not done here: a
    SchemaExtension with a `resolve` hook wraps every field of every response, scalars
    included, and that cost more than the rest of the extensions together (`watch` below
    hooks only the types and fields concerned)."""

    async def on_execute(self) -> AsyncIterator[None]:
        yield
        ctx = _context(self.execution_context.context)
        if ctx is None or not ctx.audited:
            return
        operation = f"{self.execution_context.operation_type.value} {ctx.operation}"
        await ctx.audit.append(ctx.audited, ctx.key_id, ctx.viewer.org, operation)


def watch(schema: GraphQLSchema) -> None:
    """Hook the built schema so that a request notes what the audit log needs, at no cost to
    the fields that cannot matter:
    - every object of an audited type that GraphQL completes into the response (graphql-core
      asks the type's `is_type_of` before completing each one, whether the field returned it
      alone, in a list or through an interface or union), and only those;
    - every root field that ran (the root types' resolvers)."""
    for name in AUDITED:
        kind = schema.get_type(name)
        assert isinstance(kind, GraphQLObjectType), name  # noqa: S101 - the schema's own types
        kind.is_type_of = _noting_records(kind.is_type_of)
    for root in (schema.query_type, schema.mutation_type):
        for field in (root.fields if root is not None else {}).values():
            field.resolve = _noting_root(field.resolve or default_field_resolver)


def _noting_records(
    is_type_of: Callable[[Any, GraphQLResolveInfo[Any]], Any] | None,
) -> Callable[[Any, GraphQLResolveInfo[Any]], Any]:
    def check(value: Any, info: GraphQLResolveInfo[Any]) -> Any:
        fits = True if is_type_of is None else is_type_of(value, info)
        if fits is True and isinstance(value, Node) and value.label in AUDITED:
            ctx = _context(info.context)
            if ctx is not None:
                ctx.audited.add(str(value.id))
        return fits

    return check


def _noting_root(resolve: Callable[..., Any]) -> Callable[..., Any]:
    def run(root: Any, info: GraphQLResolveInfo[Any], **kwargs: Any) -> Any:
        ctx = _context(info.context)
        if ctx is not None:
            ctx.root_fields.add(info.field_name)
        return resolve(root, info, **kwargs)

    return run


def _context(context: object) -> Context | None:
    """The request's context; none for the GraphiQL page, which runs no operation."""
    ctx: Context | None = context.get("tejido") if isinstance(context, dict) else None
    return ctx


def changed(ctx: Context, label: str, record_id: str) -> None:
    """Note a record that a mutation changed, once the change is written."""
    if label in AUDITED:
        ctx.audited.add(record_id)


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
