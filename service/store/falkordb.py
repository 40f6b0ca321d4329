"""FalkorDB (embedded or external) through the `falkordb` client's native protocol."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from falkordb.asyncio import FalkorDB
from falkordb.query_result import QueryResult as ParsedResult
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from service.errors import Conflict, QueryTimeout, StoreUnavailable
from service.i18n import _
from service.store.base import Row, Store, rows_sent

RO_QUERY = "GRAPH.RO_QUERY"

# Secrets made once for every worker (store.read_or_create): unique by name, as on Neo4j.
UNIQUE_NAMES = (("EmbedSigningKey", "name"), ("XrefMatchKey", "name"))


class FalkorDBStore(Store):
    dialect = "falkordb"
    multi_statement_transactions = False

    def __init__(
        self,
        host: str,
        port: int,
        graph_name: str,
        read_timeout_s: float,
        write_timeout_s: float,
        unique_labels: Iterable[str] = (),
    ) -> None:
        super().__init__(read_timeout_s, write_timeout_s)
        self.address = f"{host}:{port}"
        self.db = FalkorDB(host=host, port=port)
        self.graph = self.db.select_graph(graph_name)
        self.unique_labels = tuple(unique_labels)

    async def _read(self, text: str, params: dict[str, Any]) -> list[Row]:
        ms = int(self.read_timeout_s * 1000)
        return await self._call(lambda: self._ro_query(text, params, ms))

    async def _ro_query(self, text: str, params: dict[str, Any], ms: int) -> ParsedResult:
        """`graph.ro_query`, its answer parsed by the client's synchronous parser: the async
        one awaits a coroutine per value, three times the cost of the same parse in plain
        calls (a whole-graph projection at --scale 10: 0.7 s against 0.25 s, more than the
        database spends). Statements return maps and lists, never graph elements, the only
        values that parser would look up in the graph's schema."""
        graph = self.graph
        query = graph._build_params_header(params) + text
        response = await graph.execute_command(
            RO_QUERY, graph.name, query, "--compact", "timeout", ms
        )
        return ParsedResult(graph, response)

    async def _write_all(
        self,
        texts: Sequence[tuple[str, dict[str, Any]]],
        progress: Callable[[int], None] | None,
    ) -> list[list[Row]]:
        ms = int(self.write_timeout_s * 1000)
        results: list[list[Row]] = []
        for text, params in texts:
            results.append(
                await self._call(
                    lambda t=text, p=params: self.graph.query(t, p, timeout=ms)  # type: ignore[misc]
                )
            )
            if progress:
                progress(rows_sent(params))
        return results

    async def _schema(self, text: str) -> None:
        try:
            await self._call(lambda: self.graph.query(text))
        except ResponseError as exc:
            # FalkorDB's CREATE INDEX has no IF NOT EXISTS: a second create says so.
            if "already indexed" not in str(exc):
                raise

    async def ensure_schema(self) -> None:
        await super().ensure_schema()
        # Uniqueness constraints are a server command in FalkorDB, not Cypher.
        constraints = await self.graph.list_constraints()
        existing = {
            (c["label"], tuple(c["properties"])) for c in constraints if c["type"] == "UNIQUE"
        }
        wanted = [(label, "id") for label in self.unique_labels] + list(UNIQUE_NAMES)
        for label, key in wanted:
            if (label, (key,)) not in existing:
                await self.graph.create_node_unique_constraint(label, key)

    async def _call(self, run: Callable[[], Any]) -> list[Row]:
        try:
            result = await run()
        except RedisConnectionError as exc:
            raise StoreUnavailable(
                _("the database does not answer"), f"FalkorDB at {self.address}: {exc}"
            ) from exc
        except (RedisTimeoutError, ResponseError) as exc:
            if isinstance(exc, RedisTimeoutError) or "timed out" in str(exc).lower():
                raise QueryTimeout(_("the query ran out of time: ask a narrower one")) from exc
            if "unique constraint" in str(exc).lower():
                raise Conflict(_("another write created the same record first: try again")) from exc
            raise
        names = [column[1] for column in result.header]
        return [dict(zip(names, map(_plain, row), strict=True)) for row in result.result_set]

    async def ping(self) -> None:
        try:
            await self.db.connection.ping()
        except (RedisConnectionError, OSError) as exc:
            raise StoreUnavailable(
                _("the database does not answer"), f"FalkorDB at {self.address}: {exc}"
            ) from exc

    async def close(self) -> None:
        await self.db.connection.aclose()


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "properties"):  # falkordb Node / Edge / Path
        raise TypeError("a statement returned a raw graph element; return maps instead")
    return value
