"""GraphiQL's page at GET /graphql: served with its own assets, in the request's language,
with the examples in it; Swagger UI and ReDoc are off."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator

import httpx
import pytest

from service.api.app import create_app
from service.config import Settings
from service.graphiql.page import OPERATIONS, example_tabs
from service.i18n import gettext

HTML = {"Accept": "text/html"}


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    # The page and its files need no database: the store is never opened.
    app = create_app(Settings(), store=object())  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        yield c


async def test_the_page_loads_nothing_from_another_origin(http: httpx.AsyncClient) -> None:
    page = await http.get("/graphql", headers=HTML)
    assert page.status_code == 200
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self';" in csp
    assert "connect-src 'self'" in csp and "frame-ancestors 'none'" in csp
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith(("/graphiql/static/", "data:")) for s in sources)
    for path in sources:
        if path.startswith("/"):
            asset = await http.get(path)
            assert asset.status_code == 200, path
            assert asset.headers["content-security-policy"] == csp


async def test_every_example_is_a_tab_with_its_variables(http: httpx.AsyncClient) -> None:
    page = (await http.get("/graphql", headers=HTML)).text
    config = json.loads(re.search(r'id="tejido-graphiql-config">(.*?)</script>', page, re.S)[1])  # type: ignore[index]
    assert len(config["tabs"]) == len(list(OPERATIONS.glob("*.graphql"))) == len(example_tabs())
    for tab in config["tabs"]:
        json.loads(tab["variables"])  # every example's variables are JSON


@pytest.mark.parametrize("lang", ["es", "en"])
async def test_the_page_speaks_the_request_language(http: httpx.AsyncClient, lang: str) -> None:
    page = (await http.get("/graphql", headers={**HTML, "Accept-Language": lang})).text
    assert f'<html lang="{lang}">' in page
    assert gettext("Remember the key in this tab", lang) in page


async def test_swagger_ui_and_redoc_are_off(http: httpx.AsyncClient) -> None:
    assert (await http.get("/docs")).status_code == 404
    assert (await http.get("/redoc")).status_code == 404


async def test_only_the_page_files_are_served(http: httpx.AsyncClient) -> None:
    for path in ("../page.py", "page.html", "..%2fpage.py", "vendor/../../page.py"):
        assert (await http.get(f"/graphiql/static/{path}")).status_code == 404, path
