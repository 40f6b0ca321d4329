"""One spreadsheet cell to one typed value, by the property's type in the model, and a value
back to the cell the interchange format writes for it."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from service.countries import is_country
from service.i18n import _
from service.model import Property

LIST_SEPARATOR = ";"
_TRUE = frozenset({"true", "yes", "1"})
_FALSE = frozenset({"false", "no", "0"})
_INT = re.compile(r"[+-]?\d+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class CellError(ValueError):
    """What is wrong with one cell, in words for the person who filled it in."""


def split_list(text: str) -> list[str]:
    return [item.strip() for item in text.split(LIST_SEPARATOR) if item.strip()]


def _bounded(prop: Property, number: float) -> None:
    if prop.minimum is not None and number < prop.minimum:
        raise CellError(
            _("{number} is below the minimum {minimum}", number=number, minimum=prop.minimum)
        )
    if prop.maximum is not None and number > prop.maximum:
        raise CellError(
            _("{number} is above the maximum {maximum}", number=number, maximum=prop.maximum)
        )


def _int(prop: Property, text: str) -> int:
    if not _INT.fullmatch(text):
        raise CellError(_("{text} is not a whole number", text=repr(text)))
    value = int(text)
    _bounded(prop, value)
    return value


def _float(prop: Property, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise CellError(
            _("{text} is not a number (use a dot for decimals)", text=repr(text))
        ) from None
    if not math.isfinite(value):
        raise CellError(_("{text} is not a finite number", text=repr(text)))
    _bounded(prop, value)
    return value


def _bool(_prop: Property, text: str) -> bool:
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise CellError(_("{text} is not true or false", text=repr(text)))


def _date(_prop: Property, text: str) -> str:
    # Dates stay ISO strings in the graph: both databases compare them correctly as text.
    if not _DATE.fullmatch(text):
        raise CellError(_("{text} is not a date as YYYY-MM-DD", text=repr(text)))
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise CellError(_("{text} is not a real date", text=repr(text))) from None
    return text


def _enum(prop: Property, text: str) -> str:
    if text not in prop.values:
        allowed = ", ".join(sorted(prop.values))
        raise CellError(_("{text} is not one of: {allowed}", text=repr(text), allowed=allowed))
    return text


def _enum_list(prop: Property, text: str) -> list[str]:
    return [_enum(prop, item) for item in split_list(text)]


def _country(_prop: Property, text: str) -> str:
    if not is_country(text):
        message = _("'{text}' is not a country code (ISO 3166-1 alpha-2, such as HN)", text=text)
        raise CellError(message)
    return text


_PARSERS: dict[str, Any] = {
    "str": lambda _, text: text,
    "int": _int,
    "float": _float,
    "bool": _bool,
    "date": _date,
    "list": lambda _, text: split_list(text),
    "enum": _enum,
    "enum_list": _enum_list,
    "country": _country,
}


def parse_cell(prop: Property, text: str) -> Any:
    """The typed value of a non-empty cell; raises CellError saying what is wrong."""
    return _PARSERS[prop.type](prop, text.strip())


def format_cell(value: object) -> str:
    """A value as the interchange format writes it: nothing as an empty cell, lists joined by
    ';', ISO dates, true/false. What edits, mappings and the generator write, so that
    parse_cell reads back what was meant."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(format_cell(v) for v in value)
    return str(value)
