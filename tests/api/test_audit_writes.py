"""Audit entries written together (service/api/audit.py, AuditWriter): concurrent requests share
writes, and every request's entry is stored before its response goes out: none is lost."""

from __future__ import annotations

import asyncio

import httpx

from service.access import Role, Tlp, Viewer
from service.api.app import create_app
from service.config import Settings
from service.keys import create_key
from service.store import Store
from tests.support.graphql_client import post_graphql
from tests.support.tables import load_rows
from tests.test_access import ORGS

REQUESTS = 30
DEFENDER = '{ node(id: "def-1") { id } }'
AUDIT = "{ auditLog(first: 100) { totalCount edges { node { operation ids keyId } } } }"


async def test_concurrent_requests_share_writes_and_lose_no_entry(store: Store) -> None:
    await load_rows(
        store,
        organizations=ORGS,
        defenders=[
            {"id": "def-1", "pseudonym": "Defensora Roble", "tlp": "GREEN", "owner": "org-a"}
        ],
    )
    reader = await create_key(store, "org-b", Role.READER, Tlp.GREEN)
    admin = await create_key(store, "org-a", Role.ADMIN, Tlp.RED)
    app = create_app(Settings(), store=store)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://tejido") as http:
            bodies = await asyncio.gather(
                *(post_graphql(http, reader.key, DEFENDER) for _ in range(REQUESTS))
            )
            assert all(b == {"data": {"node": {"id": "def-1"}}} for b in bodies)
            writes = app.state.audit.writes
            # Each response waited for its entry: all are there before the app stops.
            log = (await post_graphql(http, admin.key, AUDIT))["data"]["auditLog"]
    assert log["totalCount"] == REQUESTS
    assert {
        (e["node"]["operation"], tuple(e["node"]["ids"]), e["node"]["keyId"]) for e in log["edges"]
    } == {("query node", ("def-1",), reader.id)}
    assert 1 <= writes < REQUESTS  # batched: fewer writes than requests


async def test_entries_queued_at_shutdown_are_written(store: Store) -> None:
    await load_rows(
        store,
        organizations=ORGS,
        defenders=[
            {"id": "def-1", "pseudonym": "Defensora Roble", "tlp": "GREEN", "owner": "org-a"}
        ],
    )
    app = create_app(Settings(), store=store)
    async with app.router.lifespan_context(app):
        writer = app.state.audit
        # Requests cancelled while their entries wait still leave them to the writer.
        pending = [
            asyncio.create_task(writer.append(["def-1"], "key-x", "org-b", "query node"))
            for _ in range(5)
        ]
        await asyncio.sleep(0)
        for task in pending:
            task.cancel()
    # The lifespan's exit waited for the writer.
    admin = Viewer("org-a", Role.ADMIN, Tlp.RED)
    rows = await store.read("audit_entries", offset=0, first=100, **admin.params())
    assert rows[0]["total"] == 5
