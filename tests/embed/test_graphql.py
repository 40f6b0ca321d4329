"""Embed tokens through GraphQL on both backends, with the example operations in
graphql/operations: admins only, their own organization, a cap never above the key's clearance."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from service.access import Role, Tlp
from service.keys import create_key
from tests.support.backends import Graph
from tests.support.embed_graph import ids as view_ids
from tests.support.embed_graph import load_graph
from tests.support.graphql_client import app_client, post_graphql

OPERATIONS = Path(__file__).resolve().parents[2] / "graphql" / "operations"


@pytest.fixture
async def http(graph: Graph) -> AsyncIterator[httpx.AsyncClient]:
    await load_graph(graph.store)
    async with app_client(graph.store, graph.settings) as client:
        yield client


async def run(
    http: httpx.AsyncClient, key: str, operation: str, query: str | None = None, **variables: Any
) -> dict[str, Any]:
    text = query or (OPERATIONS / f"{operation}.graphql").read_text(encoding="utf-8")
    return await post_graphql(http, key, text, **variables)


async def test_admins_create_list_and_revoke_their_embeds(
    http: httpx.AsyncClient, graph: Graph
) -> None:
    admin = (await create_key(graph.store, "org-a", Role.ADMIN, Tlp.AMBER)).key
    created = (
        await run(
            http, admin, "create_embed", territory="ter-r", frameAncestors=["https://d.example"]
        )
    )["data"]["createEmbed"]
    assert created["path"].startswith("/embed/")
    page = await http.get(created["path"])
    assert "frame-ancestors https://d.example" in page.headers["content-security-policy"]
    data = (await http.get(created["path"] + "/data")).json()
    assert view_ids(data) == {"B", "P", "t-bp"}  # GREEN: not org-a's AMBER actor
    listed = (await run(http, admin, "embeds"))["data"]["embeds"]
    assert [(e["id"], e["params"], e["revokedAt"]) for e in listed] == [
        (created["id"], [{"name": "territory", "value": "ter-r"}], None)
    ]
    other_admin = (await create_key(graph.store, "org-b", Role.ADMIN, Tlp.RED)).key
    assert (await run(http, other_admin, "embeds"))["data"]["embeds"] == []
    foreign = (await run(http, other_admin, "revoke_embed", id=created["id"]))["data"]
    assert foreign["revokeEmbed"]["errors"][0]["field"] == "id"
    assert (await http.get(created["path"] + "/data")).status_code == 200
    revoked = (await run(http, admin, "revoke_embed", id=created["id"]))["data"]["revokeEmbed"]
    assert revoked["id"] == created["id"] and revoked["revokedAt"]
    assert (await http.get(created["path"] + "/data")).status_code == 401


ABOVE = """mutation { createEmbed(view: "collusion", params: [{name: "territory", value: "ter-r"}],
  maxTlp: RED) { ... on InputErrors { errors { field message } } ... on CreatedEmbed { id } } }"""
BAD_PARAMS = """mutation { createEmbed(view: "paths", params: [{name: "from", value: "C"}],
  expires: "forever") { ... on InputErrors { errors { field message } } ... on CreatedEmbed { id } } }"""


async def test_caps_params_and_roles_are_checked(http: httpx.AsyncClient, graph: Graph) -> None:
    admin = (await create_key(graph.store, "org-a", Role.ADMIN, Tlp.AMBER)).key
    above = (await run(http, admin, "", ABOVE))["data"]["createEmbed"]["errors"]
    assert [e["field"] for e in above] == ["maxTlp"]
    assert "above" in above[0]["message"]
    bad = (await run(http, admin, "", BAD_PARAMS))["data"]["createEmbed"]["errors"]
    assert [e["field"] for e in bad] == ["expires"]
    reader = (await create_key(graph.store, "org-a", Role.ANALYST, Tlp.RED)).key
    refused = await run(http, reader, "create_embed", territory="ter-r")
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert (await run(http, reader, "embeds"))["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert (await run(http, admin, "embeds"))["data"]["embeds"] == []
