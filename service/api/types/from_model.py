"""The GraphQL fields that restate the model (service/model/schema.yaml), built from it at
import: a record's properties, a label's input and filter, a link's properties, and one GraphQL
enum per `enums:` entry. Adding a property to the model adds it here; only what is not data
(resolved fields, descriptions, defaults of the API) is written by hand on the classes.

A class decorated with `record_fields`, `input_fields`, `filter_fields` or `link_fields` gets
the model's fields in model order; a field the class declares itself is kept as declared (and
where the model has it, in the model's place), the other declared ones follow.

Enum values keep their stored spelling as GraphQL names, except those that are not valid
GraphQL names (see `enum_value_name`): the API speaks `AMBER_STRICT` and `C1` where the graph
stores `AMBER+STRICT` and `'1'`. Resolvers receive the stored value (`plain`).
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
from collections.abc import Callable, Iterable, Mapping
from enum import Enum
from typing import TYPE_CHECKING, Any, NewType, TypeVar, cast

import strawberry
from strawberry.types.scalar import ScalarDefinition

from service.countries import is_country
from service.errors import ConfigError
from service.i18n import _
from service.model import Model, Property, load_model

T = TypeVar("T", bound=type)

_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")
_NOT_NAME_CHARACTER = re.compile(r"[^_0-9A-Za-z]")
_RESERVED = frozenset({"true", "false", "null"})
# Common properties a record's type has on the Node interface, and the ones the API sets itself
# on a write (the id of a new record, its owner: the viewer's organization).
_ON_NODE = ("id", "name", "tlp", "owner", "shared_with", "sources")
_SET_BY_THE_API = ("id", "owner")


class FromModel:
    """A class whose fields from_model gives: for mypy, attributes it cannot see."""

    if TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any: ...


def enum_value_name(enum: str, value: str) -> str:
    """The GraphQL name of a stored enum value: the value itself when it is a valid GraphQL
    name; otherwise each character outside `[_0-9A-Za-z]` becomes `_`, a leading digit takes
    the enum's initial, and `true`/`false`/`null` take a trailing `_`. So tlp `AMBER+STRICT` is
    `AMBER_STRICT`, credibility `'1'` is `C1`. Two values that would share a name are refused."""
    if _NAME.fullmatch(value) and value not in _RESERVED:
        return value
    name = _NOT_NAME_CHARACTER.sub("_", value)
    if name[:1].isdigit():
        name = enum[0].upper() + name
    return f"{name}_" if name in _RESERVED else name


def _pascal(snake: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in snake.split("_"))


# Built enums by (model, GraphQL name): one class per name, as a schema needs; the model is
# kept with them so that a model read from another file (tests) gets enums of its own.
_ENUMS: dict[tuple[int, str], tuple[Model, type[Enum]]] = {}


def enum_type(name: str, keys: tuple[str, ...]) -> type[Enum]:
    """The GraphQL enum `name` of the values of the model's `enums:` entries `keys`."""
    model = load_model()
    if (found := _ENUMS.get((id(model), name))) is not None:
        return found[1]
    values = list(dict.fromkeys(v for k in keys for v in model.enum_values[k]))
    members: dict[str, str] = {}
    for value in values:
        member = enum_value_name(keys[0], value)
        if member in members:
            raise ConfigError(
                _(
                    "schema.yaml: enums {enums}: {first} and {second} would both be {member} in "
                    "GraphQL",
                    enums=", ".join(keys),
                    first=repr(members[member]),
                    second=repr(value),
                    member=member,
                )
            )
        members[member] = value
    described = f"Values of `{'`, `'.join(keys)}` in the model (docs/domain-model.md)."
    created: type[Enum] = cast(Any, Enum)(name, members)
    _ENUMS[(id(model), name)] = (model, strawberry.enum(created, description=described))
    return _ENUMS[(id(model), name)][1]


