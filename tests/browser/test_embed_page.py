"""The embed page in a real Chromium against the real app and a real database.

A small hand-built graph (below) has one record per case that matters: a GREEN core, an AMBER
actor its owner may see but a GREEN-capped token must not show, a RED actor of another
organization nobody else may ever see, and a relationship that expired on a known day. Every
test also checks, when it ends, that the page asked nothing of any other origin (conftest.py).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from playwright.async_api import Browser, Page

from service.access import Tlp
from service.embed.tokens import NewEmbed, create_embed, revoke_embed
from tests.browser.embed_page import VIEWPORT, click_element, drawn, listed, open_embed, show_day
from tests.support.embed_server import serve_app
from tests.support.tables import load_rows

ORG, OTHER = "org-a", "org-b"
EXPIRES = "2024-06-01"
BEFORE_EXPIRY = "2024-05-01"
ORGS = [
    {"id": ORG, "name": "Colectivo Uno", "kind": "ngo", "tlp": "GREEN", "owner": ORG},
    {"id": OTHER, "name": "Colectivo Dos", "kind": "ingo", "tlp": "GREEN", "owner": OTHER},
]
SOURCES = [
    {
        "id": "src-open",
        "kind": "report",
        "title": "Informe de campo inventado",
        "reliability": "B",
        "credibility": "2",
        "tlp": "GREEN",
        "owner": ORG,
    },
    {
        "id": "src-amber",
        "kind": "testimony",
        "title": "Testimonio reservado inventado",
        "reliability": "C",
        "credibility": "3",
        "tlp": "AMBER",
        "owner": ORG,
    },
]


def actor(record_id: str, name: str, tlp: str, owner: str = ORG, **extra: str) -> dict[str, str]:
    return {
        "id": record_id,
        "name": name,
        "sector": "state",
        "kind": "police",
        "tlp": tlp,
        "owner": owner,
        "sources": "src-open",
        **extra,
    }


def rel(rel_id: str, kind: str, a: str, b: str, tlp: str = "GREEN", **extra: str) -> dict[str, str]:
    return {
        "id": rel_id,
        "type": kind,
        "from_id": a,
        "to_id": b,
        "confidence": "0.8",
        "tlp": tlp,
        "owner": ORG,
        "sources": "src-open",
        **extra,
    }


ACTORS = [
    actor(
        "act-hub",
        "Cartel del Centro Inventado",
        "GREEN",
        sector="non_state",
        kind="organized_crime",
    ),
    actor("act-police", "Policia Municipal Inventada", "GREEN"),
    actor("act-later", "Empresa Minera Inventada", "GREEN", sector="non_state", kind="corporation"),
    actor("act-amber", "Actor Ambar Reservado", "AMBER"),
    actor("act-red-other", "Actor Rojo Ajeno", "RED", owner=OTHER),
]
RELATIONSHIPS = [
    rel(
        "rel-collude",
        "COLLUDES_WITH",
        "act-hub",
        "act-police",
        mode="impunity",
        valid_from="2020-01-01",
        sources="src-open;src-amber",
    ),
    rel("rel-funds-amber", "FUNDS", "act-hub", "act-amber"),
    rel("rel-commands-red", "COMMANDS", "act-hub", "act-red-other", owner=OTHER),
    rel(
        "rel-expiring",
        "ALLIED_WITH",
        "act-hub",
        "act-later",
        confidence="0.4",
        valid_from="2019-01-01",
        valid_to=EXPIRES,
    ),
]
SECRETS = (
    "act-amber",
    "Actor Ambar Reservado",
    "act-red-other",
    "Actor Rojo Ajeno",
    "rel-funds-amber",
    "rel-commands-red",
    "Testimonio reservado",
)
RED_SECRETS = ("act-red-other", "Actor Rojo Ajeno", "rel-commands-red")


@pytest.fixture
async def small(graph: Any) -> Any:
    await load_rows(
        graph.store,
        organizations=ORGS,
        sources=SOURCES,
        actors=ACTORS,
        relationships=RELATIONSHIPS,
    )
    return graph


async def token(graph: Any, max_tlp: Tlp = Tlp.GREEN, **kwargs: Any) -> NewEmbed:
    """A neighbourhood token of org-a around act-hub, made by a creator cleared for RED."""
    return await create_embed(
        graph.store,
        graph.settings,
        ORG,
        "neighbourhood",
        {"id": "act-hub", "hops": "2"},
        creator_clearance=Tlp.RED,
        created_by="browser-test",
        max_tlp=max_tlp,
        **kwargs,
    )


async def page_text(page: Page) -> str:
    """Everything the document holds as text, hidden parts included, plus the markup."""
    text: str = await page.evaluate("document.documentElement.textContent")
    return text + await page.content()


async def test_the_page_draws_the_view_and_lists_it(small: Any, page: Page) -> None:
    new = await token(small)
    with serve_app(small.settings) as base:
        await open_embed(page, base + new.path)
        assert await drawn(page) == (["act-hub", "act-police"], ["rel-collude"])
        # The screen-reader list says the same as the drawing, and the legend names what is there.
        assert await listed(page) == (["act-hub", "act-police"], ["rel-collude"])
        summary = await page.inner_text("[data-testid=sr-summary]")
        assert "2 nodes, 1 relationships" in summary
        legend = await page.inner_text("[data-testid=legend]")
        assert "organized crime" in legend and "colludes with" in legend
        assert await page.inner_text("[data-testid=view-title]") == "Neighbourhood"
        assert await page.inner_text("[data-testid=tlp-cap]") == "TLP:GREEN"


async def test_clicking_a_node_or_edge_shows_its_evidence(small: Any, page: Page) -> None:
    new = await token(small)
    with serve_app(small.settings) as base:
        await open_embed(page, base + new.path)
        await click_element(page, "act-police")
        panel = page.get_by_test_id("panel")
        assert await page.inner_text("[data-testid=panel-title]") == "Policia Municipal Inventada"
        evidence = await page.inner_text("[data-testid=panel-evidence]")
        assert "Informe de campo inventado" in evidence and "B2" in evidence
        await click_element(page, "rel-collude")
        assert "colludes with" in await page.inner_text("[data-testid=panel-kind]")
        evidence = await page.inner_text("[data-testid=panel-evidence]")
        # The AMBER source behind the same claim stays out under a GREEN cap.
        assert "Informe de campo inventado" in evidence and "Testimonio" not in evidence
        assert "impunity" in await page.inner_text("[data-testid=panel-props]")
        await page.keyboard.press("Escape")
        assert await panel.is_hidden()


async def test_the_time_slider_shows_a_relationship_before_it_expired(
    small: Any, page: Page
) -> None:
    new = await token(small)
    with serve_app(small.settings) as base:
        await open_embed(page, base + new.path)
        today, drawn_today = await page.evaluate("window.tejidoEmbed.asOf()"), await drawn(page)
        assert "rel-expiring" not in drawn_today[1]
        await show_day(page, BEFORE_EXPIRY, by="date")
        nodes, edges = await drawn(page)
        assert "rel-expiring" in edges and "act-later" in nodes
        assert "rel-expiring" in (await listed(page))[1]
        # Dragging the slider past the expiry takes it away again.
        await show_day(page, "2024-07-01", by="slider")
        nodes, edges = await drawn(page)
        assert "rel-expiring" not in edges and "act-later" not in nodes
        assert await listed(page) == (nodes, edges)
        # Reset goes back to today's view.
        await show_day(page, BEFORE_EXPIRY, by="date")
        await page.get_by_role("button", name="Reset").click()
        await page.wait_for_function(
            "day => window.tejidoEmbed.asOf() === day && document.body.dataset.state === 'ready'",
            arg=today,
        )
        assert await drawn(page) == drawn_today
        assert await page.input_value("[data-testid=as-of-date]") == today


async def test_every_control_has_a_name_and_the_keyboard_reaches_the_list(
    small: Any, page: Page
) -> None:
    new = await token(small)
    with serve_app(small.settings) as base:
        await open_embed(page, base + new.path)
        for role, name in [
            ("combobox", "Find"),
            ("slider", "As of"),
            ("textbox", "As of date"),
            ("button", "Focus"),
            ("button", "Fit"),
            ("button", "Reset"),
            ("button", "PNG"),
            ("button", "JSON"),
            ("application", "Neighbourhood as of"),
        ]:
            assert await page.get_by_role(role, name=name).count() == 1, (role, name)
        # The first Tab reaches the skip link; following it shows the list to sighted users.
        await page.keyboard.press("Tab")
        assert await page.evaluate("document.activeElement.className") == "skip-link"
        await page.keyboard.press("Enter")
        await page.keyboard.press("Tab")
        assert await page.evaluate("document.activeElement.dataset.testid") == "sr-node"
        box = await page.get_by_test_id("sr-list").bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 50


async def test_a_green_token_never_shows_an_amber_record(small: Any, page: Page) -> None:
    amber = await token(small, max_tlp=Tlp.AMBER)
    green = await token(small)
    with serve_app(small.settings) as base:
        # The creator's organization does see the AMBER actor: the cap is what hides it.
        await open_embed(page, base + amber.path)
        assert "act-amber" in (await drawn(page))[0]
        await open_embed(page, base + green.path)
        for day in (None, BEFORE_EXPIRY):
            if day:
                await show_day(page, day, by="date")
            nodes, edges = await drawn(page)
            assert "act-amber" not in nodes and "rel-funds-amber" not in edges
            text = await page_text(page)
            assert not [s for s in SECRETS if s in text]
        data = httpx.get(f"{base}{green.path}/data").text
        assert not [s for s in SECRETS if s in data]
        missing = httpx.get(f"{base}{green.path}/element/act-amber")
        assert missing.status_code == 404


async def test_a_record_red_to_another_organization_never_appears(
    small: Any, page: Page, tmp_path: Path
) -> None:
    new = await token(small, max_tlp=Tlp.RED)
    with serve_app(small.settings) as base:
        await open_embed(page, base + new.path)
        nodes, edges = await drawn(page)
        assert "act-amber" in nodes  # the token sees everything its organization may see...
        assert "act-red-other" not in nodes and "rel-commands-red" not in edges  # ...not this
        assert not [s for s in RED_SECRETS if s in await page_text(page)]
        assert not [s for s in RED_SECRETS if s in httpx.get(f"{base}{new.path}/data").text]
        for element in ("act-red-other", "rel-commands-red"):
            assert httpx.get(f"{base}{new.path}/element/{element}").status_code == 404
        async with page.expect_download() as download:
            await page.get_by_test_id("export-json").click()
        saved = tmp_path / "view.json"
        await (await download.value).save_as(saved)
        exported = json.loads(saved.read_text())
        assert sorted(n["id"] for n in exported["nodes"]) == nodes
        assert sorted(e["id"] for e in exported["edges"]) == edges
        assert not [s for s in RED_SECRETS if s in saved.read_text()]
        async with page.expect_download() as download:
            await page.get_by_test_id("export-png").click()
        png = tmp_path / "view.png"
        await (await download.value).save_as(png)
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _forged(token_text: str) -> list[str]:
    """Tampered variants of a real token: flipped signature, changed claims (cap raised to
    RED), alg none, the same claims signed with another key, garbage."""
    header, claims, signature = token_text.split(".")
    flipped = signature[:-2] + ("AA" if not signature.endswith("AA") else "BB")
    padded = claims + "=" * (-len(claims) % 4)
    body = json.loads(base64.urlsafe_b64decode(padded))
    body["tlp"] = "RED"
    raised = base64.urlsafe_b64encode(json.dumps(body).encode()).decode().rstrip("=")
    none = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').decode().rstrip("=")
    other_key = jwt.encode(body, "a key that is not the server's, 32 bytes+", algorithm="HS256")
    return [
        f"{header}.{claims}.{flipped}",
        f"{header}.{raised}.{signature}",
        f"{none}.{raised}.",
        other_key,
        "not-a-token",
    ]


async def _refused(page: Page, url: str) -> None:
    response = await page.goto(url)
    assert response is not None and response.status == 401
    assert "cannot be shown" in await page.inner_text("body")
    assert await page.evaluate("typeof window.tejidoEmbed") == "undefined"


async def test_forged_expired_and_revoked_tokens_get_the_401_page(small: Any, page: Page) -> None:
    good = await token(small)
    now = dt.datetime.now(dt.UTC)
    expired = await token(
        small, issued_at=now - dt.timedelta(days=2), expires_in=dt.timedelta(days=1)
    )
    revoked = await token(small)
    await revoke_embed(small.store, revoked.id)
    with serve_app(small.settings) as base:
        await open_embed(page, base + good.path)  # the same server does serve a good one
        bad = [f"/embed/{t}" for t in _forged(good.token)] + [expired.path, revoked.path]
        for path in bad:
            await _refused(page, base + path)
            data = httpx.get(f"{base}{path}/data")
            assert data.status_code == 401 and set(data.json()) == {"error"}


async def test_revoking_an_open_page_takes_its_graph_down(small: Any, page: Page) -> None:
    new = await token(small)
    with serve_app(small.settings) as base:
        await open_embed(page, base + new.path)
        await revoke_embed(small.store, new.id)
        await page.get_by_test_id("as-of-date").fill(BEFORE_EXPIRY)
        await page.wait_for_function("() => document.body.dataset.state === 'error'")
        assert "expired" in await page.inner_text("[data-testid=message]")
        assert await drawn(page) == ([], [])
        assert await listed(page) == ([], [])


async def test_search_focuses_a_node(small: Any, page: Page) -> None:
    new = await token(small)
    with serve_app(small.settings) as base:
        await open_embed(page, base + new.path)
        await page.get_by_test_id("search-input").fill("policia")  # accents and case ignored
        await page.get_by_test_id("search-input").press("Enter")
        await page.wait_for_selector("[data-testid=panel][data-id='act-police'][data-state=ready]")
        selected = await page.evaluate("window.tejidoEmbed.selected()")
        assert selected == "act-police"
        await page.get_by_test_id("search-input").fill("nadie")
        await page.get_by_test_id("search-input").press("Enter")
        assert await page.inner_text("[data-testid=search-status]") == "No node matches."


class Dashboard:
    """A third-party dashboard: one page, served from another loopback origin."""

    def __init__(self) -> None:
        self.html = ""
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(owner.html.encode())

            def log_message(self, *_: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> Dashboard:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()


async def test_the_web_component_embeds_only_where_the_token_allows(
    small: Any, browser: Browser
) -> None:
    context = await browser.new_context(viewport=VIEWPORT)
    page = await context.new_page()
    with serve_app(small.settings) as base, Dashboard() as board:
        allowed = await token(small, frame_ancestors=(board.origin,))
        nowhere = await token(small)  # no origins: framed by nobody
        board.html = (
            f'<script src="{base}/embed/static/tejido-embed.js"></script>'
            f'<tejido-embed id="yes" src="{base}{allowed.path}" height="400" lang="es">'
            "</tejido-embed>"
            f'<tejido-embed id="no" src="{base}{nowhere.path}" height="400"></tejido-embed>'
        )
        refusals: list[str] = []
        page.on(
            "console", lambda m: refusals.append(m.text) if "frame-ancestors" in m.text else None
        )
        await page.goto(board.origin)
        framed = page.frame_locator("#yes >> iframe")
        await framed.locator("body[data-state=ready]").wait_for()
        frames = {f.url: f for f in page.frames}
        shown = frames[base + allowed.path + "?lang=es"]  # the element's lang, on the link
        assert await shown.evaluate("window.tejidoEmbed.nodeCount()") == 2
        assert await shown.evaluate("document.documentElement.lang") == "es"
        # The browser refuses to draw the other: its CSP says frame-ancestors 'none'.
        blocked = frames.get(base + nowhere.path)
        assert blocked is None or await blocked.evaluate("typeof window.tejidoEmbed") == "undefined"
        assert len(refusals) == 1, refusals
        sandbox = await page.eval_on_selector(
            "#no", "e => e.shadowRoot.querySelector('iframe').sandbox.value"
        )
        assert "allow-same-origin" in sandbox and "allow-top-navigation" not in sandbox
    await context.close()
