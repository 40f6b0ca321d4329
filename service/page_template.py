"""The HTML pages Tejido serves (the embed page, GraphiQL) are templates: `${name}` for each of
their texts, in the request's language, `${lang}` for the page's language, and JSON blocks
(`<script type="application/json">`) for what their scripts read. Their CSP runs no inline
script, and a JSON block is data, not script."""

from __future__ import annotations

import json
from collections.abc import Mapping
from html import escape
from pathlib import Path
from string import Template
from typing import Any

from fastapi.responses import FileResponse, JSONResponse, Response

from service.i18n import _, current_language


def json_for_script(value: Any) -> str:
    # Inside <script type="application/json">, "</" would end the element early.
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def fill_page(template: Path, texts: dict[str, str], **blocks: Any) -> str:
    """`template` with its texts (escaped), `${lang}` and its JSON `blocks` filled in, in one
    pass: what goes in is never read again for placeholders (GraphQL queries hold `$names`)."""
    return Template(template.read_text(encoding="utf-8")).substitute(
        lang=current_language(),
        **{name: escape(text) for name, text in texts.items()},
        **{name: json_for_script(value) for name, value in blocks.items()},
    )


def static_file(root: Path, path: str, headers: Mapping[str, str]) -> Response:
    """One of a page's own files under `root` (its script, styles, pinned libraries), or a 404
    with a JSON error: nothing outside `root`, and never a template (pages are served filled)."""
    try:
        wanted = (root / path).resolve()
        found = wanted.is_relative_to(root.resolve()) and wanted.is_file()
    except (ValueError, OSError):  # a NUL byte or a name too long: no such file either
        found = False
    if not found or wanted.suffix == ".html":
        return JSONResponse({"error": _("no such file")}, status_code=404, headers=dict(headers))
    return FileResponse(wanted, headers=dict(headers))
