"""Fixtures for the whole suite. Which one to use when:

- `seeded`: the seed data (seed_data/), loaded once per backend; for tests that only read.
- `store`: an empty graph of the test's own, on each backend; for tests that write.
- `graph`: the same as `store` plus the Settings that point a CLI run or an app at it.
- `seeded_graph`: the seed's store plus the Settings that point an app at it (live servers,
  tests/embed_server.py).
- `backend`: the backend being tested ("falkordb" or "neo4j"), when a test needs to know.

Every test that takes `store` or `seeded` runs twice: on the embedded FalkorDB and on a real
Neo4j 5 (TEJIDO_TEST_NEO4J_URI, else testcontainers where Docker answers, else the in-process
Neo4j that tests/neo4j builds with Maven). Neo4j Community has one database, so there a
writing test empties it and the next `seeded` test loads the seed again; tests are ordered so
that this happens once per backend.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from service.config import Settings
from service.ingest.load import load_folder
from service.store import Store, embedded_server, open_store

sys.path.insert(0, str(Path(__file__).parent))
from neo4j_server import Neo4jServer, Neo4jUnavailable, neo4j_server

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seed_data"
BACKENDS = ("falkordb", "neo4j")
_graph_names = (f"test_{i}" for i in itertools.count())


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Per backend, read-only tests before writing ones, so Neo4j loads the seed only once."""

    def key(item: pytest.Item) -> tuple[int, int]:
        callspec = getattr(item, "callspec", None)
        backend = callspec.params.get("backend_under_test", "") if callspec else ""
        writes = "graph" in getattr(item, "fixturenames", ())
        return (BACKENDS.index(backend) if backend in BACKENDS else -1, int(writes))

    items.sort(key=key)


@pytest.fixture(scope="session")
def falkordb_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """One embedded FalkorDB for the session; each test uses its own graph in it."""
    data_dir = tmp_path_factory.mktemp("falkordb")
    settings = Settings(data_dir=data_dir)
    with embedded_server(settings) as address:
        yield settings.model_copy(update={"graph_uri": f"falkordb://{address.host}:{address.port}"})


_neo4j_started: list[Neo4jServer] = []


@pytest.fixture(scope="session")
def neo4j_instance() -> Iterator[Neo4jServer]:
    try:
        with neo4j_server() as server:
            _neo4j_started.append(server)
            yield server
    except Neo4jUnavailable as exc:
        pytest.skip(f"no Neo4j available: {exc.reason}")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say which Neo4j the suite used, how long it took to start and how many tests ran on it."""
    passed = terminalreporter.stats.get("passed", [])
    on = {b: sum(f"[{b}" in r.nodeid for r in passed) for b in BACKENDS}
    for server in _neo4j_started:
        terminalreporter.write_line(
            f"Neo4j 5 from {server.how}: up in {server.startup_seconds:.1f} s; "
            f"tests passed on neo4j: {on['neo4j']}, on falkordb: {on['falkordb']}"
        )


def _neo4j_settings(server: Neo4jServer) -> Settings:
    auth = server.auth
    return Settings(
        graph_uri=server.uri,
        neo4j_user=auth[0] if auth else "neo4j",
        neo4j_password=auth[1] if auth else None,
    )


class Backend:
    """One database under test, handing out empty or seeded graphs."""

    def __init__(self, name: str, settings: Settings) -> None:
        self.name = name
        self.settings = settings
        self.state = "unknown"  # on Neo4j: what the single database holds now
        self._shared: Store | None = None  # Neo4j: the one database; FalkorDB: the seed graph
        self._stores: list[Any] = []

    async def _open(self, settings: Settings) -> Store:
        context = open_store(settings)
        store = await context.__aenter__()
        self._stores.append(context)
        return store

    async def empty(self) -> tuple[Store, Settings]:
        if self.name == "falkordb":
            settings = self.settings.model_copy(update={"graph_name": next(_graph_names)})
            return await self._open(settings), settings
        store = await self._shared_store()
        await clear(store)
        self.state = "dirty"
        return store, self.settings

    async def _shared_store(self) -> Store:
        if self._shared is None:
            self._shared = await self._open(self.seeded_settings)
        return self._shared

    @property
    def seeded_settings(self) -> Settings:
        if self.name == "falkordb":
            return self.settings.model_copy(update={"graph_name": "seed"})
        return self.settings

    async def seeded_store(self) -> Store:
        store = await self._shared_store()
        if self.state != "seed":
            await clear(store)
            await load_folder(store, SEED, batch_size=2000)
            self.state = "seed"
        return store

    async def close(self) -> None:
        for context in reversed(self._stores):
            await context.__aexit__(None, None, None)


async def clear(store: Store) -> None:
    while (await store.write("delete_some", limit=10_000))[0]["deleted"]:
        pass


@pytest.fixture(scope="session", params=BACKENDS)
async def backend_under_test(request: pytest.FixtureRequest) -> AsyncIterator[Backend]:
    if request.param == "falkordb":
        settings = request.getfixturevalue("falkordb_settings")
    else:
        settings = _neo4j_settings(request.getfixturevalue("neo4j_instance"))
    backend = Backend(request.param, settings)
    yield backend
    await backend.close()


@pytest.fixture
def backend(backend_under_test: Backend) -> str:
    return backend_under_test.name


@pytest.fixture
async def seeded(backend_under_test: Backend) -> Store:
    return await backend_under_test.seeded_store()


@dataclass(frozen=True)
class Graph:
    store: Store
    settings: Settings


@pytest.fixture
async def seeded_graph(backend_under_test: Backend) -> Graph:
    return Graph(await backend_under_test.seeded_store(), backend_under_test.seeded_settings)


@pytest.fixture
async def graph(backend_under_test: Backend) -> Graph:
    return Graph(*await backend_under_test.empty())


@pytest.fixture
def store(graph: Graph) -> Store:
    return graph.store
