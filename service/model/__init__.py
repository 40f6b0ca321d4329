"""The domain model, loaded from schema.yaml: labels, properties, enumerations, relationships."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from typing import Any

import yaml

from service.errors import ConfigError
from service.i18n import _

SCHEMA_PATH = Path(__file__).with_name("schema.yaml")
# Stored with records and relationships for access control, search and place stand-ins
# (service/access.py, service/placement.py); never part of what a record says.
INTERNAL = frozenset({"acl", "name_acl", "search_text", "search_name", "derived_key", "stands_for"})
PROPERTY_TYPES = frozenset(
    {"str", "int", "float", "bool", "date", "list", "enum", "enum_list", "country"}
)
# How a property filters its label's list (Query.actors ...): `equals` one value, `any` of a
# list of values (the filter field takes the plural: kind -> kinds).
FILTERS = frozenset({"equals", "any"})


@dataclass(frozen=True)
class Property:
    name: str
    type: str
    required: bool = False
    values: frozenset[str] = frozenset()
    minimum: float | None = None
    maximum: float | None = None
    ref: str | None = None  # label the value(s) must name
    relationship: str | None = None  # a column that is really a relationship (parent_id ...)
    sensitive: bool = False
    enums: tuple[str, ...] = ()  # the `enums:` entries `values` names, in order
    filter: str | None = None  # one of FILTERS

    @property
    def filter_field(self) -> str:
        """The name of the filter's field (and of the page statement's parameter)."""
        return f"{self.name}s" if self.filter == "any" else self.name


@dataclass(frozen=True)
class Label:
    name: str
    file: str
    prefix: str  # of its ids: `<prefix>-...`
    properties: dict[str, Property]  # common ones included, in file column order
    own: frozenset[str] = frozenset()  # the properties the label itself declares

    @property
    def columns(self) -> list[str]:
        return list(self.properties)

    @property
    def upsert_statement(self) -> str:
        """The statement in cypher/ingest/ that writes rows of this label."""
        return f"upsert_{self.name.lower()}"

    @property
    def relationship_columns(self) -> dict[str, Property]:
        return {n: p for n, p in self.properties.items() if p.relationship}

    @property
    def page_statement(self) -> str:
        """The statement in cypher/read/ that lists this label's records a page at a time."""
        return f"{self.file.removesuffix('.csv')}_page"


AUTHORITY_WRITERS = frozenset({"network_admins", "case_owner", "matching"})


@dataclass(frozen=True)
class Authority:
    """A relationship that confers access or standing: written only by `written_by`, never by
    `link` (docs/access.md). It applies when the relationship starts at one of `from_labels`."""

    from_labels: frozenset[str]
    written_by: str


@dataclass(frozen=True)
class RelationshipType:
    name: str
    from_labels: frozenset[str]
    to_labels: frozenset[str]
    properties: dict[str, Property]  # the type's own, not the common ones
    same_label: bool = False
    authority: Authority | None = None
    places: bool = False  # puts its start at a territory: access derived (service/placement.py)
    symmetric: bool = False  # holds both ways: one row per pair, drawn without an arrow

    @property
    def upsert_statement(self) -> str:
        """The statement in cypher/ingest/ that writes relationships of this type."""
        return f"upsert_{self.name.lower()}"

    def confers_authority(self, from_label: str) -> bool:
        """Whether a relationship of this type from a `from_label` record confers authority."""
        return self.authority is not None and from_label in self.authority.from_labels

    @property
    def linkable(self) -> bool:
        """Whether `link` writes it from at least one of its start labels."""
        return self.authority is None or self.authority.from_labels != self.from_labels


