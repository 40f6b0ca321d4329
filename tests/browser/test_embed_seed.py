"""Each of the four views on the seed data, drawn by a real Chromium from the real server."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.async_api import Page

from tests.browser.embed_page import RecordedPage, drawn, listed, open_embed, seed_embed_path
from tests.support.embed_server import serve_app

VIEWS = {
    "collusion": {"territory": "ter-000001"},
    "powermap": {"territory": "ter-000001"},
    "neighbourhood": {"id": "act-000001", "hops": "2"},
    "paths": {"from": "act-000001", "to": "act-000021"},
}


@pytest.mark.parametrize("view", VIEWS)
async def test_each_view_draws_what_its_json_says(
    seeded_graph: Any, recorded: RecordedPage, view: str
) -> None:
    page: Page = recorded.page
    path = await seed_embed_path(seeded_graph, view, VIEWS[view])
    with serve_app(seeded_graph.settings) as base:
        await open_embed(page, base + path)
        data = httpx.get(f"{base}{path}/data").json()
        expected = (sorted(n["id"] for n in data["nodes"]), sorted(e["id"] for e in data["edges"]))
        assert expected[0], f"the seed's {view} view is empty: nothing would be tested"
        assert await drawn(page) == expected
        assert await listed(page) == expected
        count = f"{len(expected[0])} nodes, {len(expected[1])} relationships"
        assert count in await page.inner_text("[data-testid=sr-summary]")
        # A keyboard user reaches a node through the list and gets the same details panel.
        first = page.locator("[data-testid=sr-node]").first
        node_id = await first.get_attribute("data-id")
        await first.focus()
        await page.keyboard.press("Enter")
        await page.wait_for_selector(f"[data-testid=panel][data-id='{node_id}'][data-state=ready]")
        assert await page.evaluate("document.activeElement.dataset.testid") == "panel-title"
        assert await page.locator("[data-testid=panel-evidence] li").count() >= 1
        await page.keyboard.press("Escape")  # closes the details, back where the user was
        assert await page.evaluate("document.activeElement.dataset.id") == node_id
        assert await page.get_by_test_id("panel").is_hidden()
    assert any("/data" in u for u in recorded.requests)
    assert any("/element/" in u for u in recorded.requests)
    assert recorded.foreign_requests() == []
    assert recorded.errors == [], recorded.errors
