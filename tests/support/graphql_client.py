"""The app in process (no server) for tests: an HTTP client, one GraphQL call, and a GraphQL
client with one API key per named caller."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from service.api.app import create_app
from service.config import Settings
from service.store import Store


@asynccontextmanager
async def app_client(
    store: Store, settings: Settings | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client of the app on `store`, in process."""
    app = create_app(settings or Settings(), store=store)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://tejido") as http:
            yield http


async def post_graphql(
    http: httpx.AsyncClient, key: str, query: str, **variables: Any
) -> dict[str, Any]:
    """One GraphQL request with an API key: its body (data and errors), after a 200."""
    response = await http.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


class Api:
    def __init__(self, http: httpx.AsyncClient, keys: dict[str, str]) -> None:
        self.http, self.keys = http, keys

    async def call(self, who: str, query: str, **variables: Any) -> dict[str, Any]:
        return await post_graphql(self.http, self.keys[who], query, **variables)

    async def data(self, who: str, query: str, **variables: Any) -> dict[str, Any]:
        body = await self.call(who, query, **variables)
        assert "errors" not in body, body
        result: dict[str, Any] = body["data"]
        return result


@asynccontextmanager
async def serve_api(
    store: Store, keys: dict[str, str], settings: Settings | None = None
) -> AsyncIterator[Api]:
    async with app_client(store, settings) as http:
        yield Api(http, keys)
