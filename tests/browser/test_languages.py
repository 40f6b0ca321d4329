"""The embed page and GraphiQL in Spanish and English, drawn by a real Chromium: every text
comes from the catalogs, none is missing, and no request leaves the server's origin."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

import pytest
from playwright.async_api import Page, Request

from service.access import Role, Tlp
from service.embed.texts import script_messages
from service.graphiql.page import example_tabs
from service.i18n import gettext, using
from service.i18n.model_labels import page_labels
from service.keys import create_key
from tests.browser.embed_page import SEED_ORG, RecordedPage, open_embed, seed_embed_path
from tests.support.embed_server import serve_app

# Texts of the page's HTML and script, checked in each language (msgid -> where it shows).
SHOWN = {
    "Legend": "#legend-title",
    "Evidence": "[data-testid=panel] h3",
    "Find": "label[for=search-input]",
    "As of": "label[for=as-of-range]",
    "Power map": "[data-testid=view-title]",
}


SINCE = "2024-01-01"  # "since" mode on: what changed gets its legend line too


@pytest.mark.parametrize("lang", ["es", "en"])
async def test_the_embed_page_speaks_the_language_of_its_link(
    seeded_graph: Any, recorded: RecordedPage, lang: str
) -> None:
    page: Page = recorded.page
    path = await seed_embed_path(seeded_graph, "powermap", {"territory": "ter-000001"})
    with serve_app(seeded_graph.settings) as base:
        await open_embed(page, f"{base}{path}?lang={lang}&since={SINCE}")
        assert await page.evaluate("document.documentElement.lang") == lang
        assert await page.evaluate("window.tejidoEmbed.missingMessages()") == []
        for message, selector in SHOWN.items():
            # textContent: the text itself, not as CSS shows it (the legend's title is uppercase).
            assert (await page.text_content(selector) or "").strip() == gettext(message, lang)
        as_of = await page.inner_text("[data-testid=as-of-label]")
        assert as_of.startswith(gettext("As of {date}", lang, date="")), as_of
        # The legend names power classes, sectors and relationship types as the catalogs and
        # the model label them, never codes.
        labels = page_labels(lang)
        power = ["visible power", "hidden power", "invisible power"]
        power += ["no power class shown by the evidence", "state actor", "non-state actor"]
        names = {
            *labels["labels"].values(),
            *labels["relationships"].values(),
            *labels["values"]["kind"].values(),
            *labels["values"]["sector"].values(),
            gettext("alleged or low confidence", lang),
            *(gettext(message, lang) for message in power),
            gettext("new since {date}", lang, date=SINCE),
        }
        legend = await page.eval_on_selector_all(
            "[data-testid=legend] li", "items => items.map(i => i.textContent.trim())"
        )
        assert legend, "the seed's power map draws nothing: nothing would be tested"
        assert set(legend) <= names, set(legend) - names
        # The details panel names properties and values in the same language.
        first = page.locator("[data-testid=sr-node]").first
        node_id = await first.get_attribute("data-id")
        await first.focus()
        await page.keyboard.press("Enter")
        await page.wait_for_selector(f"[data-testid=panel][data-id='{node_id}'][data-state=ready]")
        terms = await page.eval_on_selector_all(
            "[data-testid=panel-props] dt", "items => items.map(i => i.textContent)"
        )
        assert gettext("score in this view", lang) in terms
        assert labels["properties"]["sector"] in terms
        with using(lang):
            fields = script_messages()["fields"]
        assert set(terms) <= {*labels["properties"].values(), *fields.values()}
        kind = await page.inner_text("[data-testid=panel-kind]")
        assert set(kind.split(" · ")) <= names, kind  # kind, then its power classes
        assert await page.evaluate("window.tejidoEmbed.missingMessages()") == []
    # The page's own requests carry its language, so the server's messages match it.
    data = [u for u in recorded.requests if "/data" in u or "/element/" in u]
    assert data and all(f"lang={lang}" in u for u in data)


async def test_a_refused_embed_link_is_explained_in_spanish(
    seeded_graph: Any, recorded: RecordedPage
) -> None:
    with serve_app(seeded_graph.settings) as base:
        response = await recorded.page.goto(f"{base}/embed/not-a-token?lang=es")
        assert response is not None and response.status == 401
        assert await recorded.page.inner_text("h1") == gettext("This view cannot be shown", "es")
        assert gettext("this embed link is not valid", "es") in await recorded.page.inner_text(
            "body"
        )


@pytest.mark.parametrize("lang", ["es", "en"])
async def test_graphiql_opens_the_examples_and_runs_one_with_a_pasted_key(
    seeded_graph: Any, recorded: RecordedPage, lang: str
) -> None:
    page: Page = recorded.page
    key = (await create_key(seeded_graph.store, SEED_ORG, Role.ANALYST, Tlp.RED)).key
    sent: list[Request] = []
    page.on("request", lambda request: sent.append(request) if request.method == "POST" else None)
    with serve_app(seeded_graph.settings) as base:
        response = await page.goto(f"{base}/graphql?lang={lang}")
        assert response is not None and response.status == 200
        assert "default-src 'none'" in response.headers["content-security-policy"]
        assert await page.evaluate("document.documentElement.lang") == lang
        assert (await page.inner_text("label[for=api-key]")).strip() == gettext("API key", lang)
        # Every example operation is a tab; without a key no request has gone out yet.
        tabs = page.locator(".graphiql-tab")
        await tabs.first.wait_for()
        assert await tabs.count() == len(example_tabs())
        # The first tab opens with its example variables too.
        first = json.loads(example_tabs()[0]["variables"])
        value = next(v for v in first.values() if isinstance(v, str))
        await page.get_by_text(f'"{value}"').first.wait_for(timeout=5000)
        assert sent == []
        await page.get_by_test_id("api-key").fill(key)
        # The schema is fetched again, now with the key.
        await _wait_for(lambda: any(_is_introspection(r) for r in sent))
        introspection = next(r for r in sent if _is_introspection(r))
        assert introspection.headers["authorization"] == f"Bearer {key}"
        # Run the VisibleCounts example, as a person would: its tab, then the run button.
        await page.locator(".graphiql-tab", has_text="VisibleCounts").click()
        await page.locator(".graphiql-execute-button").click()
        result = page.locator(".graphiql-response")
        await result.get_by_text('"counts"').wait_for()
        assert '"errors"' not in await result.inner_text()
        ran = [r for r in sent if "VisibleCounts" in (r.post_data or "")]
        assert ran and ran[-1].headers["authorization"] == f"Bearer {key}"
        # Nothing kept the key: "remember" was not ticked.
        stored = await page.evaluate(
            "() => JSON.stringify([{...localStorage}, {...sessionStorage}])"
        )
        assert key not in stored
        await page.get_by_test_id("remember-key").check()
        assert await page.evaluate("sessionStorage.getItem('tejido.apiKey')") == key
        assert key not in await page.evaluate("JSON.stringify({...localStorage})")


def _is_introspection(request: Request) -> bool:
    return "__schema" in (request.post_data or "")


async def _wait_for(condition: Any, seconds: float = 10.0) -> None:
    for _ in range(int(seconds * 20)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


def test_every_example_operation_has_example_variables() -> None:
    for tab in example_tabs():
        assert tab["variables"], tab["query"][:80]
        declared = set(re.findall(r"\$(\w+)\s*:\s*[\w\[\]!]+!", tab["query"].split("{")[0]))
        assert declared <= set(json.loads(tab["variables"])), tab["query"][:80]
