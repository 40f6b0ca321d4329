"""Fixtures for the browser tests: a real Chromium (Debian's, driven by Playwright) against the
real app on a loopback port (tests/support/embed_server.py) over a real database. Which one to use when:

- `browser`: one headless Chromium for the session.
- `page`: a fresh browser context and page per test; every request it makes is recorded and,
  when the test ends, checked to have gone to the server's own origin only, with nothing
  refused by the Content-Security-Policy either.

The steps tests take on a page (open, wait, read what is drawn, click) are in embed_page.py.

`playwright install` cannot download browsers here, so Chromium is the system one
(TEJIDO_TEST_CHROMIUM, else `chromium` on PATH); `make tools` installs it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, Page, async_playwright

from tests.browser.embed_page import VIEWPORT, RecordedPage


def chromium_path() -> str:
    path = os.environ.get("TEJIDO_TEST_CHROMIUM") or shutil.which("chromium")
    if not path:
        pytest.fail(
            "no Chromium: install Debian's `chromium` (make tools) or set TEJIDO_TEST_CHROMIUM"
        )
    return path


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=chromium_path(), headless=True)
        yield launched
        await launched.close()


@pytest.fixture
async def recorded(browser: Browser) -> AsyncIterator[RecordedPage]:
    context = await browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    page = RecordedPage(await context.new_page())
    yield page
    await context.close()
    assert page.foreign_requests() == [], "the page asked another origin"
    # The CSP stops a request to another origin before it is made, so no request event shows
    # it: the browser's refusal in the console does.
    assert page.csp_refusals() == [], "the page tried something its CSP refused"


@pytest.fixture
def page(recorded: RecordedPage) -> Page:
    return recorded.page
