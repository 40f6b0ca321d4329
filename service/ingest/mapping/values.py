"""Values of a mapping: templates, value-map entries, hash codes, and cells made to fit a
property of the model."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, lru_cache

from service.countries import country_code
from service.i18n import _
from service.ingest.cells import LIST_SEPARATOR, CellError, format_cell, parse_cell
from service.model import Property
from service.text import fold

ISO_DATE = ("%Y-%m-%d",)
# Between hashed values: a character no spreadsheet cell holds, so ("a b", "c") and ("a", "b c")
# never hash alike.
_UNIT_SEPARATOR = "\x1f"
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")

MapValue = str | bool | int | float | list[str]
MapEntry = MapValue | dict[str, MapValue]
Constant = str | bool | int | float | date | list[str]


@dataclass(frozen=True)
class Placeholder:
    column: str
    map: str | None = None
    field: str | None = None


@cache
def parse_template(template: str) -> tuple[str | Placeholder, ...]:
    """`"{Region} ({Country|countries})"` as literal text and placeholders."""
    parts: list[str | Placeholder] = []
    last = 0
    for match in _PLACEHOLDER.finditer(template):
        parts.append(_literal(template[last : match.start()]))
        parts.append(_placeholder(match.group(1)))
        last = match.end()
    parts.append(_literal(template[last:]))
    return tuple(p for p in parts if p != "")


def _literal(text: str) -> str:
    if "{" in text or "}" in text:
        raise ValueError(_("a brace that opens or closes no {Column} placeholder"))
    return text


def _placeholder(inner: str) -> Placeholder:
    column, _sep, mapped = inner.partition("|")
    if not column.strip():
        raise ValueError(_("an empty {} placeholder"))
    map_name, _dot, field_name = mapped.partition(".")
    return Placeholder(column.strip(), map_name.strip() or None, field_name.strip() or None)


def list_items(
    parts: tuple[str | Placeholder, ...],
) -> list[tuple[str | Placeholder, ...]]:
    """A template for a list property as one template per item, split at the `;` of its
    literal text: `"{Gender|genders};{People|peoples}"` is two items, each filled (or left
    out, when one of its placeholders is empty) on its own."""
    items: list[list[str | Placeholder]] = [[]]
    for part in parts:
        if isinstance(part, Placeholder):
            items[-1].append(part)
            continue
        for i, piece in enumerate(part.split(LIST_SEPARATOR)):
            if i:
                items.append([])
            if piece.strip():
                items[-1].append(piece)
    return [tuple(item) for item in items if item]


def pick(entry: MapEntry | None, field_name: str | None) -> MapValue | None:
    """An entry of a value map, or one field of it; a field the entry lacks is not known."""
    if isinstance(entry, dict):
        return entry.get(field_name or "")
    return entry


def conform(text: str, prop: Property, formats: list[str] | None) -> str:
    """`text` as the interchange cell for `prop`: dates made ISO, booleans true/false.

    Raises CellError saying what is wrong.
    """
    if prop.type == "date":
        text = _parse_date(text, formats or list(ISO_DATE))
    if prop.type == "country":
        # A table names countries as people write them; the model keeps the ISO code.
        code = country_code(text)
        if code is None:
            message = _(
                "'{text}' is not a country: give its code (HN) or its name in Spanish or English",
                text=text,
            )
            raise CellError(message)
        text = code
    value: Constant = parse_cell(prop, text)
    return format_cell(value)


def _parse_date(text: str, formats: list[str]) -> str:
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError as exc:
            # The text has the format's shape, but the day does not exist (30 February).
            if "out of range" in str(exc):
                raise CellError(_("'{text}' is not a real date", text=text)) from None
    raise CellError(
        _(
            "'{text}' is a date in none of the formats {formats}",
            text=text,
            formats=", ".join(formats),
        )
    )


def hash_code(values: list[str], salt: str, length: int) -> str:
    """The first `length` hex digits of SHA-1 over the normalized values (and salt, if any)."""
    parts = [normalize(v) for v in values]
    joined = _UNIT_SEPARATOR.join([salt, *parts] if salt else parts)
    # SHA-1 names records, it guards no secret: collisions are what matter, not preimages.
    return hashlib.sha1(joined.encode("utf-8"), usedforsecurity=False).hexdigest()[:length]


@lru_cache(maxsize=1 << 16)  # a table repeats its words: countries, kinds, regions
def normalize(text: str) -> str:
    """Lower case, accents stripped, runs of whitespace made one space: how keys are compared."""
    return " ".join(fold(text).split())
