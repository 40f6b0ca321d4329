"""HTTP routes of embeddable views (docs/embedding.md).

- `/embed/{token}`: the page, its texts in the request's language (`?lang=` fixes it);
  `/embed/{token}/data` the GraphView JSON;
  `/embed/{token}/element/{id}` one element of that view; `/embed/static/...` the page's files.
  A forged, tampered, expired or revoked token gets 401 and no data.
- `/views/{view}`: the same JSON for dashboard builders holding an API key.

Every /embed response carries a strict Content-Security-Policy whose frame-ancestors are the
token's origins ('none' by default), no referrer and no caching.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from service.api import deps
from service.api.audit import AUDITED, append_entries
from service.embed.texts import html_texts, script_messages
from service.embed.tokens import EmbedToken, InvalidEmbed, verify_embed
from service.embed.views import ViewGraph, build_view, check_params, element_json, view_json
from service.errors import InvalidInput
from service.i18n import _
from service.page_template import fill_page
from service.page_template import static_file as page_static_file
from service.store import Store

STATIC = Path(__file__).with_name("static")
PAGE = STATIC / "page.html"
STATIC_PREFIX = "/embed/static/"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors {ancestors}"
)
# The 401 page; its styles come from the page's own stylesheet (relative: /embed/static/).
REFUSED_PAGE = STATIC / "refused.html"

_TOKEN_IN_PATH = re.compile(r"(/embed/)(?!static/)[^/?\s\"]+")

router = APIRouter()


class RedactEmbedTokens(logging.Filter):
    """uvicorn's access log writes each request's path, and an embed token in a path is a
    credential: the log keeps `/embed/<token>` instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                _TOKEN_IN_PATH.sub(r"\1<token>", a) if isinstance(a, str) else a
                for a in record.args
            )
        return True


class GzipStaticFiles:
    """Compress the pages' own files (Cytoscape.js and GraphiQL shrink about threefold) and
    nothing else: a response holding records is never compressed next to text a caller chose
    (BREACH)."""

    def __init__(self, app: ASGIApp, prefixes: tuple[str, ...] = (STATIC_PREFIX,)) -> None:
        self.app, self.prefixes = app, prefixes
        self.gzip = GZipMiddleware(app, minimum_size=1024)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        static = scope["type"] == "http" and scope["path"].startswith(self.prefixes)
        await (self.gzip if static else self.app)(scope, receive, send)


def redact_tokens_in_access_log() -> None:
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactEmbedTokens) for f in access.filters):
        access.addFilter(RedactEmbedTokens())


async def _audit(
    store: Store, key_id: str, org: str, operation: str, graph: ViewGraph, ids: Iterable[str]
) -> None:
    """The defenders, cases and incidents among `ids` that a response shows go to the audit
    log, as they do for GraphQL."""
    shown = [i for i in ids if i in graph.nodes and graph.nodes[i]["label"] in AUDITED]
    if shown:
        await append_entries(store, shown, key_id, org, operation)


def security_headers(frame_ancestors: tuple[str, ...] = ()) -> dict[str, str]:
    """The headers of every /embed response; only the token's origins may frame the page."""
    ancestors = " ".join(frame_ancestors) or "'none'"
    return {
        "Content-Security-Policy": CSP.format(ancestors=ancestors),
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
    }


def _json(body: Any, status: int = 200, token: EmbedToken | None = None) -> JSONResponse:
    ancestors = token.frame_ancestors if token else ()
    return JSONResponse(body, status_code=status, headers=security_headers(ancestors))


def _day(text: str | None) -> dt.date | None:
    """asOf as a date (today when absent), or None when it is not YYYY-MM-DD."""
    if not text:
        return dt.datetime.now(dt.UTC).date()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def bad_date() -> str:
    return _("asOf must be a date written YYYY-MM-DD")


@router.get(STATIC_PREFIX + "{path:path}", include_in_schema=False)
async def static_file(path: str) -> Response:
    """The page's own files (script, styles, the pinned Cytoscape.js); nothing else."""
    return page_static_file(STATIC, path, security_headers())