@dataclass(frozen=True)
class Model:
    labels: dict[str, Label]
    relationship_types: dict[str, RelationshipType]
    relationship_common: dict[str, Property]
    relationship_file: str
    enums: dict[str, frozenset[str]]
    enum_values: dict[str, tuple[str, ...]]  # the same, in schema.yaml order
    write_order: tuple[str, ...]  # every label after the labels it refers to

    @property
    def relationship_columns(self) -> list[str]:
        extra: dict[str, None] = {}
        for rel in self.relationship_types.values():
            extra.update(dict.fromkeys(rel.properties))
        return [*self.relationship_common, *extra]

    def label_for_file(self, file: str) -> Label | None:
        return next((lb for lb in self.labels.values() if lb.file == file), None)

    @property
    def symmetric_types(self) -> list[str]:
        """The relationship types that hold both ways."""
        return sorted(rel.name for rel in self.relationship_types.values() if rel.symmetric)

    @property
    def place_types(self) -> list[str]:
        """The relationship types whose access service/placement.py derives."""
        return sorted(rel.name for rel in self.relationship_types.values() if rel.places)

    @property
    def link_properties(self) -> dict[str, Property]:
        """The own properties of the relationship types `link` writes, by name: the fields of
        a link as the API reads and writes it. One name means one thing in every type."""
        merged: dict[str, Property] = {}
        for rel in self.relationship_types.values():
            for name, prop in rel.properties.items() if rel.linkable else ():
                if merged.setdefault(name, prop) != prop:
                    raise ConfigError(
                        _(
                            "schema.yaml: relationship {name}: property {name2} differs from the "
                            "one of that name in another relationship type",
                            name=rel.name,
                            name2=name,
                        )
                    )
        return merged

    @property
    def authority_ties(self) -> list[str]:
        """`TYPE:FromLabel` for every relationship that confers authority; what `unlink` refuses."""
        return sorted(
            f"{rel.name}:{label}"
            for rel in self.relationship_types.values()
            if rel.authority is not None
            for label in rel.authority.from_labels
        )


def _property(name: str, spec: dict[str, Any], enums: dict[str, frozenset[str]]) -> Property:
    kind = spec.get("type")
    if kind not in PROPERTY_TYPES:
        raise ConfigError(
            _("schema.yaml: property {name}: unknown type {kind}", name=name, kind=repr(kind))
        )
    if name in INTERNAL:
        raise ConfigError(
            _("schema.yaml: property {name}: the name is kept for access control", name=name)
        )
    if spec.get("filter") not in FILTERS | {None}:
        raise ConfigError(
            _(
                "schema.yaml: property {name}: filter is one of {filters}",
                name=name,
                filters=sorted(FILTERS),
            )
        )
    values: frozenset[str] = frozenset()
    names: list[str] = []
    if kind in ("enum", "enum_list"):
        names = spec["values"] if isinstance(spec["values"], list) else [spec["values"]]
        try:
            values = frozenset().union(*(enums[n] for n in names))
        except KeyError as missing:
            raise ConfigError(
                _(
                    "schema.yaml: property {name}: unknown enum {missing}",
                    name=name,
                    missing=missing,
                )
            ) from None
    return Property(
        name=name,
        type=kind,
        required=bool(spec.get("required", False)),
        values=values,
        minimum=spec.get("min"),
        maximum=spec.get("max"),
        ref=spec.get("ref"),
        relationship=spec.get("relationship"),
        sensitive=bool(spec.get("sensitive", False)),
        enums=tuple(names),
        filter=spec.get("filter"),
    )


def _properties(specs: dict[str, Any], enums: dict[str, frozenset[str]]) -> dict[str, Property]:
    return {name: _property(name, spec, enums) for name, spec in (specs or {}).items()}


