"""The databases under test, for tests/conftest.py's fixtures: one `Backend` per database hands
out empty or seeded graphs; `Graph` is what the `graph` and `seeded_graph` fixtures give."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from service.config import Settings
from service.ingest.load import load_folder
from service.store import Store, open_store
from tests.support.neo4j_server import Neo4jServer

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seed_data"
BACKENDS = ("falkordb", "neo4j")
_graph_names = (f"test_{i}" for i in itertools.count())


def neo4j_settings(server: Neo4jServer) -> Settings:
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


@dataclass(frozen=True)
class Graph:
    store: Store
    settings: Settings
