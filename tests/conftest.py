"""Fixtures for the whole suite. Which one to use when:

- `seeded`: the seed data (seed_data/), loaded once per backend; for tests that only read.
- `store`: an empty graph of the test's own, on each backend; for tests that write.
- `graph`: the same as `store` plus the Settings that point a CLI run or an app at it.
- `seeded_graph`: the seed's store plus the Settings that point an app at it (live servers,
  tests/support/embed_server.py).
- `backend`: the backend being tested ("falkordb" or "neo4j"), when a test needs to know.

Every test that takes `store` or `seeded` runs twice: on the embedded FalkorDB and on a real
Neo4j 5 (TEJIDO_TEST_NEO4J_URI, else testcontainers where Docker answers, else the in-process
Neo4j that tests/neo4j builds with Maven). Neo4j Community has one database, so there a
writing test empties it and the next `seeded` test loads the seed again; tests are ordered so
that this happens once per backend. The backends themselves are in tests/support/backends.py.

Every test that takes one of these fixtures is marked `db` here; a module whose tests start a
database of their own says so with `pytestmark = pytest.mark.db`. `pytest -m "not db"` runs
the rest.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from service import i18n
from service.config import Settings
from service.store import Store, embedded_server
from tests.support.backends import BACKENDS, Backend, Graph, neo4j_settings

# The suite revokes keys and changes networks and asks again at once: its apps look every key
# up (tests/api/test_key_cache.py tests the cache that serves keys for key_cache_s seconds).
os.environ.setdefault("TEJIDO_KEY_CACHE_S", "0")
from tests.support.neo4j_server import Neo4jServer, Neo4jUnavailable, neo4j_server

# The suite reads messages in English (the code's own words); Tejido's default is Spanish, and
# the tests that say so ask for it (tests/i18n, tests/browser/test_languages.py).
os.environ["TEJIDO_LANGUAGE"] = "en"
i18n.set_default_language("en")

# Every database fixture comes from these; a test that reaches one, however indirectly, needs a
# database, so the `db` mark follows from its fixtures and a new test cannot forget it.
DATABASE_FIXTURES = {"backend_under_test", "falkordb_settings", "neo4j_instance"}


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by the marks
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that need a database `db`; then, per backend, read-only tests before
    writing ones, so Neo4j loads the seed only once."""
    for item in items:
        if DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.db)

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


@pytest.fixture(scope="session", params=BACKENDS)
async def backend_under_test(request: pytest.FixtureRequest) -> AsyncIterator[Backend]:
    if request.param == "falkordb":
        settings = request.getfixturevalue("falkordb_settings")
    else:
        settings = neo4j_settings(request.getfixturevalue("neo4j_instance"))
    backend = Backend(request.param, settings)
    yield backend
    await backend.close()


@pytest.fixture
def backend(backend_under_test: Backend) -> str:
    return backend_under_test.name


@pytest.fixture
async def seeded(backend_under_test: Backend) -> Store:
    return await backend_under_test.seeded_store()


@pytest.fixture
async def seeded_graph(backend_under_test: Backend) -> Graph:
    return Graph(await backend_under_test.seeded_store(), backend_under_test.seeded_settings)


@pytest.fixture
async def graph(backend_under_test: Backend) -> Graph:
    return Graph(*await backend_under_test.empty())


@pytest.fixture
def store(graph: Graph) -> Store:
    return graph.store
