"""One reader key trying to stall the service or break it with input it cannot represent.

Bodies that are not a GraphQL request, bodies too large to read, text and numbers no database
can take, cursors past any list, too many requests, and a path search that would run for
minutes: each gets a clear answer with `extensions.code`, and the service keeps answering.
Through HTTP with real keys, on both databases.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from service.access import Role, Tlp
from service.api.app import create_app
from service.config import Settings
from service.keys import create_key
from service.store import Store
from tests.support.tables import load_rows

# Two public seed actors with many ties: maxHops 6, first 100 between them held the event loop
# for 2-3 minutes and gave only the 55 strongest of the 100 paths asked for.
HUB_A, HUB_B = "act-000056", "act-000003"
SEED_VIEWER = "org-000037"
PATHS = """query ($from: ID!, $to: ID!, $hops: Int, $first: Int) {
  influencePaths(from: $from, to: $to, maxHops: $hops, first: $first) {
    strength hops { id start: from { id } end: to { id } }
  }
}"""
CURSOR = "query ($after: String) { actors(first: 1, after: $after) { totalCount } }"
ACTOR = "query ($id: ID!) { actor(id: $id) { id } }"
MIN_SCORE = "query ($m: Float) { atRiskDefenders(minScore: $m) { score } }"


@asynccontextmanager
async def serve(store: Store, settings: Settings | None = None) -> AsyncIterator[httpx.AsyncClient]:
    """The app in process; an exception in it comes back as the 500 a client would get."""
    app = create_app(settings or Settings(), store=store)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://tejido") as http:
            yield http


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


async def graphql(http: httpx.AsyncClient, key: str, query: str, **variables: Any) -> Any:
    response = await http.post(
        "/graphql", json={"query": query, "variables": variables}, headers=bearer(key), timeout=300
    )
    assert response.status_code == 200, response.text
    return response.json()


def error_code(response: httpx.Response) -> str:
    """The code of a GraphQL-shaped error body (and that it is one)."""
    body = response.json()
    assert set(body) <= {"data", "errors"}, body
    assert body["errors"][0]["message"], body
    code: str = body["errors"][0]["extensions"]["code"]
    return code


@pytest.fixture
async def seed_key(seeded: Store) -> str:
    return (await create_key(seeded, SEED_VIEWER, Role.READER, Tlp.RED)).key


# --- bodies --------------------------------------------------------------------------------

MALFORMED = {
    "a JSON string": b'"x"',
    "a number": b"1",
    "null": b"null",
    "true": b"true",
    "an array": b'[{"query": "{ viewer { organization } }"}]',
    "5,000-deep JSON": b"[" * 5000 + b"]" * 5000,
    "a query 5,000 deep": b'{"query": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    "invalid UTF-8": b'{"query": "{ viewer { organization } }\xff\xfe"}',
    "not JSON": b"{query",
    "variables as a list": b'{"query": "{ viewer { organization } }", "variables": [1]}',
    "query as a number": b'{"query": 5}',
}


@pytest.mark.parametrize("name", MALFORMED)
async def test_a_malformed_body_gets_400_with_a_graphql_error(
    seeded: Store, seed_key: str, name: str
) -> None:
    async with serve(seeded) as http:
        response = await http.post(
            "/graphql",
            content=MALFORMED[name],
            headers={**bearer(seed_key), "Content-Type": "application/json"},
        )
        assert response.status_code == 400, response.text
        assert error_code(response) == "BAD_REQUEST"
        assert (await http.get("/healthz")).status_code == 200


async def test_a_body_that_is_not_json_by_its_type_gets_415(seeded: Store, seed_key: str) -> None:
    async with serve(seeded) as http:
        response = await http.post(
            "/graphql", content=b"x", headers={**bearer(seed_key), "Content-Type": "text/plain"}
        )
    assert response.status_code == 415
    assert error_code(response) == "BAD_REQUEST"


def padded_request(size: int) -> bytes:
    """A valid GraphQL request of `size` bytes: only its size is wrong."""
    head, tail = b'{"query": "{ viewer { organization } }", "pad": "', b'"}'
    return head + b"x" * (size - len(head) - len(tail)) + tail


async def test_an_oversized_body_gets_413_without_being_read(seeded: Store, seed_key: str) -> None:
    limit = Settings().max_body_bytes
    body = padded_request(20 * limit)
    chunks = [body[i : i + 65536] for i in range(0, len(body), 65536)]
    read = 0

    async def stream() -> AsyncIterator[bytes]:
        nonlocal read
        for chunk in chunks:
            read += 1
            yield chunk

    headers = {**bearer(seed_key), "Content-Type": "application/json"}
    async with serve(seeded) as http:
        announced = await http.post("/graphql", content=body, headers=headers)
        assert announced.status_code == 413
        assert error_code(announced) == "PAYLOAD_TOO_LARGE"
        # Sent in chunks with no length announced: refused once the limit is passed.
        streamed = await http.post("/graphql", content=stream(), headers=headers)
        assert streamed.status_code == 413
        assert read < len(chunks) / 2
        fits = await http.post("/graphql", content=padded_request(limit), headers=headers)
        assert fits.status_code == 200, fits.text


# --- values no database can take -----------------------------------------------------------


def cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


async def test_nul_nan_surrogates_and_huge_cursors_are_invalid_input(
    seeded: Store, seed_key: str
) -> None:
    async with serve(seeded) as http:
        for query, variables in [
            (ACTOR, {"id": "act-000056\x00 OR 1=1"}),
            (CURSOR, {"after": cursor("tejido:99999999999999999999999")}),
            (CURSOR, {"after": cursor("tejido:9223372036854775807")}),
        ]:
            body = await graphql(http, seed_key, query, **variables)
            assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT", body
        # A NUL in the document itself, not in a variable.
        body = await graphql(http, seed_key, '{ actor(id: "act-000056\\u0000x") { id } }')
        assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT", body
        # NaN and Infinity are no JSON, but Python's parser (and so GraphQL's) takes them; a
        # Float variable refuses them as a value that does not fit its type.
        for number in ("NaN", "Infinity", "-Infinity"):
            raw = '{"query": "%s", "variables": {"m": %s}}' % (MIN_SCORE, number)  # noqa: UP031
            response = await http.post(
                "/graphql",
                content=raw.encode(),
                headers={**bearer(seed_key), "Content-Type": "application/json"},
            )
            error = response.json()["errors"][0]
            assert error["extensions"]["code"] == "BAD_USER_INPUT", response.text
            assert "$m" in error["message"]
        # A lone surrogate can come through GET, whose variables Python's json reads.
        response = await http.get(
            "/graphql",
            headers=bearer(seed_key),
            params={"query": ACTOR, "variables": '{"id": "act-\\ud800"}'},
        )
        assert response.json()["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


async def test_a_nul_in_a_write_is_refused_and_nothing_is_written(store: Store) -> None:
    await load_rows(
        store,
        organizations=[
            {"id": "org-a", "name": "Org A", "kind": "ngo", "tlp": "GREEN", "owner": "org-a"}
        ],
    )
    key = (await create_key(store, "org-a", Role.ANALYST, Tlp.RED)).key
    upsert = """mutation ($input: ActorInput!) {
      upsertActor(input: $input) {
        __typename ... on Saved { id } ... on InputErrors { errors { field message } } } }"""
    actor = {"name": "Juzgado\x00Cuarto", "sector": "state", "kind": "judiciary", "tlp": "GREEN"}
    async with serve(store) as http:
        body = await graphql(http, key, upsert, input=actor)
        assert "errors" not in body, body
        result = body["data"]["upsertActor"]
        assert result["__typename"] == "InputErrors", body
        assert "NUL" in result["errors"][0]["message"]
        count = await graphql(http, key, "{ actors { totalCount } }")
        assert count["data"]["actors"]["totalCount"] == 0


# --- rate limits ---------------------------------------------------------------------------


async def test_a_key_past_its_rate_gets_429_and_others_do_not(seeded: Store) -> None:
    first = (await create_key(seeded, SEED_VIEWER, Role.READER, Tlp.GREEN)).key
    second = (await create_key(seeded, SEED_VIEWER, Role.READER, Tlp.GREEN)).key
    query = {"query": "{ viewer { organization } }"}
    async with serve(seeded, Settings(rate_limit="3/minute")) as http:
        statuses = [
            (await http.post("/graphql", json=query, headers=bearer(first))).status_code
            for _ in range(3)
        ]
        assert statuses == [200, 200, 200]
        limited = await http.post("/graphql", json=query, headers=bearer(first))
        assert limited.status_code == 429
        assert error_code(limited) == "RATE_LIMITED"
        assert 0 < int(limited.headers["Retry-After"]) <= 60
        assert (await http.post("/graphql", json=query, headers=bearer(second))).status_code == 200


async def test_analytics_fields_have_a_stricter_rate(seeded: Store, seed_key: str) -> None:
    async with serve(seeded, Settings(analytics_rate_limit="2/minute")) as http:
        for _ in range(2):
            body = await graphql(http, seed_key, PATHS, **{"from": HUB_A, "to": HUB_B, "hops": 1})
            assert "errors" not in body, body
        body = await graphql(http, seed_key, PATHS, **{"from": HUB_A, "to": HUB_B, "hops": 1})
        assert body["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
        assert "data" in await graphql(http, seed_key, "{ viewer { organization } }")


# --- a path search that would run for minutes ----------------------------------------------


async def test_a_six_hop_search_between_hubs_answers_and_leaves_the_service_free(
    seeded: Store, seed_key: str
) -> None:
    variables = {"from": HUB_A, "to": HUB_B, "hops": 6, "first": 100}
    async with serve(seeded, Settings(request_timeout_s=60)) as http:
        search = asyncio.create_task(graphql(http, seed_key, PATHS, **variables))
        assert (await http.get("/healthz")).status_code == 200
        assert not search.done()  # /healthz answered while the search ran
        body = await search
    assert "errors" not in body, body
    paths = body["data"]["influencePaths"]
    assert len(paths) == 100  # the old search gave up after 5,000 longer candidates, with 55
    assert len({tuple(h["id"] for h in p["hops"]) for p in paths}) == 100
    assert all(len(p["hops"]) <= 6 for p in paths)
    strengths = [p["strength"] for p in paths]
    assert strengths == sorted(strengths, reverse=True)


def behind_a_cut(size: int) -> Iterator[dict[str, str]]:
    """S - Y - T, and a clique hanging off Y: every walk into the clique must come back through
    Y, so no second path exists, but a search that does not know it looks at ~size^4 walks."""

    def tie(a: str, b: str) -> dict[str, str]:
        return {
            "id": f"rel-{a}-{b}",
            "type": "ALLIED_WITH",
            "from_id": a,
            "to_id": b,
            "confidence": "0.9",
            "tlp": "GREEN",
            "owner": "org-a",
        }

    yield tie("S", "Y")
    yield tie("Y", "T")
    members = [f"K{i:02d}" for i in range(size)]
    for i, a in enumerate(members):
        yield tie("Y", a)
        for b in members[i + 1 :]:
            yield tie(a, b)


async def test_a_search_past_its_work_budget_is_too_expensive_and_stalls_nothing(
    store: Store,
) -> None:
    size = 40
    names = ["S", "Y", "T"] + [f"K{i:02d}" for i in range(size)]
    await load_rows(
        store,
        organizations=[
            {"id": "org-a", "name": "Org A", "kind": "ngo", "tlp": "GREEN", "owner": "org-a"}
        ],
        actors=[
            {
                "id": n,
                "name": f"Actor {n}",
                "sector": "state",
                "kind": "police",
                "tlp": "GREEN",
                "owner": "org-a",
            }
            for n in names
        ],
        relationships=list(behind_a_cut(size)),
    )
    key = (await create_key(store, "org-a", Role.READER, Tlp.GREEN)).key
    async with serve(store) as http:
        one = await graphql(http, key, PATHS, **{"from": "S", "to": "T", "hops": 6, "first": 1})
        assert [len(p["hops"]) for p in one["data"]["influencePaths"]] == [2]
        search = asyncio.create_task(
            graphql(http, key, PATHS, **{"from": "S", "to": "T", "hops": 6, "first": 2})
        )
        assert (await http.get("/healthz")).status_code == 200
        assert not search.done()
        body = await search
    error = body["errors"][0]
    assert error["extensions"]["code"] == "TOO_EXPENSIVE", body
    assert "maxHops" in error["message"]
