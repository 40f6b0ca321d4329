"""The FastAPI application: GraphQL at /graphql (GraphiQL on GET, service/graphiql), embeddable
views at /embed and /views (service/embed/routes.py), the review page at /review, health at
/healthz and /readyz (service/api/health.py), metrics at /metrics (service/api/observability.py).
No Swagger UI or ReDoc: both would load their scripts from a public CDN."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service import __version__, i18n
from service.analytics.weights import DEFAULT_WEIGHTS, load_weights
from service.api import deps, health, observability, tracing
from service.api.audit import AuditWriter
from service.api.auth import KeyCache
from service.api.errors import rate_limited_response, unauthenticated_response
from service.api.limits import BodyGuard, RateLimits
from service.api.schema import schema
from service.config import Settings
from service.embed.routes import STATIC_PREFIX as EMBED_STATIC
from service.embed.routes import GzipStaticFiles, redact_tokens_in_access_log
from service.embed.routes import router as embed_router
from service.errors import QueryTimeout, RateLimited, StoreUnavailable, Unauthenticated
from service.graphiql.page import STATIC_PREFIX as GRAPHIQL_STATIC
from service.graphiql.page import TejidoGraphQLRouter
from service.graphiql.page import router as graphiql_router
from service.logs import configure_logging
from service.review.routes import router as review_router
from service.store import Store, open_store
from service.warnings.runner import Runner


class TimeBudget:
    """Every HTTP request gets `seconds` in all; past that it is cut off with a 504 and a
    GraphQL-shaped error. A plain ASGI middleware, so cancelling it cancels the work too."""

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app, self.seconds = app, seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            async with asyncio.timeout(self.seconds):
                await self.app(scope, receive, watch)
        except TimeoutError:
            if started:  # half a response is out: nothing clean is left to say
                raise
            error = {
                "message": i18n.gettext("the request ran out of time"),
                "extensions": {"code": QueryTimeout.code},
            }
            await JSONResponse({"errors": [error]}, status_code=504)(scope, receive, send)


class Language:
    """Serves each HTTP request in its language: `?lang=` first (embed links fix it), then
    Accept-Language, then TEJIDO_LANGUAGE. Plain ASGI, so the whole request runs in it."""

    def __init__(self, app: ASGIApp, default: str) -> None:
        self.app, self.default = app, default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        lang = i18n.negotiate(
            request.query_params.get("lang"), request.headers.get("accept-language"), self.default
        )
        with i18n.using(lang):
            await self.app(scope, receive, send)


def create_app(settings: Settings, store: Store | None = None) -> FastAPI:
    """The app for `settings`; its lifespan opens the store and closes it on shutdown.

    Given a `store` (tests), the app uses it as it is and leaves closing it to the caller.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with contextlib.AsyncExitStack() as stack:
            given = (
                store
                if store is not None
                else await stack.enter_async_context(open_store(settings))
            )
            app.state.store = given
            app.state.audit = AuditWriter(given)
            stack.push_async_callback(app.state.audit.close)  # no entry left unwritten
            if store is None:  # the service's own store: it runs the warnings too
                runner = Runner(given, settings, app.state.weights.risk)  # docs/warnings.md
                app.state.warnings = runner
                runner.start()
                stack.push_async_callback(runner.stop)
            yield

    # docs_url/redoc_url off: Swagger UI and ReDoc load their scripts from a public CDN.
    app = FastAPI(
        title="Tejido", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None
    )
    app.state.weights = load_weights(settings.weights_file or DEFAULT_WEIGHTS)  # fail at start
    graphql = TejidoGraphQLRouter(
        schema,
        context_getter=deps.graphql_context,
        graphql_ide="graphiql" if settings.graphiql else None,
    )
    app.include_router(graphql, prefix="/graphql")
    app.include_router(embed_router)
    app.include_router(review_router)
    if settings.graphiql:
        app.include_router(graphiql_router)
    app.include_router(health.router)
    app.include_router(observability.router)
    redact_tokens_in_access_log()
    app.state.settings = settings  # the embed routes read the signing key's setting
    app.state.key_cache = KeyCache(settings.key_cache_s)

    app.state.rate_limits = RateLimits(settings)
    app.add_exception_handler(RateLimited, rate_limited_response)  # type: ignore[arg-type]
    app.add_exception_handler(Unauthenticated, unauthenticated_response)  # type: ignore[arg-type]
    app.add_exception_handler(StoreUnavailable, health.store_unavailable)

    app.add_middleware(GzipStaticFiles, prefixes=(EMBED_STATIC, GRAPHIQL_STATIC))
    app.add_middleware(BodyGuard, max_bytes=settings.max_body_bytes)
    app.add_middleware(TimeBudget, seconds=settings.request_timeout_s)
    app.add_middleware(Language, default=settings.language)  # every message in it
    app.add_middleware(observability.RequestIds)  # outermost: every log line has the id
    tracing.instrument(app, settings)

    return app


def app_from_env() -> FastAPI:
    """uvicorn's factory: settings from the environment (set by `tejido serve`)."""
    settings = Settings()
    configure_logging(settings.log_level, json=settings.env == "production")
    return create_app(settings)
