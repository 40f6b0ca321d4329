"""The cross-reference review page in a real Chromium, on both databases and in both languages:
every text from the catalogs, the key never stored, the matches of the key's organization side
by side, and a confirm and a reject made from the keyboard that reach the graph."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.async_api import Page

from service.access import Role, Tlp
from service.i18n import LANGUAGES, gettext
from service.keys import create_key
from service.review.routes import TEXTS
from service.xref import throttle
from service.xref.workflow import run_xref
from tests.browser.embed_page import RecordedPage
from tests.support.embed_server import serve_app
from tests.support.tables import load_rows
from tests.xref.test_xref import shared_both_ways

CONFIRMED_NOTE = "la misma defensora: confirmado con la otra organización"


async def review(graph: Any, role: Role) -> tuple[str, Any]:
    throttle.reset()
    await load_rows(graph.store, **shared_both_ways())  # each may open the other's file
    outcome = await run_xref(graph.store)
    assert outcome.proposed == 3, "three matches to review, or nothing would be tested"
    key = await create_key(graph.store, "org-a", role, Tlp.RED, note="review test")
    return key.key, outcome


async def open_with_key(page: Page, base: str, lang: str, key: str) -> None:
    await page.goto(f"{base}/review?lang={lang}")
    await page.fill("[data-testid=key-input]", key)
    await page.keyboard.press("Enter")
    await page.wait_for_selector("body[data-state=ready]")
    await page.wait_for_selector("[data-testid=match]")


async def judged(graph: Any) -> dict[str, str]:
    return {r["id"]: r["status"] for r in await graph.store.operator_read("xref_judged")}


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_review_confirms_and_rejects_from_the_keyboard(
    graph: Any, recorded: RecordedPage, lang: str
) -> None:
    page = recorded.page
    key, _ = await review(graph, Role.ANALYST)
    with serve_app(graph.settings) as base:
        await open_with_key(page, base, lang, key)
        assert await page.get_attribute("html", "lang") == lang
        assert await page.inner_text("[data-testid=title]") == gettext(TEXTS["title"], lang)
        assert await page.input_value("[data-testid=key-input]") == ""
        stored = await page.evaluate("JSON.stringify([localStorage, sessionStorage])")
        assert key not in stored and key not in page.url

        items = page.locator("[data-testid=match]")
        assert await items.count() == 3
        ids = [await items.nth(i).get_attribute("data-id") for i in range(3)]
        # The first match, side by side: both records' fields and every field's agreement.
        detail = page.locator("[data-testid=detail]")
        assert await detail.get_attribute("data-id") == ids[0]
        assert await page.locator("[data-testid=sides] tbody tr").count() >= 2
        assert await page.locator("[data-testid=agreement-row]").count() >= 1
        shown = await page.inner_text("body")
        for name in ("yours", "theirs", "agreement", "confirm", "reject", "keys"):
            assert gettext(TEXTS[name], lang) in shown, name

        await page.keyboard.press("n")
        await page.keyboard.type(CONFIRMED_NOTE)
        await page.keyboard.press("Escape")
        await page.keyboard.press("c")
        await page.wait_for_selector(
            f"[data-testid=match][data-id='{ids[0]}'] [data-status=CONFIRMED]"
        )
        assert await detail.get_attribute("data-id") == ids[1]  # moved on to the next one
        await page.keyboard.press("x")
        await page.wait_for_selector(
            f"[data-testid=match][data-id='{ids[1]}'] [data-status=REJECTED]"
        )

    statuses = await judged(graph)
    assert statuses[ids[0]] == "confirmed"
    assert statuses[ids[1]] == "rejected"
    assert statuses[ids[2]] == "proposed"
    assert recorded.errors == [], recorded.errors


async def test_a_reader_may_look_but_not_judge(graph: Any, recorded: RecordedPage) -> None:
    page = recorded.page
    key, _ = await review(graph, Role.READER)
    before = await judged(graph)
    with serve_app(graph.settings) as base:
        await open_with_key(page, base, "es", key)
        await page.keyboard.press("c")
        await page.wait_for_selector("[data-testid=message].error")
        await page.wait_for_selector("[data-testid=message].error")
    assert await judged(graph) == before


async def test_an_unknown_key_opens_nothing(graph: Any, recorded: RecordedPage) -> None:
    page = recorded.page
    await review(graph, Role.ANALYST)
    with serve_app(graph.settings) as base:
        await page.goto(f"{base}/review?lang=es")
        await page.fill("[data-testid=key-input]", "tjd_0000_nope")
        await page.keyboard.press("Enter")
        await page.wait_for_selector("[data-testid=message].error")
        assert await page.locator("[data-testid=match]").count() == 0
        assert await page.is_hidden("#review")
        assert gettext("unknown or revoked API key", "es") in await page.inner_text(
            "[data-testid=message]"
        )
