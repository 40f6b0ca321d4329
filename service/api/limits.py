"""What one client may send: bodies of bounded size and sound shape, and requests per key.

`BodyGuard` reads every request body before the app does, up to `max_body_bytes`: a larger one
gets 413 as soon as it is announced or seen, without reading the rest. A GraphQL POST must be a
JSON object with a string `query`; anything else (`"x"`, `1`, `null`, an array, invalid UTF-8,
JSON nested deeper than the parser's limit) gets 400 with a GraphQL-shaped error, where the
GraphQL library would answer 500 or plain text. The body, once checked, is handed on unchanged.

`RateLimits` counts per API key with the `limits` library (moving windows): every request, and,
more strictly, the analytics fields. Counts live in `rate_limit_storage`.
"""

from __future__ import annotations

import math
import time
from typing import Any

import limits
import limits.aio.strategies
import limits.errors
import limits.storage
from fastapi.responses import JSONResponse
from pydantic_core import from_json
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.api.errors import error_response
from service.config import Settings
from service.errors import ConfigError, RateLimited
from service.i18n import _

BAD_REQUEST = "BAD_REQUEST"
PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
GRAPHQL_PATHS = frozenset({"/graphql", "/graphql/"})


class _TooLarge(Exception):
    pass


class BodyGuard:
    """A plain ASGI middleware: size first, then (GraphQL POSTs) the shape of the JSON."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        checked = self._announced_size_refusal(scope) or await self._checked_body(scope, receive)
        if isinstance(checked, JSONResponse):
            await checked(scope, receive, send)
        else:
            await self.app(scope, _replay(checked, receive), send)

    async def _checked_body(self, scope: Scope, receive: Receive) -> bytes | JSONResponse:
        try:
            body = await self._read(receive)
        except _TooLarge:
            return self._too_large()
        if scope["method"] == "POST" and scope["path"] in GRAPHQL_PATHS:
            return _graphql_refusal(scope, body) or body
        return body

    def _too_large(self) -> JSONResponse:
        message = _("the request body is larger than {limit} bytes", limit=f"{self.max_bytes:,}")
        return error_response(413, message, PAYLOAD_TOO_LARGE, {"Connection": "close"})

    def _announced_size_refusal(self, scope: Scope) -> JSONResponse | None:
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is None:
            return None
        if not declared.isdigit():
            return error_response(400, "Content-Length is not a number", BAD_REQUEST)
        return self._too_large() if int(declared) > self.max_bytes else None

    async def _read(self, receive: Receive) -> bytes:
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client left: nothing to answer
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                raise _TooLarge
            chunks.append(chunk)
            more = message.get("more_body", False)
        return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body in one message, then whatever the server says next (a disconnect)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


def _graphql_refusal(scope: Scope, body: bytes) -> JSONResponse | None:
    content_type = dict(scope["headers"]).get(b"content-type", b"").decode("latin-1")
    if content_type.split(";", 1)[0].strip().lower() != "application/json":
        return error_response(415, "send GraphQL requests as application/json", BAD_REQUEST)
    try:
        # pydantic-core's parser refuses invalid UTF-8 and nesting deeper than 200, with a
        # position; NaN and Infinity pass, for GraphQL to refuse by variable name.
        request: Any = from_json(body)
    except ValueError as exc:
        return error_response(400, f"the body is not JSON: {exc}", BAD_REQUEST)
    problem = _shape_problem(request)
    return None if problem is None else error_response(400, problem, BAD_REQUEST)


def _shape_problem(request: Any) -> str | None:
    if not isinstance(request, dict):
        return "the body must be a JSON object with a `query` (one operation per request)"
    if not isinstance(request.get("query"), str):
        return "`query` must be a string holding the GraphQL document"
    if not isinstance(request.get("variables") or {}, dict):
        return "`variables` must be an object, by variable name"
    if not isinstance(request.get("operationName") or "", str):
        return "`operationName` must be a string"
    return None


class RateLimits:
    """Moving-window counts per API key: requests, and analytics fields (each one a hit)."""

    def __init__(self, settings: Settings) -> None:
        uri = settings.rate_limit_storage
        # redis-py is here already (FalkorDB's client); limits would otherwise want coredis.
        options = {"implementation": "redispy"} if uri.startswith(("redis", "rediss")) else {}
        try:
            storage = limits.storage.storage_from_string(f"async+{uri}", **options)
        except limits.errors.ConfigurationError as exc:
            raise ConfigError(_("TEJIDO_RATE_LIMIT_STORAGE: {error}", error=exc)) from None
        self._limiter = limits.aio.strategies.MovingWindowRateLimiter(storage)
        self._requests = limits.parse(settings.rate_limit)
        self._analytics = limits.parse(settings.analytics_rate_limit)

    async def request(self, key_id: str) -> None:
        await self._spend(self._requests, key_id, _("requests"))

    async def analytics(self, key_id: str) -> None:
        await self._spend(self._analytics, key_id, _("analytics requests"))

    async def _spend(self, rate: limits.RateLimitItem, key_id: str, what: str) -> None:
        if await self._limiter.hit(rate, key_id):
            return
        stats = await self._limiter.get_window_stats(rate, key_id)
        raise RateLimited(what, retry_after=max(1, math.ceil(stats.reset_time - time.time())))