def _authority(name: str, spec: dict[str, Any]) -> Authority | None:
    raw = spec.get("authority")
    if raw is None:
        return None
    unknown = set(raw) - {"from", "written_by"}
    if unknown or raw.get("written_by") not in AUTHORITY_WRITERS:
        raise ConfigError(
            _(
                "schema.yaml: relationship {name}: authority takes `from` and `written_by` (one "
                "of {writers})",
                name=name,
                writers=sorted(AUTHORITY_WRITERS),
            )
        )
    from_labels = frozenset(raw.get("from", spec["from"]))
    if not from_labels <= frozenset(spec["from"]):
        raise ConfigError(
            _("schema.yaml: relationship {name}: authority `from` outside its ends", name=name)
        )
    return Authority(from_labels=from_labels, written_by=raw["written_by"])


def _write_order(labels: dict[str, Label], common: dict[str, Property]) -> tuple[str, ...]:
    """Label names, each after the labels it refers to; of those ready, the most referred to
    first, then schema.yaml order.

    Every record refers to the labels the common properties name (its owner, its sources),
    those labels included: they come before all others, ordered among themselves by their own
    properties only."""
    shared = list(dict.fromkeys(p.ref for p in common.values() if p.ref))
    own = {
        name: {p.ref for n, p in lb.properties.items() if p.ref and n not in common} - {name}
        for name, lb in labels.items()  # a territory may sit in a territory
    }
    unknown = sorted(({ref for refs in own.values() for ref in refs} | set(shared)) - set(labels))
    if unknown:
        raise ConfigError(
            _("schema.yaml: references to unknown labels: {labels}", labels=", ".join(unknown))
        )
    sorter: TopologicalSorter[str] = TopologicalSorter()
    for name, refs in own.items():
        sorter.add(name, *(refs if name in shared else refs | set(shared)))
    referred = Counter(ref for refs in own.values() for ref in refs)
    rank = {name: (name not in shared, -referred[name], i) for i, name in enumerate(labels)}
    try:
        sorter.prepare()
    except CycleError as exc:
        raise ConfigError(
            _(
                "schema.yaml: labels refer to each other in a circle: {circle}",
                circle=" -> ".join(exc.args[1]),
            )
        ) from None
    order: list[str] = []
    ready: set[str] = set()
    while sorter.is_active():
        ready.update(sorter.get_ready())
        first = min(ready, key=rank.__getitem__)
        ready.remove(first)
        order.append(first)
        sorter.done(first)
    return tuple(order)


@cache
def load_model(path: Path = SCHEMA_PATH) -> Model:
    """Read and check schema.yaml once per process."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    enums = {name: frozenset(str(v) for v in values) for name, values in raw["enums"].items()}
    common = _properties(raw["common_node"], enums)
    labels = {}
    for name, spec in raw["labels"].items():
        own = _properties(spec["properties"], enums)
        # File columns: id, the label's own properties, then the common marking columns.
        props = {"id": common["id"], **own}
        props.update({k: v for k, v in common.items() if k not in props})
        labels[name] = Label(
            name=name,
            file=spec["file"],
            prefix=spec["prefix"],
            properties=props,
            own=frozenset(own),
        )
    types = {
        name: RelationshipType(
            name=name,
            from_labels=frozenset(spec["from"]),
            to_labels=frozenset(spec["to"]),
            properties=_properties(spec.get("properties", {}), enums),
            same_label=bool(spec.get("same_label", False)),
            authority=_authority(name, spec),
            places=bool(spec.get("places", False)),
            symmetric=bool(spec.get("symmetric", False)),
        )
        for name, spec in raw["relationships"]["types"].items()
    }
    for rel in types.values():
        for label in rel.from_labels | rel.to_labels:
            if label not in labels:
                raise ConfigError(
                    _(
                        "schema.yaml: relationship {name}: unknown label {label}",
                        name=rel.name,
                        label=label,
                    )
                )
    return Model(
        labels=labels,
        relationship_types=types,
        relationship_common=_properties(raw["common_relationship"], enums),
        relationship_file=raw["relationships"]["file"],
        enums=enums,
        enum_values={name: tuple(str(v) for v in vs) for name, vs in raw["enums"].items()},
        write_order=_write_order(labels, common),
    )
