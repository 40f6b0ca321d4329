"""Every text a person reads, in Spanish and English, from gettext catalogs read with Babel.

Messages are written in English in the code and marked for extraction:

- `_("...")` translates now, into the language of the current request (or command);
- `N_("...")` only marks a message kept in a table (a reason's template) and
  `gettext(message, lang)` translates it later; `Nn_("...", "...")` marks one with a plural;
- `pgettext(context, code)` names what the model names (enum values, labels, relationship
  types, properties), extracted from the model itself: see `service/i18n/model_labels.py`.

Placeholders are `str.format` names (`{count}`), never positional, so translators may reorder
them. The catalogs are `locale/<lang>/LC_MESSAGES/tejido.po`, read as text at start (no compiled
`.mo` files to forget); `make i18n` extracts the messages and updates both catalogs, and
`tests/i18n/test_catalogs.py` fails when a message lacks a translation in either language.

Codes (GraphQL error codes, enum values, reason codes) stay English and stable; only what a person
reads is translated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from gettext import c2py
from pathlib import Path
from typing import Final

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

LANGUAGES: Final = ("es", "en")  # Spanish first: most of the people who read Tejido speak it
DOMAIN: Final = "tejido"
LOCALE_DIR: Final = Path(__file__).parent / "locale"

# The language of the request being served (the API's middleware sets it); else the process's
# default, which the CLI sets from TEJIDO_LANGUAGE or LANG (a module global, not the context
# variable's default: threads and event loops started later must see it too).
_current: ContextVar[str | None] = ContextVar("tejido_language", default=None)
_default = LANGUAGES[0]


def catalog_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def catalog(lang: str) -> Catalog:
    with catalog_path(lang).open("rb") as po:
        return read_po(po, locale=lang, domain=DOMAIN)


def current_language() -> str:
    return _current.get() or _default


def set_default_language(lang: str | None) -> str:
    """The language when no request says (TEJIDO_LANGUAGE, LANG); returns the one chosen."""
    global _default
    _default = supported(lang) or LANGUAGES[0]
    return _default


@contextmanager
def using(lang: str) -> Iterator[str]:
    """Serve one request or command in `lang` (already negotiated)."""
    token = _current.set(lang)
    try:
        yield lang
    finally:
        _current.reset(token)


def supported(lang: str | None) -> str | None:
    """`lang` reduced to a language Tejido speaks ("es-HN" -> "es"), or None."""
    if not lang:
        return None
    primary = lang.strip().replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else None


def negotiate(lang_param: str | None, accept_language: str | None, default: str) -> str:
    """The language of a request: an explicit `lang` first, then Accept-Language, then default."""
    chosen = supported(lang_param)
    if chosen:
        return chosen
    if accept_language:
        ranked = []
        for part in accept_language.split(","):
            tag, _sep, rest = part.strip().partition(";")
            weight = 1.0
            if rest.strip().startswith("q="):
                try:
                    weight = float(rest.strip()[2:])
                except ValueError:
                    weight = 0.0
            ranked.append((weight, tag))
        for weight, tag in sorted(ranked, key=lambda wt: -wt[0]):
            found = supported(tag) if weight > 0 else None
            if found:
                return found
    return supported(default) or LANGUAGES[0]


def gettext(message: str, lang: str | None = None, /, **params: object) -> str:
    """`message` in `lang` (default: the current language), with `params` filled in.

    A message with plural forms (marked with `Nn_`) kept or stored by its singular alone agrees
    with its `count` parameter here (a warning's stored template, a change's sentence)."""
    lang = lang or current_language()
    entry = catalog(lang).get(message)
    found = entry.string if entry is not None else None
    if isinstance(found, (tuple, list)):
        count = params.get("count")
        index = _plural_index(lang)(count) if isinstance(count, int) else 0
        found = found[index] if index < len(found) else found[0]
    text = str(found) if found else message
    return text.format(**params) if params else text


def pgettext(context: str, message: str, lang: str | None = None, /, **params: object) -> str:
    """`message` in `lang`, as meant in `context` (a code that means different things in
    different places: a `community` organization, a `community` territory)."""
    entry = catalog(lang or current_language()).get(message, context=context)
    found = entry.string if entry is not None else None
    text = str(found) if found and not isinstance(found, (tuple, list)) else message
    return text.format(**params) if params else text


def ngettext(
    singular: str, plural: str, count: int, lang: str | None = None, /, **params: object
) -> str:
    """The form of a message that agrees with `count` (`{count}` is filled in too)."""
    return ngettext_template(singular, plural, count, lang).format(count=count, **params)


def ngettext_template(singular: str, plural: str, count: int, lang: str | None = None) -> str:
    """The form that agrees with `count`, not filled in (for a caller that fills it itself)."""
    lang = lang or current_language()
    entry = catalog(lang).get(singular)
    forms = entry.string if entry is not None and isinstance(entry.string, tuple) else ()
    index = _plural_index(lang)(count)
    fallback = singular if count == 1 else plural
    return forms[index] if index < len(forms) and forms[index] else fallback


@cache
def _plural_index(lang: str) -> Callable[[int], int]:
    # The catalog's own Plural-Forms rule (Spanish has three forms in CLDR, English two).
    return c2py(catalog(lang).plural_expr)


def N_(message: str) -> str:
    """Mark `message` for extraction without translating it yet."""
    return message


def Nn_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a message with a plural form for extraction (`ngettext` translates it later). A
    template kept as one string keeps the singular, the catalog's key (`Nn_(one, many)[0]`):
    `gettext(singular, count=n)` then picks the form that agrees with `n`."""
    return singular, plural


_ = gettext
