"""Countries as ISO 3166-1 alpha-2 codes (`HN`): which codes the standard assigns, from the
pycountry library (the ISO 3166 maintenance agency's list), and their names in Spanish and
English, from Babel's CLDR territory names (what the rest of the interface uses). No hand list:
a table that covers any country of the world loads, and a typo is an error."""

from __future__ import annotations

from functools import cache

import pycountry
from babel import Locale

from service.i18n import LANGUAGES
from service.text import fold

CODES: frozenset[str] = frozenset(country.alpha_2 for country in pycountry.countries)


def is_country(code: str) -> bool:
    return code in CODES


def country_name(code: str, lang: str) -> str:
    """The country's name in `lang` ("Honduras", "Costa de Marfil"); the code if unknown."""
    return str(Locale.parse(lang).territories.get(code, code))


def country_code(text: str) -> str | None:
    """The code of a country given by its code or by a name in Spanish or English, whatever
    the case and accents ("hn", "Perú", "Cote d'Ivoire", "Bolivia"); None if no country."""
    text = text.strip()
    if text.upper() in CODES:
        return text.upper()
    return _codes_by_name().get(_key(text))


def _key(name: str) -> str:
    # Apostrophes vary (typographic or straight), spacing too, and an article may lead.
    words = fold(name).replace("\u2019", "'").split()
    return " ".join(words[1:] if words[:1] == ["the"] else words)


def _spellings(country: object) -> list[str]:
    # ISO's list inverts some names ("Congo, The Democratic Republic of the"): read both ways.
    listed = [getattr(country, key, "") for key in ("name", "common_name", "official_name")]
    inverted = [" ".join(reversed(n.split(", ", 1))) for n in listed if ", " in n]
    return [*listed, *inverted]


@cache
def _codes_by_name() -> dict[str, str]:
    names: dict[str, str] = {}
    for country in pycountry.countries:
        spellings = _spellings(country)
        spellings += [country_name(country.alpha_2, lang) for lang in LANGUAGES]
        for spelling in filter(None, spellings):
            names.setdefault(_key(spelling), country.alpha_2)
    return names
