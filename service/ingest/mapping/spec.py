"""The mapping file's shape (docs/mapping.md), as pydantic models: what each key may hold.
Unknown keys are refused; what the shape cannot say, check.py checks against the model."""

from __future__ import annotations

import codecs
from typing import Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)

from service.i18n import _
from service.ingest.mapping.values import (
    Constant,
    MapEntry,
    Placeholder,
    normalize,
    parse_template,
)

_STAMPS = ("tlp", "owner", "shared_with", "sources")
# Columns a node or relationship spec sets itself, never under `properties`.
SET_BY_SPEC = frozenset({"id", "type", "from_id", "to_id", *_STAMPS})
_SOURCES = ("column", "constant", "template", "from", "ref", "coalesce")


class _Strict(BaseModel):
    # Unknown keys are errors: in a hand-written YAML file they are nearly always typos.
    model_config = ConfigDict(extra="forbid", frozen=True)


def _as_list(value: object) -> object:
    # `sources: src-1` is short for `sources: [src-1]`.
    return [value] if isinstance(value, str) else value


def _as_value_spec(value: object) -> object:
    # `description: Description` is short for `description: {column: Description}`.
    return {"column": value} if isinstance(value, str) else value


class ValueSpec(_Strict):
    """Where one value comes from: exactly one of `column`, `constant`, `template`, `from`,
    `ref` or `coalesce` (the first of several values that is not empty).

    `from` makes a hash code (`prefix` + the first `length` hex digits of a SHA-1 of the
    normalized values); `map` and `field` pass a column through a value map; `formats` are the
    strptime formats a date is tried with, in order.
    """

    column: str | None = None
    constant: Constant | None = None
    template: str | None = None
    from_: list[str] | None = Field(default=None, alias="from")
    ref: str | None = None
    coalesce: list[ValueSpec] | None = None
    prefix: str = ""
    length: int = Field(default=12, ge=4, le=40)
    map: str | None = None
    field: str | None = None
    formats: list[str] | None = None
    required: bool = False

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        given = [name for name in _SOURCES if self._given(name) is not None]
        if len(given) != 1:
            found = f" (found {', '.join(given)})" if given else ""
            raise ValueError(
                _("give exactly one of {sources}{found}", sources=", ".join(_SOURCES), found=found)
            )
        if self.from_ is None and self.model_fields_set & {"prefix", "length"}:
            raise ValueError(_("prefix and length go with from"))
        if self.from_ == []:
            raise ValueError(_("from needs at least one column"))
        if self.coalesce is not None and len(self.coalesce) < 2:
            raise ValueError(_("coalesce needs at least two values to choose from"))
        if self.map is not None and self.column is None:
            raise ValueError(_("map works on a column; in a template write {Column|map.field}"))
        if self.field is not None and self.map is None:
            raise ValueError(_("field needs map"))
        if self.formats is not None and not (self.column or self.template or self.coalesce):
            raise ValueError(_("formats parse a column, a template or a coalesce"))
        return self

    @field_validator("coalesce", mode="before")
    @classmethod
    def _short_items(cls, value: object) -> object:
        # `coalesce: [Region, Country]` is short for a list of {column: ...}.
        return [_as_value_spec(v) for v in value] if isinstance(value, list) else value

    def _given(self, name: str) -> object:
        return self.from_ if name == "from" else getattr(self, name)

    def columns(self) -> list[str]:
        """The table columns this value is made from, in order."""
        if self.column is not None:
            return [self.column]
        if self.template is not None:
            return [p.column for p in parse_template(self.template) if isinstance(p, Placeholder)]
        if self.coalesce is not None:
            return [c for item in self.coalesce for c in item.columns()]
        return list(self.from_ or [])

    def raw_columns(self) -> list[str]:
        """The columns whose text reaches the value as it is: not hashed, not value-mapped."""
        if self.column is not None and self.map is None:
            return [self.column]
        if self.template is not None:
            parts = parse_template(self.template)
            return [p.column for p in parts if isinstance(p, Placeholder) and p.map is None]
        if self.coalesce is not None:
            return [c for item in self.coalesce for c in item.raw_columns()]
        return []


def _as_value_specs(value: object) -> object:
    if isinstance(value, dict):
        return {k: _as_value_spec(v) for k, v in value.items()}
    return value


class Where(_Strict):
    """Which rows a spec applies to: every condition must hold (case/accent-insensitive)."""

    empty: list[str] = []
    not_empty: list[str] = []
    one_of: dict[str, list[str]] = {}
    not_in: dict[str, list[str]] = {}

    def columns(self) -> list[str]:
        return [*self.empty, *self.not_empty, *self.one_of, *self.not_in]


