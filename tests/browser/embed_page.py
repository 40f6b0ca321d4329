"""What browser tests do on an embed page: open it, wait for it, read what it draws, click."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import Page, Request

from service.access import Tlp
from service.embed.tokens import create_embed

VIEWPORT = {"width": 1200, "height": 800}
SEED_ORG = "org-000037"  # the seed's NGO whose analyst `make run` prints a key for


async def seed_embed_path(seeded_graph: Any, view: str, params: dict[str, str]) -> str:
    """The path of a `view` embed of the seed, as SEED_ORG's RED creator makes it up to AMBER."""
    new = await create_embed(
        seeded_graph.store,
        seeded_graph.settings,
        SEED_ORG,
        view,
        params,
        creator_clearance=Tlp.RED,
        created_by="browser-test",
        max_tlp=Tlp.AMBER,
    )
    return new.path


def origin(url: str) -> str:
    """scheme://host:port of a URL; a blob: URL belongs to the origin that made it."""
    if url.startswith("blob:"):
        url = url[len("blob:") :]
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class RecordedPage:
    """A page and every request it made (page.on("request"))."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", self._request)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", self._console)

    def _request(self, request: Request) -> None:
        self.requests.append(request.url)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def csp_refusals(self) -> list[str]:
        """What the browser refused under the page's Content-Security-Policy."""
        return [e for e in self.errors if "Content Security Policy" in e]

    def foreign_requests(self) -> list[str]:
        """Requests to anything but the origin of the first document the page loaded.

        data: URLs are inline and never reach the network; about:blank is the empty page."""
        network = [u for u in self.requests if not u.startswith(("data:", "about:"))]
        if not network:
            return []
        home = origin(network[0])
        return [u for u in network if origin(u) != home]


async def open_embed(page: Page, url: str) -> float:
    """Load an embed page and wait until its first layout is done; returns its renderMs."""
    response = await page.goto(url)
    assert response is not None and response.status == 200, response and response.status
    render_ms: float = await page.evaluate("window.tejidoEmbed.ready")
    return render_ms


async def show_day(page: Page, day: str, by: str) -> None:
    """Move the page to `day` with the date field or the slider, and wait until it is drawn.

    The slider is moved as a drag ends: its value changes, then `input` and `change` fire."""
    if by == "date":
        await page.get_by_test_id("as-of-date").fill(day)
    else:
        await page.evaluate(
            """day => {
                const range = document.querySelector("[data-testid=as-of-range]");
                const first = Date.parse(document.querySelector("[data-testid=as-of-date]").min);
                range.value = String(Math.round((Date.parse(day) - first) / 86400000));
                range.dispatchEvent(new Event("input", {bubbles: true}));
                range.dispatchEvent(new Event("change", {bubbles: true}));
            }""",
            day,
        )
        assert await page.input_value("[data-testid=as-of-date]") == day
    await page.wait_for_function(
        "day => window.tejidoEmbed.asOf() === day && document.body.dataset.state === 'ready'",
        arg=day,
    )


async def drawn(page: Page) -> tuple[list[str], list[str]]:
    """The ids of the nodes and edges Cytoscape holds."""
    nodes: list[str] = await page.evaluate("window.tejidoEmbed.nodeIds()")
    edges: list[str] = await page.evaluate("window.tejidoEmbed.edgeIds()")
    return nodes, edges


async def listed(page: Page) -> tuple[list[str], list[str]]:
    """The ids in the screen-reader list."""
    nodes = await page.eval_on_selector_all(
        "[data-testid=sr-node]", "els => els.map(e => e.dataset.id).sort()"
    )
    edges = await page.eval_on_selector_all(
        "[data-testid=sr-edge]", "els => els.map(e => e.dataset.id).sort()"
    )
    return nodes, edges


async def click_element(page: Page, element_id: str) -> None:
    """Click where Cytoscape draws the element, with the mouse, like a person."""
    at = await page.evaluate("id => window.tejidoEmbed.position(id)", element_id)
    assert at is not None, f"{element_id} is not drawn"
    await page.mouse.click(at["x"], at["y"])
    await page.wait_for_selector(f"[data-testid=panel][data-id='{element_id}'][data-state=ready]")
