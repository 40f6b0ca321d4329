"""The embed routes over HTTP on both backends: the page and its headers, /data and /element
within the token's view only, 401 for bad tokens, and /views for API keys."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest

from service.access import Role, Tlp, Viewer
from service.embed.routes import RedactEmbedTokens
from service.embed.tokens import revoke_embed
from service.keys import create_key
from tests.support.backends import Graph
from tests.support.embed_graph import OTHER_ORGS_RED, load_graph, make_embed
from tests.support.embed_graph import ids as view_ids
from tests.support.graphql_client import app_client

COLLUSION = {"territory": "ter-r"}
FRAME = "frame-ancestors"


@dataclass
class Site:
    http: httpx.AsyncClient
    graph: Graph


@pytest.fixture
async def site(graph: Graph) -> AsyncIterator[Site]:
    await load_graph(graph.store)
    async with app_client(graph.store, graph.settings) as http:
        yield Site(http, graph)


def assert_embed_headers(response: httpx.Response, ancestors: str = "'none'") -> None:
    csp = response.headers["content-security-policy"]
    assert f"{FRAME} {ancestors}" in csp
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"


async def test_page_data_and_headers(site: Site) -> None:
    origins = ("https://dash.example.org",)
    new = await make_embed(
        site.graph.store, site.graph.settings, "collusion", COLLUSION, frame_ancestors=origins
    )
    page = await site.http.get(new.path)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert_embed_headers(page, "https://dash.example.org")
    data = await site.http.get(f"{new.path}/data", params={"asOf": "2025-01-01"})
    assert data.status_code == 200
    assert_embed_headers(data, "https://dash.example.org")
    body = data.json()
    assert (body["view"], body["params"], body["asOf"], body["maxTlp"]) == (
        "collusion",
        COLLUSION,
        "2025-01-01",
        "GREEN",
    )
    assert view_ids(body) == {"B", "P", "t-bp", "J", "K", "t-jk"}
    later = (await site.http.get(f"{new.path}/data", params={"asOf": "2026-01-01"})).json()
    assert view_ids(later) == {"B", "P", "t-bp"}  # the J-K tie ended on 2025-06-30
    bad_day = await site.http.get(f"{new.path}/data", params={"asOf": "01/01/2026"})
    assert bad_day.status_code == 400 and "asOf" in bad_day.json()["error"]
    static = await site.http.get("/embed/static/vendor/cytoscape.min.js")
    assert static.status_code == 200
    assert_embed_headers(static)
    assert static.headers["content-encoding"] == "gzip"  # the page's files only:
    assert "content-encoding" not in data.headers  # never JSON holding records
    for escape in (
        "/embed/static/../tokens.py",
        "/embed/static/%2e%2e/tokens.py",
        "/embed/static/%2e%2e%2f%2e%2e%2fconfig.py",
        "/embed/static/page.html%00",
        "/embed/static/" + "a" * 5000,
    ):
        outside = await site.http.get(escape)
        assert outside.status_code in (401, 404)  # a bad token, or no such static file
        assert "import" not in outside.text


async def test_a_green_cap_never_shows_amber_that_its_creator_sees(site: Site) -> None:
    store, settings = site.graph.store, site.graph.settings
    green = await make_embed(store, settings, "collusion", COLLUSION, Tlp.GREEN)
    amber = await make_embed(store, settings, "collusion", COLLUSION, Tlp.AMBER)
    red = await make_embed(store, settings, "neighbourhood", {"id": "P", "hops": "3"}, Tlp.RED)
    shown = view_ids((await site.http.get(f"{green.path}/data")).json())
    assert "A" not in shown and "t-ap" not in shown
    assert {"A", "t-ap"} <= view_ids((await site.http.get(f"{amber.path}/data")).json())
    for element in ("A", "t-ap"):
        assert (await site.http.get(f"{green.path}/element/{element}")).status_code == 404
    assert (await site.http.get(f"{amber.path}/element/A")).status_code == 200
    response = await site.http.get(f"{red.path}/data", params={"asOf": "2025-01-01"})
    everything = response.text
    assert len(everything) > 1024 and "content-encoding" not in response.headers  # no BREACH
    for secret in OTHER_ORGS_RED:
        assert f'"{secret}"' not in everything
        assert (await site.http.get(f"{red.path}/element/{secret}")).status_code == 404


async def test_element_only_within_the_view(site: Site) -> None:
    new = await make_embed(site.graph.store, site.graph.settings, "collusion", COLLUSION)
    edge = await site.http.get(f"{new.path}/element/t-bp")
    assert edge.status_code == 200
    assert_embed_headers(edge)
    assert edge.json()["evidence"][0]["grade"] == "B3"
    node = (await site.http.get(f"{new.path}/element/P")).json()
    assert (node["kind"], node["label"], node["properties"]["kind"]) == ("node", "Actor", "police")
    # C, ter-r and D exist and are GREEN, but they are not in this view: no oracle for records.
    for outside in ("C", "ter-r", "D", "t-bc", "R", "t-rp", "nothing-here"):
        missing = await site.http.get(f"{new.path}/element/{outside}")
        assert missing.status_code == 404
        assert missing.json() == {"error": "no such element in this view"}


async def test_bad_tokens_get_401_and_no_data(site: Site) -> None:
    store, settings = site.graph.store, site.graph.settings
    revoked = await make_embed(store, settings, "collusion", COLLUSION)
    await revoke_embed(store, revoked.id)
    expired = await make_embed(
        store,
        settings,
        "collusion",
        COLLUSION,
        issued_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=2),
        expires_in=dt.timedelta(hours=1),
    )
    live = await make_embed(store, settings, "collusion", COLLUSION)
    forged = live.token[:-3] + ("abc" if not live.token.endswith("abc") else "xyz")
    for token, reason in (
        (revoked.token, "revoked"),
        (expired.token, "expired"),
        (forged, "not valid"),
        ("not-a-token", "not valid"),
    ):
        page = await site.http.get(f"/embed/{token}")
        assert page.status_code == 401
        assert page.headers["content-type"].startswith("text/html")
        assert reason in page.text and "<script" not in page.text
        assert 'href="static/embed.css"' in page.text  # its own styles, allowed by the CSP
        assert_embed_headers(page)
        for route in ("data", "element/P"):
            refused = await site.http.get(f"/embed/{token}/{route}")
            assert refused.status_code == 401
            assert refused.json() == {"error": refused.json()["error"]}
            assert reason in refused.json()["error"]
            assert '"P"' not in refused.text


async def test_views_for_api_keys(site: Site) -> None:
    store = site.graph.store
    own = (await create_key(store, "org-a", Role.READER, Tlp.RED)).key
    other = (await create_key(store, "org-b", Role.READER, Tlp.RED)).key

    async def get(key: str | None, view: str, **params: str) -> httpx.Response:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return await site.http.get(f"/views/{view}", params=params, headers=headers)

    assert (await get(None, "collusion", territory="ter-r")).status_code == 401
    assert (await get("tjd_nope_nope", "collusion", territory="ter-r")).status_code == 401
    mine = (await get(own, "collusion", territory="ter-r", asOf="2026-01-01")).json()
    assert view_ids(mine) == {"B", "P", "t-bp", "A", "t-ap", "S", "J", "t-sj"}
    assert mine["maxTlp"] == "RED"
    theirs = (await get(other, "collusion", territory="ter-r", asOf="2026-01-01")).json()
    assert view_ids(theirs) == {"B", "P", "t-bp", "R", "t-rp"}
    bad = await get(own, "neighbourhood", id="P", hops="9")
    assert bad.status_code == 400 and "params.hops" in bad.json()["error"]
    unknown = await get(own, "sociogram")
    assert unknown.status_code == 400 and "view" in unknown.json()["error"]


async def test_defenders_shown_by_an_embed_are_in_the_audit_log(site: Site) -> None:
    store = site.graph.store
    new = await make_embed(store, site.graph.settings, "neighbourhood", {"id": "D"}, Tlp.AMBER)
    assert "D" in view_ids((await site.http.get(f"{new.path}/data")).json())
    admin = Viewer("org-a", Role.ADMIN, Tlp.RED)
    logged = (await store.read("audit_entries", offset=0, first=10, **admin.params()))[0]
    assert [(e["key_id"], e["ids"]) for e in logged["entries"]] == [(f"embed:{new.id}", ["D"])]


def test_embed_tokens_never_reach_the_access_log() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5", "GET", "/embed/eyJ.secret.sig/data?asOf=2026-01-01", "1.1", 200),
        None,
    )
    RedactEmbedTokens().filter(record)
    assert record.getMessage() == (
        '127.0.0.1:5 - "GET /embed/<token>/data?asOf=2026-01-01 HTTP/1.1" 200'
    )
    static = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, "%s", ("/embed/static/embed.js",), None
    )
    RedactEmbedTokens().filter(static)
    assert static.getMessage() == "/embed/static/embed.js"
