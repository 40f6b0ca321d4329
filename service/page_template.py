"""The HTML pages Tejido serves (the embed page, GraphiQL) are templates: `${name}` for each of
their texts, in the request's language, `${lang}` for the page's language, and JSON blocks
(`<script type="application/json">`) for what their scripts read. Their CSP runs no inline
script, and a JSON block is data, not script."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from string import Template
from typing import Any

from service.i18n import current_language


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
