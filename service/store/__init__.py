"""Open the store that the settings name: embedded FalkorDB, external FalkorDB or Neo4j."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Iterator
from urllib.parse import urlsplit

from service.config import NEO4J_SCHEMES, Settings
from service.errors import ConfigError
from service.i18n import _
from service.model import load_model
from service.store.base import Row, Store
from service.store.embedded import EmbeddedFalkorDB, ServerAddress
from service.store.falkordb import FalkorDBStore
from service.store.neo4j import Neo4jStore

__all__ = ["Row", "Store", "embedded_server", "open_store"]


@contextlib.contextmanager
def embedded_server(
    settings: Settings, on_failure: Callable[[], None] | None = None
) -> Iterator[ServerAddress]:
    """Start (or attach to) the embedded database of `settings.data_dir` for the block; given
    `on_failure`, start it again whenever it dies (`EmbeddedFalkorDB.watch`)."""
    server = EmbeddedFalkorDB(settings.data_dir, max_query_ms=settings.longest_statement_ms)
    address = server.start()
    if on_failure is not None:
        server.watch(on_failure)
    try:
        yield address
    finally:
        server.stop()


def _falkordb(settings: Settings, host: str, port: int) -> FalkorDBStore:
    return FalkorDBStore(
        host,
        port,
        settings.graph_name,
        settings.read_timeout_s,
        settings.write_timeout_s,
        unique_labels=[*load_model().labels, "Record"],
    )


def _store_for_uri(settings: Settings, uri: str) -> Store:
    parts = urlsplit(uri)
    if parts.scheme == "falkordb":
        if not parts.hostname or not parts.port:
            raise ConfigError(
                _("TEJIDO_GRAPH_URI {uri}: falkordb:// needs host:port", uri=repr(uri))
            )
        return _falkordb(settings, parts.hostname, parts.port)
    if parts.scheme in NEO4J_SCHEMES:
        password = settings.neo4j_password.get_secret_value() if settings.neo4j_password else None
        auth = (settings.neo4j_user, password) if password is not None else None
        return Neo4jStore(
            uri, auth, settings.neo4j_database, settings.read_timeout_s, settings.write_timeout_s
        )
    raise ConfigError(_("TEJIDO_GRAPH_URI {uri}: unknown scheme", uri=repr(uri)))


@contextlib.asynccontextmanager
async def open_store(settings: Settings, ensure_schema: bool = True) -> AsyncIterator[Store]:
    """The store for `settings`, checked to answer, schema in place, closed on exit."""
    with contextlib.ExitStack() as stack:
        if settings.graph_uri:
            store = _store_for_uri(settings, settings.graph_uri)
        else:
            address = stack.enter_context(embedded_server(settings))
            store = _falkordb(settings, address.host, address.port)
        try:
            await store.ping()
            if ensure_schema:
                await store.ensure_schema()
            yield store
        finally:
            await store.close()