@router.get("/embed/{token}", include_in_schema=False)
async def embed_page(token: str, request: Request) -> Response:
    """The interactive page; its script reads the token from the address and asks /data."""
    try:
        verified = await verify_embed(deps.store(request), deps.settings(request), token)
    except InvalidEmbed as exc:
        return HTMLResponse(refused_page(str(exc)), status_code=401, headers=security_headers())
    page = fill_page(PAGE, html_texts(), messages=script_messages())
    return HTMLResponse(page, headers=security_headers(verified.frame_ancestors))


def refused_page(reason: str) -> str:
    texts = {
        "title": _("Embed unavailable"),
        "heading": _("This view cannot be shown"),
        "reason": reason,
        "advice": _("Ask whoever shared it for a new link."),
    }
    return fill_page(REFUSED_PAGE, texts)


async def _token_view(
    request: Request, token: str, as_of: str | None
) -> tuple[EmbedToken, dt.date, ViewGraph] | JSONResponse:
    """The verified token, the day and its view; or the error response to send instead."""
    store = deps.store(request)
    try:
        verified = await verify_embed(store, deps.settings(request), token)
    except InvalidEmbed as exc:
        return _json({"error": str(exc)}, 401)
    day = _day(as_of)
    if day is None:
        return _json({"error": bad_date()}, 400, verified)
    try:
        graph = await build_view(store, verified.view, verified.params, verified.viewer, day)
    except InvalidInput as exc:
        return _json({"error": str(exc)}, 400, verified)
    return verified, day, graph


@router.get("/embed/{token}/data")
async def embed_data(
    token: str, request: Request, asOf: str | None = None, since: str | None = None
) -> Response:
    """The token's view as GraphView JSON, on asOf (default today); with `since`, what is new
    since that day is marked (docs/warnings.md)."""
    found = await _token_view(request, token, asOf)
    if isinstance(found, JSONResponse):
        return found
    verified, day, graph = found
    since_day = _day(since) if since else None
    if since and since_day is None:
        return _json({"error": bad_date()}, 400, verified)
    body = view_json(graph, verified.view, verified.params, day, verified.max_tlp, since_day)
    await _audit(
        deps.store(request),
        f"embed:{verified.id}",
        verified.org,
        f"embed {verified.view}",
        graph,
        graph.nodes,
    )
    return _json(body, token=verified)


@router.get("/embed/{token}/element/{element_id}")
async def embed_element(
    token: str,
    element_id: str,
    request: Request,
    asOf: str | None = None,
) -> Response:
    """One node or edge of the token's view, with its evidence; 404 for anything else."""
    found = await _token_view(request, token, asOf)
    if isinstance(found, JSONResponse):
        return found
    verified, _day, graph = found
    element = await element_json(deps.store(request), verified.viewer, graph, element_id)
    if element is None:
        return _json({"error": _("no such element in this view")}, 404, verified)
    await _audit(
        deps.store(request),
        f"embed:{verified.id}",
        verified.org,
        f"embed {verified.view} element",
        graph,
        [element_id],
    )
    return _json(element, token=verified)


@router.get("/views/{view}")
async def view_for_key(view: str, request: Request) -> Response:
    """A view as GraphView JSON for the holder of an API key: `?name=value` per parameter,
    `asOf=YYYY-MM-DD` optional; the key's own access applies (docs/embedding.md)."""
    store = deps.store(request)
    holder = await deps.key_holder(request)
    query = dict(request.query_params)
    day = _day(query.pop("asOf", None))
    since = query.pop("since", None)
    since_day = _day(since) if since else None
    if day is None or (since and since_day is None):
        return _json({"error": bad_date()}, 400)
    try:
        params = check_params(view, query)
        graph = await build_view(store, view, params, holder.viewer, day)
    except InvalidInput as exc:
        return _json({"error": str(exc)}, 400)
    org = holder.viewer.org
    await _audit(store, holder.key_id, org, f"views {view}", graph, graph.nodes)
    return _json(view_json(graph, view, params, day, holder.viewer.clearance, since_day))
