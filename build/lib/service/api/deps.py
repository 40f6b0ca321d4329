"""FastAPI dependencies: what a request reaches through the app (the store, the settings, the
weights, the rate limits), the key holder it comes with, and the GraphQL context built from them."""

from __future__ import annotations

from typing import Any, cast

from fastapi import Request

from service.analytics.weights import Weights
from service.api.auth import authenticate
from service.api.context import Context
from service.api.limits import RateLimits
from service.api.loaders import holders_loader, link_loader, record_loader
from service.config import Settings
from service.keys import KeyHolder
from service.store import Store


def store(request: Request) -> Store:
    return cast(Store, request.app.state.store)


def settings(request: Request) -> Settings:
    return cast(Settings, request.app.state.settings)


def weights(request: Request) -> Weights:
    return cast(Weights, request.app.state.weights)


def rate_limits(request: Request) -> RateLimits:
    return cast(RateLimits, request.app.state.rate_limits)


async def key_holder(request: Request) -> KeyHolder:
    """Who the request's bearer key stands for; 401 without a valid one."""
    return await authenticate(request, store(request))


async def graphql_context(request: Request) -> dict[str, Any]:
    """The GraphQL context of one request: its key holder, counted against the key's limit,
    with loaders that last this request only."""
    if (
        request.method == "GET"
        and "text/html" in request.headers.get("accept", "")
        and "query" not in request.query_params
    ):
        return {}  # the GraphiQL page itself; every query it sends comes back with a key
    holder = await key_holder(request)
    await rate_limits(request).request(holder.key_id)
    graph, viewer = store(request), holder.viewer
    ctx = Context(
        graph,
        viewer,
        holder.key_id,
        weights(request),
        records=record_loader(graph, viewer),
        links=link_loader(graph, viewer),
        holders=holders_loader(graph, viewer),
    )
    return {"tejido": ctx}
