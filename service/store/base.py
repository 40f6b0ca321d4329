"""The store interface: named Cypher statements in, plain Python values out."""

from __future__ import annotations

import contextlib
import math
import re
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from service.cypher import Dialect, Statement, load_catalog
from service.errors import ConfigError, Conflict, InvalidInput, Problem
from service.i18n import _
from service.logs import count_rows_read
from service.metrics import ROWS_WRITTEN, STATEMENT_SECONDS, timed

Row = dict[str, Any]
# Statement areas that change records and relationships (not keys or the audit log).
DATA_AREAS = frozenset({"ingest", "edits", "admin", "xref", "access", "backup"})
Step = tuple[str, dict[str, Any]]  # (statement name, parameters)


class Store(ABC):
    """One graph database. Reads and writes are distinct; every statement has a time budget.

    Rows come back as dicts of str, int, float, bool, None, lists and dicts: never a driver's
    node, relationship or path object (statements return maps, see cypher/README.md).
    """

    dialect: Dialect
    # Whether several statements can share one transaction (Neo4j) or commit one by one.
    multi_statement_transactions: bool

    def __init__(self, read_timeout_s: float, write_timeout_s: float) -> None:
        self.read_timeout_s = read_timeout_s
        self.write_timeout_s = write_timeout_s
        self.catalog = load_catalog()
        # Statements sent to the database since start: tests use it to prove batching.
        self.round_trips = 0
        # Tells this store's cache entries from another's (tests open many graphs at once).
        self.cache_scope = uuid.uuid4().hex

    def statement(self, name: str, kind: str, params: dict[str, Any] | None = None) -> Statement:
        """The statement `name` of `kind`; given `params`, they must be exactly its declared
        parameters (a missing one would run as null, an extra one would be silently ignored),
        and every value in them one the databases can take (InvalidInput otherwise)."""
        stmt = self.catalog.get(name)
        if stmt is None:
            raise ConfigError(_("no Cypher statement named {name} in cypher/", name=repr(name)))
        if stmt.kind != kind:
            raise ConfigError(
                _(
                    "statement {name} is a {found}, not a {wanted}",
                    name=repr(name),
                    found=stmt.kind,
                    wanted=kind,
                )
            )
        if params is not None and params.keys() != stmt.params.keys():
            missing = sorted(stmt.params.keys() - params.keys())
            extra = sorted(params.keys() - stmt.params.keys())
            raise ConfigError(
                _(
                    "statement {name}: missing parameters {missing}, unknown {extra}",
                    name=repr(name),
                    missing=missing,
                    extra=extra,
                )
            )
        if params and (problems := list(unrepresentable(params))):
            raise InvalidInput(problems)
        return stmt

    async def read(self, name: str, **params: Any) -> list[Row]:
        """Run a read statement on a read-only path."""
        stmt = self.statement(name, "read", params)
        return await self._counted_read(stmt, params)

    async def territory_scope(self, territory: str, viewer_grants: list[str]) -> list[str]:
        """The ids of `territory` and of the territories below it that the viewer may see
        through PART_OF links it may see (cypher/read/territory_scope.cypher): what every
        territory-scoped read takes as `$scope`, so that none restates the walk."""
        rows = await self.read("territory_scope", territory=territory, viewer_grants=viewer_grants)
        return sorted(rows[0]["ids"]) if rows else []

    async def read_within(self, name: str, territory: str | None, **params: Any) -> list[Row]:
        """`name` over the whole graph or, given a territory, `read_over` its scope."""
        if territory is None:
            return await self.read(name, **params)
        scope = await self.territory_scope(territory, params["viewer_grants"])
        return await self.read_over(name, scope, **params)

    async def read_over(self, name: str, scope: list[str] | None, **params: Any) -> list[Row]:
        """`name` over the whole graph (`scope` None), or its `<name>_in_territory` variant over
        a `territory_scope`, which starts from those territories: its cost follows them."""
        if scope is None:
            return await self.read(name, **params)
        return await self.read(f"{name}_in_territory", scope=scope, **params)

    async def operator_read(self, name: str, **params: Any) -> list[Row]:
        """Run an operator statement: a read without a viewer, for the server's own needs
        (keys, embed tokens, the graph version, loading and matching); see cypher/README.md."""
        stmt = self.statement(name, "operator", params)
        return await self._counted_read(stmt, params)

    async def _counted_read(self, stmt: Statement, params: dict[str, Any]) -> list[Row]:
        self.round_trips += 1
        with timed(STATEMENT_SECONDS, stmt.name, stmt.kind):
            rows = await self._read(stmt.text(self.dialect), params)
        count_rows_read(len(rows))  # for the phase logs (service/logs.py)
        return rows

    async def write(self, name: str, **params: Any) -> list[Row]:
        """Run one write statement atomically."""
        return (await self.write_all([(name, params)]))[0]

    async def write_all(
        self, steps: Sequence[Step], progress: Callable[[int], None] | None = None
    ) -> list[list[Row]]:
        """Run several write statements in order; returns the rows of each.

        On Neo4j they form one transaction: all or nothing. FalkorDB has no multi-statement
        transactions, so there each step is atomic on its own; callers validate everything
        before the first step so that a step can only fail for reasons outside the data.
        `progress` is called after each step with the number of rows it sent.
        """
        statements = [self.statement(name, "write", params) for name, params in steps]
        texts = [
            (stmt.text(self.dialect), params)
            for stmt, (_kind, params) in zip(statements, steps, strict=True)
        ]
        if any(stmt.area in DATA_AREAS for stmt in statements):
            # Analytics caches are keyed by this version: any change to the records moves it.
            bump = self.statement("bump_graph_version", "write", {})
            texts.append((bump.text(self.dialect), {}))
        self.round_trips += len(texts)
        for name, params in steps:
            ROWS_WRITTEN.labels(name).inc(rows_sent(params))
        try:
            with timed(STATEMENT_SECONDS, statements[0].name, "write"):
                return await self._write_all(texts, progress)
        except Exception:
            if not self.multi_statement_transactions:  # earlier steps stay written: move on anyway
                with contextlib.suppress(Exception):
                    await self._write_all(texts[-1:], None)
            raise

    async def read_or_create(self, read: str, create: str, **params: Any) -> list[Row]:
        """What operator statement `read` finds, after `create` made it if it was missing: the
        same answer for every worker, even when several create at once (a uniqueness
        constraint refuses all but the first write; the others read what it made)."""
        found = await self.operator_read(read)
        if found:
            return found
        with contextlib.suppress(Conflict):
            await self.write(create, **params)
        return await self.operator_read(read)

    async def graph_version(self) -> int:
        """A number that changes whenever records or relationships change (caches key on it)."""
        return int((await self.operator_read("graph_version"))[0]["version"])

    async def ensure_schema(self) -> None:
        """Create the constraints and indexes if they are missing (idempotent)."""
        for stmt in self.catalog.values():
            if stmt.kind == "schema":
                for part in stmt.parts(self.dialect):
                    await self._schema(part)

    @abstractmethod
    async def _read(self, text: str, params: dict[str, Any]) -> list[Row]: ...

    @abstractmethod
    async def _write_all(
        self,
        texts: Sequence[tuple[str, dict[str, Any]]],
        progress: Callable[[int], None] | None,
    ) -> list[list[Row]]: ...

    @abstractmethod
    async def _schema(self, text: str) -> None: ...

    @abstractmethod
    async def ping(self) -> None:
        """Raise StoreUnavailable unless the database answers."""

    @abstractmethod
    async def close(self) -> None: ...


# FalkorDB reads its query (parameters travel in a header before the Cypher) as a C string, so a
# NUL cuts the statement short; a lone surrogate is no UTF-8 at all; both databases' integers
# are 64-bit; NaN and the infinities are no value a record can hold.
_UNSTORABLE_TEXT = re.compile("[\x00\ud800-\udfff]")
_INT64 = range(-(2**63), 2**63)


def unrepresentable(value: Any, where: str = "") -> Iterator[Problem]:
    """What in a statement's parameters no database can take as given, by parameter path."""
    problem = None
    if isinstance(value, str):
        if _UNSTORABLE_TEXT.search(value):
            problem = _("text holding a NUL character or a lone surrogate")
    elif isinstance(value, bool):
        pass
    elif isinstance(value, int):
        problem = None if value in _INT64 else _("a whole number beyond 64 bits")
    elif isinstance(value, float):
        problem = None if math.isfinite(value) else _("NaN or an infinity, not a number")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from unrepresentable(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from unrepresentable(item, f"{where}[{i}]")
    if problem is not None:
        yield Problem("query", None, where, problem)


def rows_sent(params: dict[str, Any]) -> int:
    rows = params.get("rows")
    return len(rows) if isinstance(rows, list) else 1
