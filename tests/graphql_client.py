"""A GraphQL client over the app's ASGI transport, with one API key per named caller."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from service.api.app import create_app
from service.config import Settings
from service.store import Store


class Api:
    def __init__(self, http: httpx.AsyncClient, keys: dict[str, str]) -> None:
        self.http, self.keys = http, keys

    async def call(self, who: str, query: str, **variables: Any) -> dict[str, Any]:
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {self.keys[who]}"},
        )  # fmt: skip
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def data(self, who: str, query: str, **variables: Any) -> dict[str, Any]:
        body = await self.call(who, query, **variables)
        assert "errors" not in body, body
        result: dict[str, Any] = body["data"]
        return result


@asynccontextmanager
async def serve_api(store: Store, keys: dict[str, str]) -> AsyncIterator[Api]:
    app = create_app(Settings(), store=store)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://tejido") as http:
            yield Api(http, keys)
