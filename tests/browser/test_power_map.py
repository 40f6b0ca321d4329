"""The power map drawn as power, in a real Chromium on the seed: colour by class, an actor of
several classes as a pie of them, shape by sector, columns by class, symmetric ties without
arrowheads, the reasons as sentences; and the compact mode of a 600x400 dashboard tile."""

from __future__ import annotations

import itertools
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser

from service.i18n import gettext
from tests.browser.embed_page import RecordedPage, open_embed, seed_embed_path
from tests.support.embed_server import serve_app

ORDER = ["VISIBLE", "HIDDEN", "INVISIBLE", "UNCLASSIFIED"]


async def power_map_path(seeded_graph: Any) -> str:
    return await seed_embed_path(seeded_graph, "powermap", {"territory": "ter-000001"})


async def test_the_power_map_is_drawn_as_power(seeded_graph: Any, recorded: RecordedPage) -> None:
    page = recorded.page
    path = await power_map_path(seeded_graph)
    with serve_app(seeded_graph.settings) as base:
        await open_embed(page, f"{base}{path}?lang=es")
        data = httpx.get(f"{base}{path}/data", params={"lang": "es"}).json()
        actors = [n for n in data["nodes"] if n["label"] == "Actor"]
        drawn = {n["id"]: await page.evaluate("id => window.tejidoEmbed.drawnAs(id)", n["id"])
                 for n in actors}  # fmt: skip
        classes = {n["id"]: n["powers"] or ["UNCLASSIFIED"] for n in actors}
        assert len({c[0] for c in classes.values()}) >= 2, "one class only: nothing to tell apart"
        # Colour says the first class: one colour per class, a different one per class.
        colour_of: dict[str, set[str]] = {}
        for node_id, seen in drawn.items():
            assert seen["power"] == classes[node_id][0]
            colour_of.setdefault(seen["power"], set()).add(seen["colour"])
        assert all(len(c) == 1 for c in colour_of.values()), colour_of
        assert len({next(iter(c)) for c in colour_of.values()}) == len(colour_of)
        # Several classes: a slice each; one class: no pie.
        for node_id, seen in drawn.items():
            held = classes[node_id]
            assert len(seen["slices"]) == (len(held) if len(held) > 1 else 0), node_id
        assert any(len(c) > 1 for c in classes.values()), "no actor with several classes"
        # Shape says the sector.
        shapes = {(n["sector"], drawn[n["id"]]["shape"]) for n in actors}
        assert len({sector for sector, _ in shapes}) == len(shapes) == 2, shapes
        # Columns by class, in ORDER, left to right.
        spans = {}
        for seen in drawn.values():
            low, high = spans.get(seen["power"], (seen["x"], seen["x"]))
            spans[seen["power"]] = (min(low, seen["x"]), max(high, seen["x"]))
        present = [p for p in ORDER if p in spans]
        for left, right in itertools.pairwise(present):
            assert spans[left][1] < spans[right][0], (left, right, spans)
        # Symmetric ties have no arrowhead; the others do.
        symmetric = set(data["symmetricTypes"])
        for edge in data["edges"]:
            arrow = await page.evaluate("id => window.tejidoEmbed.drawnAs(id)", edge["id"])
            assert (arrow["arrow"] == "none") == (edge["type"] in symmetric), edge["type"]
        # The legend names the classes drawn, in the page's language.
        legend = await page.inner_text("[data-testid=legend-nodes]")
        assert gettext("hidden power", "es") in legend
        # The panel gives an actor's reasons as sentences.
        reasoned = next(n for n in actors if n["reasons"])
        await page.evaluate(f"window.tejidoEmbed.select({reasoned['id']!r})")
        await page.wait_for_selector("[data-testid=panel][data-state=ready]")
        sentences = await page.locator("[data-testid=panel-reasons] li").all_inner_texts()
        assert sentences == reasoned["reasons"]
        title = await page.inner_text("[data-testid=view-subtitle]")
        assert "ter-000001" not in title  # the territory by its name


async def test_since_mode_marks_what_changed(seeded_graph: Any, recorded: RecordedPage) -> None:
    page = recorded.page
    path = await power_map_path(seeded_graph)
    since = "2024-06-01"
    with serve_app(seeded_graph.settings) as base:
        await open_embed(page, f"{base}{path}?since={since}")
        data = httpx.get(f"{base}{path}/data", params={"since": since}).json()
        new = {e["id"] for e in data["edges"] if e["new"]}
        old = {e["id"] for e in data["edges"] if not e["new"]}
        assert new and old, "the seed's power map must have both: nothing would be told apart"
        for edge_id in new | old:
            seen = await page.evaluate("id => window.tejidoEmbed.drawnAs(id)", edge_id)
            assert seen["fresh"] == (edge_id in new), edge_id


@pytest.mark.parametrize("lang", ["es", "en"])
async def test_a_dashboard_tile_shows_the_graph_first(
    seeded_graph: Any, browser: Browser, lang: str
) -> None:
    path = await power_map_path(seeded_graph)
    context = await browser.new_context(viewport={"width": 600, "height": 400})
    page = RecordedPage(await context.new_page())
    try:
        with serve_app(seeded_graph.settings) as base:
            await open_embed(page.page, f"{base}{path}?lang={lang}")
            tile = page.page
            graph = await tile.locator("[data-testid=graph]").bounding_box()
            assert graph is not None and graph["height"] >= 0.8 * 400 - 50, graph
            assert await tile.is_hidden("[data-testid=toolbar]")
            menu = tile.get_by_test_id("menu-toggle")
            assert await menu.inner_text() == gettext("Controls", lang)
            await menu.click()
            assert await tile.is_visible("[data-testid=toolbar]")
            assert await tile.is_hidden("#legend-body")
            await tile.get_by_test_id("legend-toggle").click()
            assert await tile.is_visible("#legend-body")
            some = await tile.evaluate("window.tejidoEmbed.nodeIds()[0]")
            seen = await tile.evaluate("id => window.tejidoEmbed.drawnAs(id)", some)
            assert seen["labelPx"] >= 11, seen  # readable whatever the zoom
            assert await tile.evaluate("window.tejidoEmbed.missingMessages()") == []
        assert page.foreign_requests() == []
    finally:
        await context.close()
