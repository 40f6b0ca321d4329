"""Third-party tables into interchange-format tables, as a YAML mapping declares (docs/mapping.md).

`read_mapping` reads a mapping and checks it against the model before any row is read, so a typo
fails at once with its YAML path; `read_table` reads the table as text; `apply_mapping` turns
each row into nodes and relationships. Validating and writing the result is the loader's job.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Self

import pandas as pd
import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails

from service.ingest.cells import LIST_SEPARATOR, CellError, parse_cell
from service.model import Label, Model, Property, load_model
from service.text import fold

_STAMPS = ("tlp", "owner", "shared_with", "sources")
_SET_BY_SPEC = frozenset({"id", "type", "from_id", "to_id", *_STAMPS})
_SOURCES = ("column", "constant", "template", "from", "ref")
_ISO_DATE = ("%Y-%m-%d",)
# Between hashed values: a character no spreadsheet cell holds, so ("a b", "c") and ("a", "b c")
# never hash alike.
_UNIT_SEPARATOR = "\x1f"
_EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm"})
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_FIRST_DATA_LINE = 2  # a spreadsheet numbers the header line 1

MapValue = str | bool | int | float | list[str]
MapEntry = MapValue | dict[str, MapValue]
Constant = str | bool | int | float | date | list[str]


class MappingError(ValueError):
    """A mapping that cannot be used. `where` is the YAML path of the problem ("" if none)."""

    def __init__(self, file: str, where: str, message: str) -> None:
        self.file = file
        self.where = where
        self.message = message
        super().__init__(f"{file}: {where}: {message}" if where else f"{file}: {message}")


class TableError(MappingError):
    """A table that cannot be read as its mapping says; `file` is the table, `where` is ""."""

    def __init__(self, file: str, message: str) -> None:
        super().__init__(file, "", message)


@dataclass(frozen=True)
class RowProblem:
    """A row that could not be converted: `line` as a spreadsheet numbers it (header = 1)."""

    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.message}"


# -- the mapping file ---------------------------------------------------------------------------


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
    """Where one value comes from: exactly one of `column`, `constant`, `template`, `from`, `ref`.

    `from` makes a hash code (`prefix` + the first `length` hex digits of a SHA-1 of the
    normalized values); `map` and `field` pass a column through a value map; `formats` are the
    strptime formats a date is tried with, in order.
    """

    column: str | None = None
    constant: Constant | None = None
    template: str | None = None
    from_: list[str] | None = Field(default=None, alias="from")
    ref: str | None = None
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
            raise ValueError(f"give exactly one of {', '.join(_SOURCES)}{found}")
        if self.from_ is None and self.model_fields_set & {"prefix", "length"}:
            raise ValueError("prefix and length go with from")
        if self.from_ == []:
            raise ValueError("from needs at least one column")
        if self.map is not None and self.column is None:
            raise ValueError("map works on a column; in a template write {Column|map.field}")
        if self.field is not None and self.map is None:
            raise ValueError("field needs map")
        if self.formats is not None and self.column is None and self.template is None:
            raise ValueError("formats parse a column or a template")
        return self

    def _given(self, name: str) -> object:
        return self.from_ if name == "from" else getattr(self, name)

    def columns(self) -> list[str]:
        """The table columns this value is made from, in order."""
        if self.column is not None:
            return [self.column]
        if self.template is not None:
            return [p.column for p in _parse_template(self.template) if isinstance(p, _Placeholder)]
        return list(self.from_ or [])

    def raw_columns(self) -> list[str]:
        """The columns whose text reaches the value as it is: not hashed, not value-mapped."""
        if self.column is not None and self.map is None:
            return [self.column]
        if self.template is not None:
            parts = _parse_template(self.template)
            return [p.column for p in parts if isinstance(p, _Placeholder) and p.map is None]
        return []


def _as_value_specs(value: object) -> object:
    if isinstance(value, dict):
        return {k: _as_value_spec(v) for k, v in value.items()}
    return value


class Where(_Strict):
    """Which rows a spec applies to: every condition must hold (case/accent-insensitive)."""

    not_empty: list[str] = []
    one_of: dict[str, list[str]] = {}
    not_in: dict[str, list[str]] = {}

    def columns(self) -> list[str]:
        return [*self.not_empty, *self.one_of, *self.not_in]


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
            raise ValueError("entries must be all single values or all records of fields")
        for key, entry in self.values.items():
            normalized = _normalize(key)
            if normalized in self._lookup:
                raise ValueError(f"'{key}' is the same key as another one once normalized")
            self._lookup[normalized] = entry
        return self

    @property
    def has_fields(self) -> bool:
        return any(isinstance(e, dict) for e in self.values.values())

    def fields(self) -> set[str]:
        return {name for e in self.values.values() if isinstance(e, dict) for name in e}

    def lookup(self, raw: str) -> MapEntry | None:
        return self._lookup.get(_normalize(raw), self.default)


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
            raise ValueError(f"unknown encoding '{value}'") from None
        return value


class Mapping(_Strict):
    """A whole mapping file: the markings stamped on everything, value maps and specs."""

    tlp: str
    owner: str = Field(min_length=1)
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


def _normalize(text: str) -> str:
    """Lower case, accents stripped, runs of whitespace made one space: how keys are compared."""
    return " ".join(fold(text).split())


def read_mapping(path: Path) -> Mapping:
    """The mapping in `path`, checked against the model; raises MappingError naming the place."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise MappingError(path.name, "", f"cannot read it: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise MappingError(path.name, _yaml_position(exc), f"not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise MappingError(path.name, "", "expected keys (tlp, owner, nodes, ...) at the top")
    try:
        mapping = Mapping.model_validate(data)
    except ValidationError as exc:
        raise _validation_error(path.name, exc, data) from exc
    try:
        _Checker(mapping, load_model()).check()
    except _Invalid as exc:
        raise MappingError(path.name, exc.where, exc.message) from exc
    return mapping


def _yaml_position(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    return f"line {mark.line + 1}" if mark is not None else ""


def _validation_error(file: str, exc: ValidationError, data: object) -> MappingError:
    error = exc.errors()[0]
    where = _yaml_path(error["loc"], data, keep_last=error["type"] == "missing")
    return MappingError(file, where, _pydantic_message(error))


def _yaml_path(loc: tuple[int | str, ...], data: object, keep_last: bool) -> str:
    # pydantic's loc also holds the names of union members ("str", "list[str]"...): follow it
    # only as far as it walks the YAML itself.
    path = ""
    node = data
    for i, key in enumerate(loc):
        found, name, child = _child(node, key)
        if not found and not (keep_last and i == len(loc) - 1):
            break
        path += f"[{name}]" if isinstance(node, list) else f".{name}"
        node = child
    return path.lstrip(".")


def _child(node: object, key: int | str) -> tuple[bool, object, object]:
    # The key as the YAML wrote it: pydantic reports an unquoted `yes:` key as 1.
    if isinstance(node, dict):
        name = next((k for k in node if k == key), key)
        return key in node, name, node.get(key)
    if isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
        return True, key, node[key]
    return False, key, None


def _pydantic_message(error: ErrorDetails) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return "missing"
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    if kind == "string_type" and isinstance(error["input"], bool):
        return f"{error['msg']} (YAML reads yes, no, on, off as true or false: quote it)"
    return error["msg"]


class _Invalid(Exception):
    def __init__(self, where: str, message: str) -> None:
        super().__init__(message)
        self.where = where
        self.message = message


class _Checker:
    """What pydantic cannot see: the mapping against the model and against itself."""

    def __init__(self, mapping: Mapping, model: Model) -> None:
        self.mapping = mapping
        self.model = model
        self.labels: dict[str, str] = {}  # node spec name (`as`) -> label

    def check(self) -> None:
        self._check_tlp(self.mapping.tlp, "tlp")
        for i, spec in enumerate(self.mapping.nodes):
            self._name_node(spec, f"nodes[{i}]")
        for i, spec in enumerate(self.mapping.nodes):
            self._check_node(spec, f"nodes[{i}]")
        for i, rel in enumerate(self.mapping.relationships):
            self._check_relationship(rel, f"relationships[{i}]")
        self._check_sensitive_columns()

    def _check_tlp(self, tlp: str | None, where: str) -> None:
        if tlp is not None and tlp not in self.model.enums["tlp"]:
            raise _Invalid(
                where, f"'{tlp}' is not one of {', '.join(sorted(self.model.enums['tlp']))}"
            )

    def _name_node(self, spec: NodeSpec, path: str) -> None:
        if spec.label not in self.model.labels:
            raise _Invalid(f"{path}.label", f"unknown label '{spec.label}'")
        if spec.as_ in self.labels:
            raise _Invalid(f"{path}.as", f"'{spec.as_}' names another node spec already")
        self.labels[spec.as_] = spec.label

    def _check_node(self, spec: NodeSpec, path: str) -> None:
        self._check_tlp(spec.tlp, f"{path}.tlp")
        label = self.model.labels[spec.label]
        if spec.id.ref is not None:
            raise _Invalid(f"{path}.id", "an id cannot be a ref")
        self._check_value(spec.id, label.properties["id"], f"{path}.id")
        self._check_properties(spec.properties, label.properties, spec.label, f"{path}.properties")
        missing = [
            name
            for name, prop in label.properties.items()
            if prop.required and name not in _SET_BY_SPEC and name not in spec.properties
        ]
        if missing:
            raise _Invalid(f"{path}.properties", f"{spec.label} needs {', '.join(missing)}")

    def _check_properties(
        self, specs: dict[str, ValueSpec], props: dict[str, Property], owner: str, path: str
    ) -> None:
        for name, value in specs.items():
            where = f"{path}.{name}"
            if name in _SET_BY_SPEC:
                raise _Invalid(where, f"'{name}' is set by the spec itself, not under properties")
            if name not in props:
                raise _Invalid(where, f"{owner} has no property '{name}'")
            self._check_value(value, props[name], where)

    def _check_value(self, spec: ValueSpec, prop: Property, path: str) -> None:
        if spec.constant is not None:
            self._check_constant(spec.constant, prop, spec.required, f"{path}.constant")
        if spec.map is not None:
            self._check_map(spec.map, spec.field, path)
            self._check_map_values(spec.map, spec.field, prop, path)
        if spec.template is not None:
            self._check_template(spec.template, f"{path}.template")
        if spec.ref is not None:
            self._check_ref(spec.ref, prop, path)
        if spec.formats is not None and prop.type != "date":
            raise _Invalid(f"{path}.formats", f"'{prop.name}' is not a date")

    def _check_constant(
        self, constant: Constant, prop: Property, required: bool, path: str
    ) -> None:
        text = _format_value(constant)
        if not text and (prop.required or required):
            raise _Invalid(path, f"'{prop.name}' is required; an empty constant cannot give it")
        if text:
            try:
                _conform(text, prop, None)
            except CellError as exc:
                raise _Invalid(path, str(exc)) from exc

    def _check_map(self, name: str, field_name: str | None, path: str) -> None:
        vmap = self.mapping.value_maps.get(name)
        if vmap is None:
            raise _Invalid(path, f"unknown value map '{name}'")
        if vmap.has_fields and field_name is None:
            fields = ", ".join(sorted(vmap.fields()))
            raise _Invalid(
                path, f"value map '{name}' gives records ({fields}): name one with field"
            )
        if not vmap.has_fields and field_name is not None:
            raise _Invalid(path, f"value map '{name}' gives single values, not fields")
        if field_name is not None and field_name not in vmap.fields():
            raise _Invalid(path, f"value map '{name}' has no field '{field_name}'")

    def _check_map_values(
        self, name: str, field_name: str | None, prop: Property, path: str
    ) -> None:
        vmap = self.mapping.value_maps[name]
        entries = dict(vmap.values)
        if vmap.default is not None:
            entries["default"] = vmap.default
        for key, entry in entries.items():
            text = _format_value(_pick(entry, field_name))
            if not text:
                continue
            try:
                _conform(text, prop, None)
            except CellError as exc:
                raise _Invalid(path, f"value map '{name}', entry '{key}': {exc}") from exc

    def _check_template(self, template: str, path: str) -> None:
        try:
            parts = _parse_template(template)
        except ValueError as exc:
            raise _Invalid(path, str(exc)) from exc
        for part in parts:
            if isinstance(part, _Placeholder) and part.map is not None:
                self._check_map(part.map, part.field, path)

    def _check_ref(self, ref: str, prop: Property, path: str) -> None:
        target = self.labels.get(ref)
        if target is None:
            raise _Invalid(f"{path}.ref", f"no node spec is named '{ref}'")
        if prop.ref is None:
            raise _Invalid(f"{path}.ref", f"'{prop.name}' does not name a record")
        if target != prop.ref:
            raise _Invalid(
                f"{path}.ref", f"'{prop.name}' names a {prop.ref}; '{ref}' is a {target}"
            )

    def _check_relationship(self, rel: RelationshipSpec, path: str) -> None:
        self._check_tlp(rel.tlp, f"{path}.tlp")
        kind = self.model.relationship_types.get(rel.type)
        if kind is None:
            raise _Invalid(f"{path}.type", f"unknown relationship type '{rel.type}'")
        ends = (("from", rel.from_, kind.from_labels), ("to", rel.to, kind.to_labels))
        for end, name, allowed in ends:
            label = self.labels.get(name)
            if label is None:
                raise _Invalid(f"{path}.{end}", f"no node spec is named '{name}'")
            if label not in allowed:
                wanted = " or ".join(sorted(allowed))
                raise _Invalid(f"{path}.{end}", f"{rel.type} {end} must be a {wanted}, not {label}")
        if kind.same_label and self.labels[rel.from_] != self.labels[rel.to]:
            raise _Invalid(path, f"{rel.type} joins two nodes of the same label")
        props = {**self.model.relationship_common, **kind.properties}
        self._check_properties(rel.properties, props, rel.type, f"{path}.properties")
        for i, name in enumerate(rel.id_with):
            if name not in rel.properties:
                raise _Invalid(f"{path}.id_with[{i}]", f"'{name}' is not among its properties")

    def _check_sensitive_columns(self) -> None:
        # A column that gives a sensitive property (a defender's name) may reach any other value
        # only hashed or through a value map: as a pseudonym, an id or in a GREEN description it
        # would be the name in clear.
        sensitive: dict[str, str] = {}  # column -> path of the sensitive property
        for path, spec, prop in self._value_specs():
            if prop.sensitive:
                sensitive.update(dict.fromkeys(spec.raw_columns(), path))
        for path, spec, prop in self._value_specs():
            leaked = [c for c in spec.raw_columns() if c in sensitive]
            if leaked and not prop.sensitive:
                raise _Invalid(
                    path,
                    f"'{leaked[0]}' gives {sensitive[leaked[0]]}, which is sensitive; here use it "
                    "only through from (a hash) or a value map",
                )

    def _value_specs(self) -> Iterator[tuple[str, ValueSpec, Property]]:
        for i, spec in enumerate(self.mapping.nodes):
            props = self.model.labels[spec.label].properties
            yield f"nodes[{i}].id", spec.id, props["id"]
            for name, value in spec.properties.items():
                yield f"nodes[{i}].properties.{name}", value, props[name]
        for i, rel in enumerate(self.mapping.relationships):
            kind = self.model.relationship_types[rel.type]
            props = {**self.model.relationship_common, **kind.properties}
            for name, value in rel.properties.items():
                yield f"relationships[{i}].properties.{name}", value, props[name]


# -- templates and values -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Placeholder:
    column: str
    map: str | None = None
    field: str | None = None


@cache
def _parse_template(template: str) -> tuple[str | _Placeholder, ...]:
    """`"{Region} ({Country|countries})"` as literal text and placeholders."""
    parts: list[str | _Placeholder] = []
    last = 0
    for match in _PLACEHOLDER.finditer(template):
        parts.append(_literal(template[last : match.start()]))
        parts.append(_placeholder(match.group(1)))
        last = match.end()
    parts.append(_literal(template[last:]))
    return tuple(p for p in parts if p != "")


def _literal(text: str) -> str:
    if "{" in text or "}" in text:
        raise ValueError("a brace that opens or closes no {Column} placeholder")
    return text


def _placeholder(inner: str) -> _Placeholder:
    column, _, mapped = inner.partition("|")
    if not column.strip():
        raise ValueError("an empty {} placeholder")
    map_name, _, field_name = mapped.partition(".")
    return _Placeholder(column.strip(), map_name.strip() or None, field_name.strip() or None)


def _format_value(value: Constant | MapValue | None) -> str:
    """A YAML value as an interchange cell: lists joined by ';', ISO dates, true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    return str(value)


def _pick(entry: MapEntry | None, field_name: str | None) -> MapValue | None:
    """An entry of a value map, or one field of it; a field the entry lacks is not known."""
    if isinstance(entry, dict):
        return entry.get(field_name or "")
    return entry


def _conform(text: str, prop: Property, formats: list[str] | None) -> str:
    """`text` as the interchange cell for `prop`: dates made ISO, booleans true/false.

    Raises CellError saying what is wrong.
    """
    if prop.type == "date":
        text = _parse_date(text, formats or list(_ISO_DATE))
    value: Constant = parse_cell(prop, text)
    return _format_value(value)


def _parse_date(text: str, formats: list[str]) -> str:
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    raise CellError(f"'{text}' is a date in none of the formats {', '.join(formats)}")


def _hash_code(values: list[str], salt: str, length: int) -> str:
    """The first `length` hex digits of SHA-1 over the normalized values (and salt, if any)."""
    parts = [_normalize(v) for v in values]
    joined = _UNIT_SEPARATOR.join([salt, *parts] if salt else parts)
    # SHA-1 names records, it guards no secret: collisions are what matter, not preimages.
    return hashlib.sha1(joined.encode("utf-8"), usedforsecurity=False).hexdigest()[:length]


# -- converting rows ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    line: int
    cells: dict[str, str]


@dataclass(frozen=True)
class _Cell:
    text: str
    column: str  # the column to name if the value turns out wrong


@dataclass(frozen=True)
class _Failure:
    column: str
    message: str


@dataclass(frozen=True)
class _Record:
    file: str
    line: int
    values: dict[str, str]
    columns: dict[str, str]  # property -> the source column it came from, to point at


class _Problems:
    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[RowProblem] = []
        self._seen: set[tuple[int, str, str]] = set()

    def add(self, line: int, column: str, message: str) -> None:
        # Two properties made from one bad cell (kind and severity from "Attack type") would
        # report it twice.
        if (line, column, message) not in self._seen:
            self._seen.add((line, column, message))
            self.items.append(RowProblem(self.file, line, column, message))


class _Records:
    """Each id once, and the first row wins.

    A later row that gives the same id other values is reported as a problem rather than
    taken as an update: in a third-party table it is more often a typo or two people with one
    name than a correction.
    """

    def __init__(self, problems: _Problems) -> None:
        self.problems = problems
        self.by_id: dict[str, _Record] = {}

    def add(self, record: _Record) -> None:
        record_id = record.values["id"]
        kept = self.by_id.setdefault(record_id, record)
        if kept is record:
            return
        if kept.file != record.file:
            self.problems.add(
                record.line,
                "",
                f"id '{record_id}' is also a record of {kept.file} (line {kept.line})",
            )
            return
        for name, value in record.values.items():
            # An empty value is "not known" and disagrees with nothing. Values stay out of the
            # message: they may be a defender's name.
            if value and value != kept.values.get(name, ""):
                self.problems.add(
                    record.line,
                    record.columns.get(name, ""),
                    f"'{record_id}' was made from line {kept.line} with another {name}",
                )


def apply_mapping(
    table: pd.DataFrame, mapping: Mapping, table_name: str
) -> tuple[dict[str, pd.DataFrame], list[RowProblem]]:
    """Interchange tables by file name, and the problems of rows that could not be converted.

    Cells are text as in the CSV files. A node or relationship with a problem is left out of
    the tables and its problem is in the list, so a load must refuse when the list is not
    empty. Rows whose cells are all empty are skipped (spreadsheets export them at the end).
    """
    model = load_model()
    problems = _Problems(table_name)
    missing = [c for c in mapping.columns() if c not in table.columns]
    for column in missing:
        problems.add(1, column, "the mapping reads this column, but the table has none")
    records = _Records(problems)
    if not missing:
        converter = _Converter(mapping, model, records, problems)
        for row in _rows(table):
            converter.convert(row)
    return _tables(mapping, model, list(records.by_id.values())), problems.items


def _rows(table: pd.DataFrame) -> Iterator[_Row]:
    columns = [str(c) for c in table.columns]
    for i, values in enumerate(table.itertuples(index=False, name=None)):
        cells = {c: _cell_text(v) for c, v in zip(columns, values, strict=True)}
        if any(cells.values()):
            yield _Row(i + _FIRST_DATA_LINE, cells)


def _cell_text(value: object) -> str:
    missing = value is None or (isinstance(value, float) and pd.isna(value))
    return "" if missing else str(value).strip()


class _Converter:
    """One row into records: node ids, then nodes, then relationships between them."""

    def __init__(
        self, mapping: Mapping, model: Model, records: _Records, problems: _Problems
    ) -> None:
        self.mapping = mapping
        self.model = model
        self.records = records
        self.problems = problems

    def convert(self, row: _Row) -> None:
        specs = [s for s in self.mapping.nodes if _matches(s.where, row)]
        # Ids first: a ref (territory_id: {ref: region}) may name a node made later in the row.
        ids: dict[str, str] = {}
        for spec in specs:
            label = self.model.labels[spec.label]
            node_id = self._value(spec.id, label.properties["id"], row, ids)
            if isinstance(node_id, _Failure):
                self.problems.add(row.line, node_id.column, node_id.message)
            else:
                ids[spec.as_] = node_id.text
        for spec in specs:
            if spec.as_ in ids:
                self._node(spec, ids, row)
        for rel in self.mapping.relationships:
            if rel.from_ in ids and rel.to in ids and _matches(rel.where, row):
                self._relationship(rel, ids, row)

    def _node(self, spec: NodeSpec, ids: dict[str, str], row: _Row) -> None:
        label = self.model.labels[spec.label]
        filled = self._fill(spec.properties, label.properties, row, ids)
        if filled is not None:
            values, columns = filled
            values = {"id": ids[spec.as_], **values, **self._stamps(spec)}
            self.records.add(_Record(label.file, row.line, values, columns))

    def _relationship(self, rel: RelationshipSpec, ids: dict[str, str], row: _Row) -> None:
        kind = self.model.relationship_types[rel.type]
        filled = self._fill(
            rel.properties, {**self.model.relationship_common, **kind.properties}, row, ids
        )
        if filled is None:
            return
        values, columns = filled
        empty = next((name for name in rel.id_with if not values[name]), None)
        if empty is not None:
            self.problems.add(row.line, columns[empty], f"'{empty}' is part of the id, but empty")
            return
        ends = {"from_id": ids[rel.from_], "to_id": ids[rel.to]}
        rel_id = ":".join(
            [ends["from_id"], rel.type, ends["to_id"], *(values[n] for n in rel.id_with)]
        )
        values = {"id": rel_id, "type": rel.type, **ends, **values, **self._stamps(rel)}
        self.records.add(_Record(self.model.relationship_file, row.line, values, columns))

    def _fill(
        self,
        specs: dict[str, ValueSpec],
        props: dict[str, Property],
        row: _Row,
        ids: dict[str, str],
    ) -> tuple[dict[str, str], dict[str, str]] | None:
        """Values and their source columns by property, or None after reporting every failure."""
        values: dict[str, str] = {}
        columns: dict[str, str] = {}
        for name, spec in specs.items():
            result = self._value(spec, props[name], row, ids)
            if isinstance(result, _Failure):
                self.problems.add(row.line, result.column, result.message)
            else:
                values[name], columns[name] = result.text, result.column
        return (values, columns) if len(values) == len(specs) else None

    def _value(
        self, spec: ValueSpec, prop: Property, row: _Row, ids: dict[str, str]
    ) -> _Cell | _Failure:
        raw = self._raw(spec, row, ids)
        if isinstance(raw, _Failure):
            return raw
        if not raw.text:
            if spec.required or prop.required:
                return _Failure(raw.column, f"empty, but '{prop.name}' needs a value")
            return raw
        try:
            return _Cell(_conform(raw.text, prop, spec.formats), raw.column)
        except CellError as exc:
            return _Failure(raw.column, str(exc))

    def _raw(self, spec: ValueSpec, row: _Row, ids: dict[str, str]) -> _Cell | _Failure:
        if spec.column is not None:
            return self._column(spec.column, spec.map, spec.field, row)
        if spec.template is not None:
            return self._template(spec.template, row)
        if spec.from_ is not None:
            return self._hash(spec.from_, spec.prefix, spec.length, row)
        if spec.ref is not None:
            return _Cell(ids.get(spec.ref, ""), "")
        return _Cell(_format_value(spec.constant), "")

    def _column(
        self, column: str, map_name: str | None, field_name: str | None, row: _Row
    ) -> _Cell | _Failure:
        text = row.cells[column]
        if not text or map_name is None:
            return _Cell(text, column)
        entry = self.mapping.value_maps[map_name].lookup(text)
        if entry is None:
            return _Failure(column, f"'{text}' has no entry in value map '{map_name}'")
        return _Cell(_format_value(_pick(entry, field_name)), column)

    def _template(self, template: str, row: _Row) -> _Cell | _Failure:
        # Any empty placeholder empties the whole text: "Guerrero ()" is worse than nothing.
        pieces: list[str] = []
        columns: list[str] = []
        for part in _parse_template(template):
            if isinstance(part, str):
                pieces.append(part)
                continue
            value = self._column(part.column, part.map, part.field, row)
            if isinstance(value, _Failure) or not value.text:
                return value
            pieces.append(value.text)
            columns.append(part.column)
        return _Cell("".join(pieces), columns[0] if columns else "")

    def _hash(self, columns: list[str], prefix: str, length: int, row: _Row) -> _Cell:
        # A hash over an empty cell would join unrelated rows (every nameless victim into one
        # defender), so every column must have a value.
        empty = next((c for c in columns if not row.cells[c]), None)
        if empty is not None:
            return _Cell("", empty)
        values = [row.cells[c] for c in columns]
        return _Cell(prefix + _hash_code(values, self.mapping.salt, length), columns[0])

    def _stamps(self, spec: NodeSpec | RelationshipSpec) -> dict[str, str]:
        mapping = self.mapping
        shared_with = mapping.shared_with if spec.shared_with is None else spec.shared_with
        sources = mapping.sources if spec.sources is None else spec.sources
        return {
            "tlp": spec.tlp or mapping.tlp,
            "owner": spec.owner or mapping.owner,
            "shared_with": _format_value(shared_with),
            "sources": _format_value(sources),
        }


def _matches(where: Where, row: _Row) -> bool:
    def has(column: str, values: list[str]) -> bool:
        return _normalize(row.cells[column]) in {_normalize(v) for v in values}

    return (
        all(row.cells[c] for c in where.not_empty)
        and all(has(c, values) for c, values in where.one_of.items())
        and not any(has(c, values) for c, values in where.not_in.items())
    )


def _tables(mapping: Mapping, model: Model, records: list[_Record]) -> dict[str, pd.DataFrame]:
    columns = {
        model.labels[spec.label].file: _node_columns(model.labels[spec.label], mapping)
        for spec in mapping.nodes
    }
    if mapping.relationships:
        columns[model.relationship_file] = _relationship_columns(model, mapping)
    return {
        file: pd.DataFrame(
            [[r.values.get(c, "") for c in names] for r in records if r.file == file],
            columns=names,
            dtype=str,
        )
        for file, names in columns.items()
    }


def _node_columns(label: Label, mapping: Mapping) -> list[str]:
    used = {name for s in mapping.nodes if s.label == label.name for name in s.properties}
    return [c for c in label.columns if c in used or c in _SET_BY_SPEC]


def _relationship_columns(model: Model, mapping: Mapping) -> list[str]:
    used = {name for rel in mapping.relationships for name in rel.properties}
    return [c for c in model.relationship_columns if c in used or c in _SET_BY_SPEC]


# -- reading the table --------------------------------------------------------------------------


def read_table(path: Path, mapping: Mapping) -> pd.DataFrame:
    """The table in `path` (CSV, or .xlsx with openpyxl installed), every cell as text.

    Column names are stripped of surrounding spaces; no cell is NaN. Raises TableError.
    """
    options = mapping.table
    if path.suffix.lower() in _EXCEL_SUFFIXES:
        table = _read_workbook(path, options)
    else:
        table = _read_csv(path, options)
    return table.rename(columns=lambda c: str(c).strip()).fillna("")


def _read_csv(path: Path, options: TableOptions) -> pd.DataFrame:
    try:
        return pd.read_csv(
            path,
            dtype=str,
            keep_default_na=False,
            encoding=options.encoding,
            sep=options.delimiter,
            # Blank lines stay rows, so that row numbers remain the spreadsheet's line numbers.
            skip_blank_lines=False,
        )
    except UnicodeDecodeError as exc:
        raise TableError(path.name, f"not {options.encoding} text ({exc.reason})") from exc
    except pd.errors.EmptyDataError as exc:
        raise TableError(path.name, "the file is empty") from exc
    except pd.errors.ParserError as exc:
        raise TableError(path.name, f"not a readable CSV file: {exc}") from exc
    except OSError as exc:
        raise TableError(path.name, f"cannot read it: {exc.strerror}") from exc


def _read_workbook(path: Path, options: TableOptions) -> pd.DataFrame:
    try:
        return pd.read_excel(path, sheet_name=options.sheet or 0, dtype=str, keep_default_na=False)
    except (ValueError, KeyError, zipfile.BadZipFile) as exc:  # no such sheet, not a workbook
        raise TableError(path.name, f"cannot read the workbook: {exc}") from exc
    except OSError as exc:
        raise TableError(path.name, f"cannot read it: {exc.strerror}") from exc