class _Overrides(_Strict):
    tlp: str | None = None
    owner: str | None = None
    shared_with: list[str] | None = None
    sources: list[str] | None = None

    @field_validator("shared_with", "sources", mode="before")
    @classmethod
    def _lists(cls, value: object) -> object:
        return _as_list(value)


class NodeSpec(_Overrides):
    """One node to make from each row that passes `where`; `as` names it within the row."""

    label: str
    as_: str = Field(alias="as")
    id: ValueSpec
    where: Where = Field(default_factory=Where)
    properties: dict[str, ValueSpec] = {}

    @field_validator("id", mode="before")
    @classmethod
    def _short_id(cls, value: object) -> object:
        return _as_value_spec(value)

    @field_validator("properties", mode="before")
    @classmethod
    def _short_properties(cls, value: object) -> object:
        return _as_value_specs(value)


class RelationshipSpec(_Overrides):
    """A relationship between two nodes made from the same row.

    Its id is `<from id>:<TYPE>:<to id>`, followed by `:<value>` for each property in `id_with`
    (so that, say, one actor's interests in two resources of a territory stay two relationships).
    """

    type: str
    from_: str = Field(alias="from")
    to: str
    where: Where = Field(default_factory=Where)
    properties: dict[str, ValueSpec] = {}
    id_with: list[str] = []

    @field_validator("properties", mode="before")
    @classmethod
    def _short_properties(cls, value: object) -> object:
        return _as_value_specs(value)


class ValueMap(_Strict):
    """Source values to model values; keys match case-, accent- and spacing-insensitively.

    Entries are all single values (or lists) or all records of named fields. A value with no
    entry gets `default`; without a `default` the map is strict and the row is a problem.
    """

    values: dict[str, MapEntry]
    default: MapEntry | None = None
    _lookup: dict[str, MapEntry] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _index(self) -> Self:
        entries = [*self.values.values(), *([] if self.default is None else [self.default])]
        if len({isinstance(e, dict) for e in entries}) > 1:
            raise ValueError(_("entries must be all single values or all records of fields"))
        for key, entry in self.values.items():
            normalized = normalize(key)
            if normalized in self._lookup:
                raise ValueError(
                    _("'{key}' is the same key as another one once normalized", key=key)
                )
            self._lookup[normalized] = entry
        return self

    @property
    def has_fields(self) -> bool:
        return any(isinstance(e, dict) for e in self.values.values())

    def fields(self) -> set[str]:
        return {name for e in self.values.values() if isinstance(e, dict) for name in e}

    def lookup(self, raw: str) -> MapEntry | None:
        return self._lookup.get(normalize(raw), self.default)


class TableOptions(_Strict):
    """How to read the table: CSV encoding and delimiter, or the sheet of a workbook."""

    encoding: str = "utf-8-sig"
    delimiter: str = Field(default=",", min_length=1, max_length=1)
    sheet: str | None = None

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, value: str) -> str:
        try:
            codecs.lookup(value)
        except LookupError:
            raise ValueError(_("unknown encoding '{value}'", value=value)) from None
        return value


class DeclaredOwner(_Strict):
    """The organization that owns what the mapping makes, declared in the mapping itself: the
    load makes (or updates) it, so a list can be imported into an empty graph."""

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    kind: str
    country: str | None = None


class Mapping(_Strict):
    """A whole mapping file: the markings stamped on everything, value maps and specs."""

    tlp: str
    owner: str | DeclaredOwner
    shared_with: list[str] = []
    sources: list[str] = []
    salt: str = ""
    table: TableOptions = Field(default_factory=TableOptions)
    value_maps: dict[str, ValueMap] = {}
    nodes: list[NodeSpec] = Field(min_length=1)
    relationships: list[RelationshipSpec] = []

    @field_validator("shared_with", "sources", mode="before")
    @classmethod
    def _lists(cls, value: object) -> object:
        return _as_list(value)

    @field_validator("owner")
    @classmethod
    def _owner_named(cls, value: str | DeclaredOwner) -> str | DeclaredOwner:
        if isinstance(value, str) and not value.strip():
            raise ValueError(_("give the owner organization's id"))
        return value

    @property
    def owner_id(self) -> str:
        return self.owner if isinstance(self.owner, str) else self.owner.id

    def columns(self) -> list[str]:
        """Every table column the mapping reads, each once, in order of first use."""
        specs: list[NodeSpec | RelationshipSpec] = [*self.nodes, *self.relationships]
        used: list[str] = []
        for spec in specs:
            used += spec.where.columns()
            values = [*spec.properties.values(), *([spec.id] if isinstance(spec, NodeSpec) else [])]
            for value in values:
                used += value.columns()
        return list(dict.fromkeys(used))