def enum_of(prop: Property, owner: str) -> type[Enum]:
    """The GraphQL enum of an `enum` or `enum_list` property: named after its `enums:` entry,
    or, where it takes the values of several, after its owner and itself (`ActorKind`)."""
    name = _pascal(prop.enums[0]) if len(prop.enums) == 1 else owner + _pascal(prop.name)
    return enum_type(name, prop.enums)


def model_enum(key: str) -> type[Enum]:
    """The GraphQL enum of one `enums:` entry (Tlp, Attribution ...)."""
    return enum_type(_pascal(key), (key,))


def _country(value: object) -> str:
    code = str(value).strip().upper()
    if not is_country(code):
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code (such as HN)")
    return code


# Any of the 249 codes ISO 3166-1 assigns (service/countries.py): a scalar that checks, so a
# filter or input naming no country is a client error, not an empty answer.
CountryCode = NewType("CountryCode", str)
SCALARS: dict[object, ScalarDefinition] = {
    CountryCode: strawberry.scalar(
        name="CountryCode",
        serialize=str,
        parse_value=_country,
        description="An ISO 3166-1 alpha-2 country code, such as HN or CO.",
    )
}


def _item(prop: Property, owner: str, *, written: bool) -> Any:
    """The Python type Strawberry reads for one value of a property: dates are read as ISO text
    and written as `Date`; a column that is a relationship, or names records, is an ID."""
    if prop.relationship or prop.name == "id" or prop.name.endswith("_id"):
        return strawberry.ID
    if prop.type in ("enum", "enum_list"):
        return enum_of(prop, owner)
    scalars: dict[str, Any] = {
        "str": str,
        "int": int,
        "float": float,
        "bool": bool,
        "list": str,
        "country": CountryCode,
    }
    return scalars.get(prop.type, dt.date if written else str)


def _annotation(prop: Property, owner: str, *, written: bool) -> Any:
    """A property's type, non-null when the model requires it; a list is read as [] where
    the graph holds none, and may be left out when written."""
    item = _item(prop, owner, written=written)
    if prop.type in ("list", "enum_list"):
        listed = list.__class_getitem__(item)
        return listed | None if written else listed
    return item if prop.required else item | None


def _with_fields(
    fields: Mapping[str, tuple[Any, Any]], *, declared_first: bool = False
) -> Callable[[T], T]:
    """Give a class, before Strawberry reads it, the annotations (and defaults) in `fields`:
    name -> (type, default or `...` for none). The class's own declarations win; the others
    it declares follow the model's fields, or come first with `declared_first`."""

    def decorate(cls: T) -> T:
        declared = dict(inspect.get_annotations(cls))
        annotations: dict[str, Any] = {}
        for name, (kind, default) in fields.items():
            if name in declared:
                annotations[name] = declared.pop(name)
                continue
            annotations[name] = kind
            if default is not ...:
                setattr(cls, name, default)
        ordered = {**declared, **annotations} if declared_first else {**annotations, **declared}
        cls.__annotations__ = ordered
        return cls

    return decorate


def record_fields(label: str) -> Callable[[T], T]:
    """A record's own properties as it is read; the common ones are on Node, a column that is
    a relationship is read as a link, and a sensitive one only through the Cypher that decides
    who may see it (records_by_ids: a defender's `name`)."""
    model = load_model().labels[label]
    return _with_fields(
        {
            name: (_annotation(prop, label, written=False), ...)
            for name, prop in model.properties.items()
            if name not in _ON_NODE and not prop.relationship and not prop.sensitive
        }
    )


def marking_fields() -> Callable[[T], T]:
    """The marking every write takes: the common properties the writer chooses."""
    common = load_model().labels["Organization"].properties  # every label has them
    chosen = [n for n in ("tlp", "shared_with", "sources") if n in common]
    return _with_fields(
        {n: (_annotation(common[n], "", written=True), _default(common[n])) for n in chosen}
    )


def _default(prop: Property) -> Any:
    return ... if prop.required else None


