"""The API over HTTP with real keys: authentication, health, and access rules end to end."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from service.access import Role, Tlp
from service.api.app import create_app
from service.config import Settings
from service.keys import create_key, revoke_key
from service.store import Store
from tests.support.graphql_client import app_client
from tests.support.tables import load_rows
from tests.test_access import ACTORS, ORGS, actor_row


@pytest.fixture
async def client(store: Store) -> AsyncIterator[httpx.AsyncClient]:
    await load_rows(
        store,
        organizations=ORGS,
        actors=[actor_row(*a) for a in ACTORS],
        defenders=[
            {
                "id": "def-1",
                "pseudonym": "Defensora Roble",
                "name": "Nombre Inventado Uno",
                "tlp": "GREEN",
                "owner": "org-a",
            }
        ],
    )
    async with app_client(store) as http:
        yield http


async def gql(http: httpx.AsyncClient, key: str | None, query: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return await http.post("/graphql", json={"query": query}, headers=headers)


async def data(http: httpx.AsyncClient, key: str, query: str) -> dict[str, Any]:
    response = await gql(http, key, query)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]
    return result


async def test_no_key_or_a_bad_key_gets_401(client: httpx.AsyncClient, store: Store) -> None:
    assert (await gql(client, None, "{ counts { label count } }")).status_code == 401
    assert (await gql(client, "tjd_0000_nope", "{ counts { label count } }")).status_code == 401
    key = await create_key(store, "org-a", Role.READER, Tlp.GREEN)
    forged = key.key[:-4] + "AAAA"
    assert (await gql(client, forged, "{ counts { label count } }")).status_code == 401
    assert (await gql(client, key.key, "{ counts { label count } }")).status_code == 200
    await revoke_key(store, key.id)
    assert (await gql(client, key.key, "{ counts { label count } }")).status_code == 401


async def test_the_401_speaks_the_request_language(client: httpx.AsyncClient) -> None:
    async def detail(**kwargs: Any) -> str:
        response = await client.post("/graphql", json={"query": "{ counts { count } }"}, **kwargs)
        assert response.status_code == 401
        return str(response.json()["errors"][0]["message"])

    spanish = await detail(headers={"Accept-Language": "es-HN,es;q=0.9"})
    english = await detail(headers={"Accept-Language": "en-US"})
    assert spanish != english
    assert await detail(headers={"Accept-Language": "es"}, params={"lang": "en"}) == english
    assert await detail() == english  # the suite sets TEJIDO_LANGUAGE=en (tests/conftest.py)


async def test_health_and_readiness(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"


async def test_hidden_records_are_absent_not_forbidden(
    client: httpx.AsyncClient, store: Store
) -> None:
    outsider = (await create_key(store, "org-b", Role.READER, Tlp.RED)).key
    owner = (await create_key(store, "org-a", Role.READER, Tlp.RED)).key
    query = '{ node(id: "act-red") { id tlp } }'
    assert (await data(client, outsider, query)) == {"node": None}
    assert (await data(client, owner, query))["node"] == {"id": "act-red", "tlp": "RED"}
    missing = await data(client, outsider, '{ node(id: "act-does-not-exist") { id } }')
    assert missing == {"node": None}  # the same answer as for a hidden record


async def test_counts_and_names_follow_the_viewer(client: httpx.AsyncClient, store: Store) -> None:
    green = (await create_key(store, "org-a", Role.READER, Tlp.GREEN)).key
    red = (await create_key(store, "org-a", Role.READER, Tlp.RED)).key
    query = """{ counts { label count }
                 actors { totalCount edges { node { id } } }
                 defender(id: "def-1") { name pseudonym } }"""
    low, high = await data(client, green, query), await data(client, red, query)
    visible = sum(1 for _, tlp, _ in ACTORS if tlp in ("CLEAR", "GREEN"))
    assert {c["label"]: c["count"] for c in low["counts"]}["Actor"] == visible
    assert low["actors"]["totalCount"] == visible == len(low["actors"]["edges"])
    assert {c["label"]: c["count"] for c in high["counts"]}["Actor"] == len(ACTORS)
    assert high["actors"]["totalCount"] == len(ACTORS)
    assert low["defender"] == {"name": "Defensora Roble", "pseudonym": "Defensora Roble"}
    assert "Nombre Inventado Uno" not in str(low)
    assert high["defender"]["name"] == "Nombre Inventado Uno"


async def test_search_does_not_find_hidden_records_or_names(
    client: httpx.AsyncClient, store: Store
) -> None:
    outsider = (await create_key(store, "org-b", Role.READER, Tlp.RED)).key
    owner = (await create_key(store, "org-a", Role.READER, Tlp.AMBER)).key
    query = '{ search(text: "%s") { id name } }'
    assert await data(client, outsider, query % "act-red") == {"search": []}
    assert await data(client, outsider, query % "Nombre Inventado") == {"search": []}
    assert await data(client, outsider, query % "roble") == {
        "search": [{"id": "def-1", "name": "Defensora Roble"}]
    }
    assert await data(client, owner, query % "nombre inventado") == {
        "search": [{"id": "def-1", "name": "Nombre Inventado Uno"}]
    }


async def test_limits_refuse_abusive_queries(client: httpx.AsyncClient, store: Store) -> None:
    key = (await create_key(store, "org-a", Role.READER, Tlp.GREEN)).key
    deep = (
        '{ node(id: "act-green") { '
        + "links { edges { node { other { " * 6
        + "id"
        + " } } } }" * 6
        + " } }"
    )
    body = (await gql(client, key, deep)).json()
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]
    aliases = "{ " + " ".join(f"a{i}: counts {{ count }}" for i in range(40)) + " }"
    body = (await gql(client, key, aliases)).json()
    assert "aliases found" in body["errors"][0]["message"]
    body = (await gql(client, key, "{ actors(first: 500) { totalCount } }")).json()
    assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    assert "first" in body["errors"][0]["message"]


async def test_a_network_member_reads_what_is_shared_with_its_network(
    client: httpx.AsyncClient, store: Store
) -> None:
    await load_rows(
        store,
        # An admission is the network's own record (docs/access.md).
        relationships=[
            {
                "id": "m-1",
                "type": "MEMBER_OF",
                "from_id": "org-c",
                "to_id": "net-n",
                "tlp": "GREEN",
                "owner": "net-n",
            }
        ],
    )
    member = (await create_key(store, "org-c", Role.READER, Tlp.AMBER)).key
    viewer = await data(client, member, "{ viewer { organization networks } }")
    assert viewer["viewer"] == {"organization": "org-c", "networks": ["net-n"]}
    assert (await data(client, member, '{ node(id: "act-amber-net") { id } }'))["node"]


async def test_a_link_to_a_hidden_record_is_not_shown(
    client: httpx.AsyncClient, store: Store
) -> None:
    await load_rows(
        store,
        relationships=[
            {
                "id": "r-open",
                "type": "ALLIED_WITH",
                "from_id": "act-green",
                "to_id": "act-clear",
                "tlp": "GREEN",
                "owner": "org-a",
            },
            {
                "id": "r-red-end",
                "type": "ALLIED_WITH",
                "from_id": "act-green",
                "to_id": "act-red",
                "tlp": "GREEN",
                "owner": "org-a",
            },
        ],
    )
    outsider = (await create_key(store, "org-b", Role.READER, Tlp.RED)).key
    owner = (await create_key(store, "org-a", Role.READER, Tlp.RED)).key
    query = '{ node(id: "act-green") { links { totalCount edges { node { id other { id } } } } } }'
    seen = (await data(client, outsider, query))["node"]["links"]
    assert seen["totalCount"] == 1
    assert [e["node"]["id"] for e in seen["edges"]] == ["r-open"]
    assert (await data(client, owner, query))["node"]["links"]["totalCount"] == 2


async def test_graphiql_page_needs_no_key_but_queries_do(client: httpx.AsyncClient) -> None:
    page = await client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()
    query = await client.get("/graphql", params={"query": "{ counts { label } }"})
    assert query.status_code == 401
    from_a_browser = await client.get(
        "/graphql", params={"query": "{ counts { label } }"}, headers={"Accept": "text/html"}
    )
    assert from_a_browser.status_code == 401


async def test_a_request_over_its_time_budget_gets_504(store: Store) -> None:
    await load_rows(store, organizations=ORGS)
    key = (await create_key(store, "org-a", Role.READER, Tlp.GREEN)).key
    app = create_app(Settings(request_timeout_s=1e-6), store=store)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http,
    ):
        response = await gql(http, key, "{ counts { label count } }")
    assert response.status_code == 504
    assert response.json()["errors"][0]["extensions"]["code"] == "TIMEOUT"


async def test_too_many_tokens_are_refused(client: httpx.AsyncClient, store: Store) -> None:
    key = (await create_key(store, "org-a", Role.READER, Tlp.GREEN)).key
    big = "{ viewer { " + " ".join(["organization"] * 2500) + " } }"
    body = (await gql(client, key, big)).json()
    assert "token" in body["errors"][0]["message"].lower()
