"""What operators watch: a request id on every request and log line, Prometheus metrics on
GET /metrics (behind TEJIDO_METRICS_TOKEN; 404 without it), GraphQL metrics per root field."""

from __future__ import annotations

import hmac
import os
import re
import time
import uuid
from collections.abc import Iterator
from contextvars import ContextVar

import structlog
from fastapi import APIRouter, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.extensions import SchemaExtension

from graphql import FieldNode, OperationDefinitionNode
from service.config import Settings
from service.metrics import GRAPHQL_REQUESTS, GRAPHQL_SECONDS

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
# A client's X-Request-ID is kept when it looks like an id (a proxy's), replaced otherwise.
_CLIENT_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def current_request_id() -> str | None:
    """The id of the request being served, as logged and returned in X-Request-ID."""
    return _request_id.get()


class RequestIds:
    """Give each HTTP request an id: in every log line it causes (structlog context), in the
    X-Request-ID response header, and in the `request_id` of an unexpected error."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _CLIENT_ID.fullmatch(given) else uuid.uuid4().hex[:16]

        async def with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        token = _request_id.set(request_id)
        try:
            with structlog.contextvars.bound_contextvars(request_id=request_id):
                await self.app(scope, receive, with_header)
        finally:
            _request_id.reset(token)


class GraphQLMetrics(SchemaExtension):
    """Counts and times each operation under its root fields (names from the schema, so the
    number of series is bounded); a document that does not parse or validate is `invalid`."""

    executed = False  # the document parsed and validated: its root fields are the schema's
    failed = False

    def on_execute(self) -> Iterator[None]:
        self.executed = True
        yield
        result = self.execution_context.result  # set here; on_operation ends before it is
        self.failed = bool(result and result.errors)

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        seconds = time.perf_counter() - started
        ctx = self.execution_context
        outcome = "error" if self.failed or not self.executed else "ok"
        for operation in _root_fields(ctx) if self.executed else ["invalid"]:
            GRAPHQL_REQUESTS.labels(operation, outcome).inc()
            GRAPHQL_SECONDS.labels(operation).observe(seconds)


def _root_fields(ctx: object) -> list[str]:
    document = getattr(ctx, "graphql_document", None)
    if document is None:
        return ["invalid"]
    names = []
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            kind = definition.operation.value
            names += [
                f"{kind}.{s.name.value}"
                for s in definition.selection_set.selections
                if isinstance(s, FieldNode)
            ]
    return names or ["invalid"]


router = APIRouter()


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    """The Prometheus text format; 404 unless TEJIDO_METRICS_TOKEN is set, 401 without it."""
    settings: Settings = request.app.state.settings
    if settings.metrics_token is None:
        return Response(status_code=404)
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    expected = settings.metrics_token.get_secret_value()
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip(), expected):
        return Response(status_code=401, headers={"WWW-Authenticate": 'Bearer realm="metrics"'})
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:  # several workers: add up their files
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = REGISTRY
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
