"""The GraphiQL page at GET /graphql and its files at /graphiql/static/.

The page needs no key: the reader pastes one into its key field, and the page's script sends
it as the Authorization header of every request, the schema's introspection included. The key
stays in memory unless the reader ticks "remember" (then sessionStorage, gone with the tab).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from starlette.requests import Request
from strawberry.fastapi import GraphQLRouter

from service.i18n import _
from service.page_template import fill_page
from service.page_template import static_file as page_static_file

STATIC = Path(__file__).with_name("static")
STATIC_PREFIX = "/graphiql/static/"
# The examples live beside the package, as cypher/ does (an editable install, or /app in the
# image); without them the page opens with one empty tab.
OPERATIONS = Path(__file__).resolve().parents[1] / "operations"  # ../graphql/operations
# data: for GraphiQL's own fonts and icons, which its stylesheet carries inline.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}

router = APIRouter()


@cache
def example_tabs() -> tuple[dict[str, str], ...]:
    """One tab per example operation, with its example variables (`<name>.variables.json`)."""
    tabs = []
    for path in sorted(OPERATIONS.glob("*.graphql")):
        variables = path.with_suffix(".variables.json")
        tabs.append(
            {
                "query": path.read_text(encoding="utf-8"),
                "variables": variables.read_text(encoding="utf-8") if variables.exists() else "",
            }
        )
    return tuple(tabs)


def page_texts() -> dict[str, str]:
    """What the page's own controls say, in the request's language."""
    return {
        "title": _("Tejido GraphQL"),
        "keyLabel": _("API key"),
        "keyPlaceholder": _("Paste your key (tjd_...)"),
        "keyHelp": _(
            "Sent only to this server, as the Authorization header of every request (the "
            "schema's too); forgotten when the page closes."
        ),
        "remember": _("Remember the key in this tab"),
        "rememberHelp": _(
            "Remembered, it stays in this tab's sessionStorage until the tab closes; anyone "
            "using this browser meanwhile could read it."
        ),
        "noKey": _("Paste an API key above: the schema and every query need one."),
        "loading": _("Loading GraphiQL…"),
    }


def render_page() -> str:
    texts = page_texts()
    config = {"endpoint": "/graphql", "texts": texts, "tabs": list(example_tabs())}
    return fill_page(STATIC / "page.html", texts, config=config)


class TejidoGraphQLRouter(GraphQLRouter[Any, Any]):
    """Strawberry's router with Tejido's own GraphiQL page instead of its CDN-loading one."""

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:  # noqa: ARG002
        return HTMLResponse(render_page(), headers=HEADERS)


@router.get(STATIC_PREFIX + "{path:path}", include_in_schema=False)
async def static_file(path: str) -> Response:
    """The page's script and styles, and the pinned React and GraphiQL; nothing else."""
    return page_static_file(STATIC, path, HEADERS)