def input_fields(
    label: str, *, with_id: bool = True, leave_out: Iterable[str] = ()
) -> Callable[[T], T]:
    """A label's input: its id (to change a record; none to create one) and the properties the
    label declares, required where the model requires them."""
    model = load_model().labels[label]
    fields: dict[str, tuple[Any, Any]] = {"id": (strawberry.ID | None, None)} if with_id else {}
    for name, prop in model.properties.items():
        if name in model.own and name not in (*_SET_BY_THE_API, *leave_out):
            fields[name] = (_annotation(prop, label, written=True), _default(prop))
    return _with_fields(fields)


def filter_fields(label: str) -> Callable[[T], T]:
    """The fields of a label's filter: its properties marked `filter:` in the model."""
    model = load_model().labels[label]
    fields: dict[str, tuple[Any, Any]] = {}
    for prop in model.properties.values():
        if prop.filter is None:
            continue
        one = _item(prop, label, written=True)
        kind = list.__class_getitem__(one) if prop.filter == "any" else one
        fields[prop.filter_field] = (kind | None, None)
    return _with_fields(fields)


def link_fields(*, written: bool) -> Callable[[T], T]:
    """The properties of the relationship types `link` writes, each optional (a type has only
    its own), in the order the model first names them; written, after the common ones the
    writer gives (its type, ends, confidence, validity)."""
    model = load_model()
    fields: dict[str, tuple[Any, Any]] = {}
    if written:
        for name, prop in model.relationship_common.items():
            if name not in ("id", "owner", "tlp", "shared_with", "sources"):
                fields[name] = (_annotation(prop, "Link", written=True), _default(prop))
    for name, prop in model.link_properties.items():
        kind = _item(prop, "Link", written=written)
        fields[name] = (kind | None, None) if written else (kind | None, ...)
    return _with_fields(fields, declared_first=True)


def relationship_fields(kind: str, defaults: Mapping[str, str] | None = None) -> Callable[[T], T]:
    """The own properties of one relationship type: optional, or non-null with the API's
    default (a stored value) where `defaults` gives one."""
    fields: dict[str, tuple[Any, Any]] = {}
    for name, prop in load_model().relationship_types[kind].properties.items():
        kind_ = _item(prop, kind, written=True)
        if name in (defaults or {}):
            default = (defaults or {})[name]
            fields[name] = (kind_, kind_(default) if isinstance(kind_, type) else default)
        else:
            fields[name] = (kind_ | None, None)
    return _with_fields(fields, declared_first=True)


def by_label(
    declared: Iterable[type], build: Callable[[str], type], suffix: str = ""
) -> dict[str, Any]:
    """One class per label of the model: the class declared by hand for it (named
    `<Label><suffix>`, where there is something to add by hand or other modules import it),
    else one `build` makes. A declared class for no label of the model is refused."""
    labels = load_model().labels
    named = {cls.__name__.removesuffix(suffix): cls for cls in declared}
    if unknown := sorted(set(named) - set(labels)):
        raise ConfigError(
            _("GraphQL types for labels the model does not have: {unknown}", unknown=unknown)
        )
    return {label: named.get(label) or build(label) for label in labels}


def with_fields_of(name: str, written: type, generated: Mapping[str, Any]) -> type:
    """A class `name` with the fields written by hand on `written` (a plain class), then the
    `generated` ones (Python name -> StrawberryField), for strawberry.type to read."""
    own = {k: v for k, v in vars(written).items() if not k.startswith("__")}
    return type(name, (), {**own, **generated, "__module__": written.__module__})


def list_fields(label: str) -> frozenset[str]:
    """A label's list properties: read as [] where the graph holds none."""
    props = load_model().labels[label].properties
    return frozenset(n for n, p in props.items() if p.type in ("list", "enum_list"))


def plain(value: Any) -> Any:
    """An argument as statements and the loaders take it: enums as their stored values."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


TlpEnum = model_enum("tlp")  # every record's and relationship's marking, as the API speaks it
