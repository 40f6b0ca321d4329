"""Labels, in the reader's language, for what the model names: enum values, node labels,
relationship types and property names. Codes stay as they are in the data and the API; only
what a page shows is translated.

The messages come from the model itself: `make i18n` extracts one entry per enum value, label,
relationship type and property of service/model/schema.yaml (`extract_model`, wired in
babel.cfg), with a context saying which (`enum sector`, `label`, `relationship`, `property`),
so a new value without a label in both catalogs fails tests/i18n/test_catalogs.py. Countries
are the exception: their names come from CLDR (through Babel), in every language.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from typing import IO, Any

import yaml

from service.countries import CODES as COUNTRY_CODES
from service.countries import country_name
from service.i18n import current_language, gettext, pgettext
from service.model import Model, load_model


def enum_context(enum: str) -> str:
    return f"enum {enum}"


def enum_label(enum: str, value: str, lang: str | None = None) -> str:
    """A value of one of the model's enums, as a person reads it."""
    return pgettext(enum_context(enum), value, lang or current_language())


def label_name(label: str, lang: str | None = None) -> str:
    return pgettext("label", label, lang)


def names_no(target: str, label: str) -> str:
    """The message for an id that names no record of `label`, the label as a person reads it
    (ingest, keys, embed tokens and exports say it alike)."""
    return gettext("{target} names no {wanted}", target=repr(target), wanted=label_name(label))


def relationship_name(type_: str, lang: str | None = None) -> str:
    return pgettext("relationship", type_, lang)


def readable(params: Mapping[str, object], lang: str | None = None) -> dict[str, object]:
    """A sentence's parameters as a person reads them: a relationship type (`type`) and a kind
    (`kind`: an actor's, an incident's ...) by their labels, never their codes. Every sentence
    renderer fills its template through this."""
    shown = dict(params)
    if isinstance(shown.get("type"), str):
        shown["type"] = relationship_name(str(shown["type"]), lang)
    if isinstance(shown.get("kind"), str):
        kinds = _page_labels(lang or current_language())["values"].get("kind", {})
        shown["kind"] = kinds.get(shown["kind"], shown["kind"])
    return shown


def property_name(name: str, lang: str | None = None) -> str:
    return pgettext("property", name, lang)


@cache
def property_enums() -> dict[str, tuple[str, ...]]:
    """Property name -> the enums its values come from, over every label and relationship.

    A property keeps only the union of its enums' values, so its enums are those whose values
    it holds entirely (a kind is a state, non-state, organization, ... kind)."""
    model = load_model()
    properties = [
        *(p for label in model.labels.values() for p in label.properties.values()),
        *(p for rel in model.relationship_types.values() for p in rel.properties.values()),
        *model.relationship_common.values(),
    ]
    found: dict[str, set[str]] = {}
    for prop in properties:
        if not prop.values:
            continue
        found.setdefault(prop.name, set()).update(
            name for name, values in model.enums.items() if values <= prop.values
        )
    return {name: tuple(sorted(enums)) for name, enums in found.items()}


def page_labels(lang: str | None = None) -> dict[str, Any]:
    """Everything a graph page needs to name what the model names, in `lang`: labels,
    relationship types, property names and, per property, its values."""
    return _page_labels(lang or current_language())


@cache  # one per language: the model and the catalogs are read once per process
def _page_labels(lang: str) -> dict[str, Any]:
    model = load_model()
    properties = {
        *(p for label in model.labels.values() for p in label.properties),
        *(p for rel in model.relationship_types.values() for p in rel.properties),
        *model.relationship_common,
    }
    return {
        "labels": {name: label_name(name, lang) for name in model.labels},
        "relationships": {name: relationship_name(name, lang) for name in model.relationship_types},
        "properties": {name: property_name(name, lang) for name in sorted(properties)},
        "values": {
            prop: {
                value: enum_label(enum, value, lang)
                for enum in enums
                for value in sorted(model.enums[enum])
            }
            for prop, enums in property_enums().items()
        }
        # Countries are any ISO 3166-1 code, named by CLDR (service/countries.py), not catalogs.
        | {
            prop: {code: country_name(code, lang) for code in sorted(COUNTRY_CODES)}
            for prop in country_properties(model)
        },
    }


def country_properties(model: Model) -> set[str]:
    return {
        name
        for label in model.labels.values()
        for name, prop in label.properties.items()
        if prop.type == "country"
    }


def extract_model(
    fileobj: IO[bytes], keywords: object, comment_tags: object, options: object
) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    """Babel extractor for schema.yaml: one message per enum value, label, relationship type
    and property (babel.cfg names it; `make i18n` runs it)."""
    del keywords, comment_tags, options  # Babel's extractor signature; nothing to configure
    text = fileobj.read().decode("utf-8")
    raw = yaml.safe_load(text)
    lines = text.splitlines()

    def line_of(word: str) -> int:
        return next((n for n, line in enumerate(lines, 1) if word in line), 0)

    for enum, values in raw["enums"].items():
        for value in values:
            yield line_of(f"{enum}:"), "pgettext", (enum_context(enum), str(value)), []
    properties = {*raw["common_node"], *raw["common_relationship"]}
    for label, spec in raw["labels"].items():
        yield line_of(f"  {label}:"), "pgettext", ("label", label), []
        properties.update(spec.get("properties") or {})
    for type_, spec in raw["relationships"]["types"].items():
        yield line_of(f"    {type_}:"), "pgettext", ("relationship", type_), []
        properties.update(spec.get("properties") or {})
    for name in sorted(properties):
        yield 0, "pgettext", ("property", name), []
