"""When the database does not answer, callers learn that, and nothing about where it lives:
/readyz, /healthz and an API request answer 503 without the database's address or its
driver's words (those go to the log, for the operator). Both drivers, each against a port
where nothing listens."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import structlog

from service.config import Settings
from service.store import Store
from service.store.embedded import EmbeddedFalkorDB
from service.store.falkordb import FalkorDBStore
from service.store.neo4j import Neo4jStore
from tests.support.graphql_client import app_client


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(params=["falkordb", "neo4j"])
def unreachable(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Store, int]]:
    if request.param == "neo4j":
        port = _closed_port()
        yield Neo4jStore(f"bolt://127.0.0.1:{port}", None, "neo4j", 2.0, 2.0), port
        return
    # FalkorDB's client connects as it is made: make it, then take its database away.
    server = EmbeddedFalkorDB(tmp_path / "data", max_query_ms=10_000)
    address = server.start()
    try:
        store = FalkorDBStore(address.host, address.port, "tejido", 2.0, 2.0)
        server.stop()
        yield store, address.port
    finally:
        server.stop()


def _private(text: str, port: int) -> list[str]:
    return [leak for leak in ("127.0.0.1", str(port), "bolt://", "Errno") if leak in text]


async def test_an_unavailable_database_is_named_but_not_located(
    unreachable: tuple[Store, int],
) -> None:
    store, port = unreachable
    settings = Settings(unhealthy_after_s=0.001, request_timeout_s=3.0)
    with structlog.testing.capture_logs() as logged:
        async with app_client(store, settings) as http:
            ready = await http.get("/readyz", headers={"Accept-Language": "es"})
            await http.get("/healthz")  # the first to find it down starts the count
            await asyncio.sleep(0.2)  # healthz counts tenths of seconds
            healthy = await http.get("/healthz", headers={"Accept-Language": "en"})
            api = await http.post(
                "/graphql",
                json={"query": "{ counts { label count } }"},
                headers={"Authorization": "Bearer tjd_not_a_key_but_looked_up_all_the_same"},
            )
    assert ready.status_code == 503
    assert ready.json() == {"status": "unavailable", "reason": "la base de datos no responde"}
    assert healthy.status_code == 503
    assert healthy.json()["reason"] == "the database does not answer"
    # Neo4j's driver retries until the request's own time runs out; FalkorDB's fails at once.
    assert api.status_code in (503, 504), api.text
    assert api.json()["errors"][0]["extensions"]["code"] in ("STORE_UNAVAILABLE", "TIMEOUT")
    for response in (ready, healthy, api):
        assert not _private(response.text, port), response.text
    # The operator still learns where: the log names the address.
    details = [str(event.get("detail")) for event in logged]
    assert any(f"127.0.0.1:{port}" in detail for detail in details), logged
