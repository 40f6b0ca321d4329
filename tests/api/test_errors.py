"""Errors as a client reads them, over HTTP with real keys, on both databases: every GraphQL
error carries `extensions.code`; a document that does not parse, one that does not fit the
schema and values that do not fit their types are the client's (never INTERNAL); and the
refusals before GraphQL runs (401, 413, 429) are shaped as GraphQL errors, with their status
and headers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from service.access import Role, Tlp, Viewer
from service.config import Settings
from service.keys import create_key
from service.store import Store
from tests.support.graphql_client import app_client, post_graphql
from tests.support.tables import load_rows
from tests.test_access import ORGS

ACTORS = "query ($filter: ActorFilter) { actors(filter: $filter) { totalCount } }"


@pytest.fixture
async def key(store: Store) -> str:
    await load_rows(store, organizations=ORGS)
    return (await create_key(store, "org-a", Role.READER, Tlp.GREEN)).key


@pytest.fixture
async def http(store: Store) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(store) as client:
        yield client


async def errors(
    http: httpx.AsyncClient, key: str, query: str, variables: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """The errors of a request that GraphQL answered (HTTP 200 or 400, never 500)."""
    response = await http.post(
        "/graphql",
        json={"query": query, "variables": variables or {}},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code in (200, 400), response.text
    found: list[dict[str, Any]] = response.json()["errors"]
    assert found and all(e["extensions"]["code"] for e in found), found
    return found


def the_code(found: list[dict[str, Any]]) -> str:
    codes = {e["extensions"]["code"] for e in found}
    assert len(codes) == 1, found
    return codes.pop()


async def test_a_document_that_does_not_parse(http: httpx.AsyncClient, key: str) -> None:
    assert the_code(await errors(http, key, "{ actors { ")) == "GRAPHQL_PARSE_FAILED"
    too_many_tokens = "{ " + "counts { count } " * 700 + "}"
    assert the_code(await errors(http, key, too_many_tokens)) == "GRAPHQL_PARSE_FAILED"


async def test_a_document_that_does_not_fit_the_schema(http: httpx.AsyncClient, key: str) -> None:
    for query in (
        "{ actors { totalCount nope } }",
        # An enum value written in the document: one the model does not know, or a string.
        "{ actors(filter: {sector: non_state_actor}) { totalCount } }",
        '{ actors(filter: {sector: "non-state"}) { totalCount } }',
        '{ actors(filter: {sector: "non_state"}) { totalCount } }',
        # Too deep, too many aliases: the limits are validation rules.
        "{ actors { edges { node { links { edges { node { other { links { edges { node { other"
        " { links { edges { node { id } } } } } } } } } } } } } } }",
        "{ " + " ".join(f"a{i}: counts {{ count }}" for i in range(40)) + " }",
    ):
        found = await errors(http, key, query)
        assert the_code(found) == "GRAPHQL_VALIDATION_FAILED", (query, found)
    found = await errors(http, key, '{ actors(filter: {sector: "non-state"}) { totalCount } }')
    assert "Sector" in found[0]["message"]


async def test_values_that_do_not_fit_their_types(http: httpx.AsyncClient, key: str) -> None:
    cases: list[tuple[str, dict[str, Any], str]] = [
        (ACTORS, {"filter": {"sector": "non-state"}}, "Sector"),
        (ACTORS, {"filter": {"country": "XX"}}, "country code"),
        (ACTORS, {"filter": {"kind": "police", "nope": 1}}, "nope"),
        ("query ($id: ID!) { actor(id: $id) { id } }", {}, "$id"),
        ("query ($n: Int) { actors(first: $n) { totalCount } }", {"n": "twenty"}, "$n"),
        ("query ($n: Int!) { actors(first: $n) { totalCount } }", {"n": None}, "$n"),
    ]
    for query, variables, named in cases:
        found = await errors(http, key, query, variables)
        assert the_code(found) == "BAD_USER_INPUT", (variables, found)
        assert named in found[0]["message"], found


async def test_stored_values_that_are_no_graphql_names_are_read_and_written_by_their_mapped_name(
    store: Store, http: httpx.AsyncClient
) -> None:
    await load_rows(
        store,
        organizations=ORGS,
        sources=[
            {"id": "src-1", "kind": "report", "title": "Informe inventado", "reliability": "B",
             "credibility": "2", "tlp": "AMBER+STRICT", "owner": "org-a"}
        ],
    )  # fmt: skip
    key = (await create_key(store, "org-a", Role.ANALYST, Tlp.RED)).key
    read = await post_graphql(http, key, '{ source(id: "src-1") { tlp credibility } }')
    assert read["data"]["source"] == {"tlp": "AMBER_STRICT", "credibility": "C2"}
    write = """mutation ($input: SourceInput!) {
      upsertSource(input: $input) { ... on Saved { id } ... on InputErrors { errors { field } } }
    }"""
    source = {"kind": "report", "title": "Otro", "reliability": "A", "credibility": "C6"}
    saved = await post_graphql(http, key, write, input={**source, "tlp": "AMBER_STRICT"})
    new_id = saved["data"]["upsertSource"]["id"]
    owner = Viewer("org-a", Role.ANALYST, Tlp.RED).params()
    stored = await store.read("records_by_ids", ids=[new_id], **owner)
    assert {k: stored[0]["record"][k] for k in ("tlp", "credibility")} == {
        "tlp": "AMBER+STRICT",
        "credibility": "6",
    }


async def test_401_413_and_429_are_graphql_errors_with_their_status_and_headers(
    store: Store, key: str
) -> None:
    settings = Settings(max_body_bytes=2_000, rate_limit="2/minute")
    async with app_client(store, settings) as http:
        for headers in ({}, {"Authorization": "Bearer tjd_0000_nope"}):
            refused = await http.post(
                "/graphql", json={"query": "{ counts { count } }"}, headers=headers
            )
            assert refused.status_code == 401
            assert refused.headers["WWW-Authenticate"] == 'Bearer realm="tejido"'
            [error] = refused.json()["errors"]
            assert error["extensions"] == {"code": "UNAUTHENTICATED"} and error["message"]

        big = {"query": "{ counts { count } }", "variables": {"pad": "x" * 3_000}}
        too_large = await http.post(
            "/graphql", json=big, headers={"Authorization": f"Bearer {key}"}
        )
        assert too_large.status_code == 413
        [error] = too_large.json()["errors"]
        assert error["extensions"] == {"code": "PAYLOAD_TOO_LARGE"}
        assert "2,000" in error["message"]

        statuses = []
        for _ in range(3):
            answer = await http.post(
                "/graphql",
                json={"query": "{ counts { count } }"},
                headers={"Authorization": f"Bearer {key}"},
            )
            statuses.append(answer.status_code)
        assert statuses == [200, 200, 429]
        assert int(answer.headers["Retry-After"]) >= 1
        [error] = answer.json()["errors"]
        assert error["extensions"] == {"code": "RATE_LIMITED"} and error["message"]


async def test_the_413_speaks_the_request_language(store: Store, key: str) -> None:
    # The 401's own: tests/api/test_app.py.
    big = {"query": "{ counts { count } }", "variables": {"pad": "x" * 3_000}}
    async with app_client(store, Settings(max_body_bytes=2_000)) as http:

        async def message(lang: str) -> str:
            headers = {"Accept-Language": lang, "Authorization": f"Bearer {key}"}
            response = await http.post("/graphql", json=big, headers=headers)
            assert response.status_code == 413
            return str(response.json()["errors"][0]["message"])

        assert await message("es") == "el cuerpo de la petición supera los 2,000 bytes"
        assert await message("en") == "the request body is larger than 2,000 bytes"
