"""Neo4j 5 through the official async driver."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import neo4j
from neo4j import AsyncGraphDatabase, Query, unit_of_work
from neo4j.exceptions import ClientError, DriverError, Neo4jError, ServiceUnavailable

from service.errors import Conflict, QueryTimeout, StoreUnavailable
from service.i18n import _
from service.store.base import Row, Store, rows_sent


class Neo4jStore(Store):
    dialect = "neo4j"
    multi_statement_transactions = True

    def __init__(
        self,
        uri: str,
        auth: tuple[str, str] | None,
        database: str,
        read_timeout_s: float,
        write_timeout_s: float,
    ) -> None:
        super().__init__(read_timeout_s, write_timeout_s)
        self.uri = uri
        self.database = database
        # Server notifications (e.g. "property key does not exist" on an empty graph) are about
        # our statements, which the linter and the tests check; they would only flood the logs.
        self.driver = AsyncGraphDatabase.driver(uri, auth=auth, notifications_min_severity="OFF")

    async def _read(self, text: str, params: dict[str, Any]) -> list[Row]:
        @unit_of_work(timeout=self.read_timeout_s)
        async def work(tx: neo4j.AsyncManagedTransaction) -> list[Row]:
            result = await tx.run(text, params)
            return [_plain(row) for row in await result.data()]

        return await self._session_call("read", work)  # type: ignore[no-any-return]

    async def _write_all(
        self,
        texts: Sequence[tuple[str, dict[str, Any]]],
        progress: Callable[[int], None] | None,
    ) -> list[list[Row]]:
        # The budget is per step, so the whole transaction gets one per step.
        @unit_of_work(timeout=self.write_timeout_s * max(1, len(texts)))
        async def work(tx: neo4j.AsyncManagedTransaction) -> list[list[Row]]:
            results: list[list[Row]] = []
            for text, params in texts:
                result = await tx.run(text, params)
                results.append([_plain(row) for row in await result.data()])
                if progress:
                    progress(rows_sent(params))
            return results

        return await self._session_call("write", work)  # type: ignore[no-any-return]

    async def _schema(self, text: str) -> None:
        # DDL cannot share a transaction with data writes; an auto-commit query is the way.
        try:
            async with self.driver.session(database=self.database) as session:
                await (await session.run(Query(text))).consume()
        except ServiceUnavailable as exc:
            raise StoreUnavailable(
                _("the database does not answer"), f"Neo4j at {self.uri}: {exc}"
            ) from exc

    async def _session_call(self, mode: str, work: Callable[..., Any]) -> Any:
        try:
            async with self.driver.session(database=self.database) as session:
                if mode == "read":
                    return await session.execute_read(work)
                return await session.execute_write(work)
        except ClientError as exc:
            if "TransactionTimedOut" in (exc.code or "") or "Terminated" in (exc.code or ""):
                raise QueryTimeout(_("the query ran out of time: ask a narrower one")) from exc
            if "ConstraintValidationFailed" in (exc.code or ""):
                raise Conflict(_("another write created the same record first: try again")) from exc
            raise
        except (ServiceUnavailable, DriverError) as exc:
            raise StoreUnavailable(
                _("the database does not answer"), f"Neo4j at {self.uri}: {exc}"
            ) from exc

    async def ping(self) -> None:
        try:
            await self.driver.verify_connectivity()
        except (Neo4jError, DriverError, OSError) as exc:
            raise StoreUnavailable(
                _("the database does not answer"), f"Neo4j at {self.uri}: {exc}"
            ) from exc

    async def close(self) -> None:
        await self.driver.close()


def _plain(value: Any) -> Any:
    """Driver values to plain Python; temporal values become ISO strings like FalkorDB's."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, neo4j.graph.Node | neo4j.graph.Relationship | neo4j.graph.Path):
        raise TypeError("a statement returned a raw graph element; return maps instead")
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value
