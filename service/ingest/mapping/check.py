"""Read a mapping file and check it before any row is read: its shape (spec.py), then what
the shape cannot see, against the model and against itself. Every refusal is an InvalidInput
whose one Problem names the file and, as its column, the YAML path (or line) of the mistake."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from service.errors import InvalidInput, Problem
from service.i18n import _
from service.i18n.validation import pydantic_message
from service.ingest.cells import CellError, format_cell
from service.ingest.mapping.spec import (
    SET_BY_SPEC,
    Mapping,
    NodeSpec,
    RelationshipSpec,
    ValueSpec,
)
from service.ingest.mapping.values import (
    Constant,
    Placeholder,
    conform,
    parse_template,
    pick,
)
from service.model import Model, Property, load_model


def _refused(file: str, where: str, message: str) -> InvalidInput:
    return InvalidInput([Problem(file, None, where or None, message)])


def read_mapping(path: Path) -> Mapping:
    """The mapping in `path`, checked against the model; raises InvalidInput naming the place."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise _refused(path.name, "", _("cannot read it: {error}", error=exc.strerror)) from exc
    except yaml.YAMLError as exc:
        raise _refused(
            path.name, _yaml_position(exc), _("not valid YAML: {error}", error=exc)
        ) from exc
    if not isinstance(data, dict):
        raise _refused(path.name, "", _("expected keys (tlp, owner, nodes, ...) at the top"))
    try:
        mapping = Mapping.model_validate(data)
    except ValidationError as exc:
        raise _validation_error(path.name, exc, data) from exc
    _Checker(mapping, load_model(), path.name).check()
    return mapping


def _yaml_position(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    return _("line {line}", line=mark.line + 1) if mark is not None else ""


def _validation_error(file: str, exc: ValidationError, data: object) -> InvalidInput:
    # Of the errors at the first key, the deepest: for `owner`, written as an id or as a
    # record, "not a string" says less than the record's own missing field.
    errors = exc.errors()
    error = max(
        (e for e in errors if e["loc"][:1] == errors[0]["loc"][:1]), key=lambda e: len(e["loc"])
    )
    where = _yaml_path(error["loc"], data, keep_last=error["type"] == "missing")
    return _refused(file, where, _pydantic_message(error))


def _yaml_path(loc: tuple[int | str, ...], data: object, keep_last: bool) -> str:
    # pydantic's loc also holds the names of union members ("str", "list[str]"...): follow it
    # only as far as it walks the YAML itself.
    path = ""
    node = data
    for i, key in enumerate(loc):
        found, name, child = _child(node, key)
        if not found and isinstance(node, dict) and i < len(loc) - 1:
            continue  # a union member's name ("DeclaredOwner"): the YAML goes on below it
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
    if error["type"] == "string_type" and isinstance(error["input"], bool):
        return _("not a text (YAML reads yes, no, on, off as true or false: quote it)")
    return pydantic_message(error)


class _Checker:
    """What pydantic cannot see: the mapping against the model and against itself."""

    def __init__(self, mapping: Mapping, model: Model, file: str) -> None:
        self.mapping = mapping
        self.model = model
        self.file = file
        self.labels: dict[str, str] = {}  # node spec name (`as`) -> label

    def _invalid(self, where: str, message: str) -> InvalidInput:
        return _refused(self.file, where, message)

    def check(self) -> None:
        self._check_tlp(self.mapping.tlp, "tlp")
        self._check_owner()
        for i, spec in enumerate(self.mapping.nodes):
            self._name_node(spec, f"nodes[{i}]")
        for i, spec in enumerate(self.mapping.nodes):
            self._check_node(spec, f"nodes[{i}]")
        for i, rel in enumerate(self.mapping.relationships):
            self._check_relationship(rel, f"relationships[{i}]")
        self._check_sensitive_columns()

    def _check_tlp(self, tlp: str | None, where: str) -> None:
        if tlp is not None and tlp not in self.model.enums["tlp"]:
            raise self._invalid(
                where,
                _(
                    "'{tlp}' is not one of {known}",
                    tlp=tlp,
                    known=", ".join(sorted(self.model.enums["tlp"])),
                ),
            )

    def _check_owner(self) -> None:
        owner = self.mapping.owner
        if isinstance(owner, str):
            return
        props = self.model.labels["Organization"].properties
        for name in ("kind", "country"):
            value = getattr(owner, name)
            if value is not None:
                try:
                    conform(value, props[name], None)
                except CellError as exc:
                    raise self._invalid(f"owner.{name}", str(exc)) from exc

    def _name_node(self, spec: NodeSpec, path: str) -> None:
        if spec.label not in self.model.labels:
            raise self._invalid(f"{path}.label", _("unknown label '{label}'", label=spec.label))
        if spec.as_ in self.labels:
            raise self._invalid(
                f"{path}.as", _("'{name}' names another node spec already", name=spec.as_)
            )
        self.labels[spec.as_] = spec.label

    def _check_node(self, spec: NodeSpec, path: str) -> None:
        self._check_tlp(spec.tlp, f"{path}.tlp")
        label = self.model.labels[spec.label]
        if spec.id.ref is not None:
            raise self._invalid(f"{path}.id", _("an id cannot be a ref"))
        self._check_value(spec.id, label.properties["id"], f"{path}.id")
        self._check_properties(spec.properties, label.properties, spec.label, f"{path}.properties")
        missing = [
            name
            for name, prop in label.properties.items()
            if prop.required and name not in SET_BY_SPEC and name not in spec.properties
        ]
        if missing:
            raise self._invalid(
                f"{path}.properties",
                _("{label} needs {missing}", label=spec.label, missing=", ".join(missing)),
            )

    def _check_properties(
        self, specs: dict[str, ValueSpec], props: dict[str, Property], owner: str, path: str
    ) -> None:
        for name, value in specs.items():
            where = f"{path}.{name}"
            if name in SET_BY_SPEC:
                raise self._invalid(
                    where, _("'{name}' is set by the spec itself, not under properties", name=name)
                )
            if name not in props:
                raise self._invalid(
                    where, _("{owner} has no property '{name}'", owner=owner, name=name)
                )
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
        for i, item in enumerate(spec.coalesce or []):
            where = f"{path}.coalesce[{i}]"
            if item.formats is not None or item.required:
                raise self._invalid(where, _("give formats and required to the coalesce itself"))
            self._check_value(item, prop, where)
        if spec.formats is not None and prop.type != "date":
            raise self._invalid(f"{path}.formats", _("'{name}' is not a date", name=prop.name))

    def _check_constant(
        self, constant: Constant, prop: Property, required: bool, path: str
    ) -> None:
        text = format_cell(constant)
        if not text and (prop.required or required):
            raise self._invalid(
                path, _("'{name}' is required; an empty constant cannot give it", name=prop.name)
            )
        if text:
            try:
                conform(text, prop, None)
            except CellError as exc:
                raise self._invalid(path, str(exc)) from exc

    def _check_map(self, name: str, field_name: str | None, path: str) -> None:
        vmap = self.mapping.value_maps.get(name)
        if vmap is None:
            raise self._invalid(path, _("unknown value map '{name}'", name=name))
        if vmap.has_fields and field_name is None:
            fields = ", ".join(sorted(vmap.fields()))
            raise self._invalid(
                path,
                _(
                    "value map '{name}' gives records ({fields}): name one with field",
                    name=name,
                    fields=fields,
                ),
            )
        if not vmap.has_fields and field_name is not None:
            raise self._invalid(
                path, _("value map '{name}' gives single values, not fields", name=name)
            )
        if field_name is not None and field_name not in vmap.fields():
            raise self._invalid(
                path,
                _(
                    "value map '{name}' has no field '{field_name}'",
                    name=name,
                    field_name=field_name,
                ),
            )

    def _check_map_values(
        self, name: str, field_name: str | None, prop: Property, path: str
    ) -> None:
        vmap = self.mapping.value_maps[name]
        entries = dict(vmap.values)
        if vmap.default is not None:
            entries["default"] = vmap.default
        for key, entry in entries.items():
            text = format_cell(pick(entry, field_name))
            if not text:
                continue
            try:
                conform(text, prop, None)
            except CellError as exc:
                raise self._invalid(
                    path,
                    _("value map '{name}', entry '{key}': {error}", name=name, key=key, error=exc),
                ) from exc

    def _check_template(self, template: str, path: str) -> None:
        try:
            parts = parse_template(template)
        except ValueError as exc:
            raise self._invalid(path, str(exc)) from exc
        for part in parts:
            if isinstance(part, Placeholder) and part.map is not None:
                self._check_map(part.map, part.field, path)

    def _check_ref(self, ref: str, prop: Property, path: str) -> None:
        target = self.labels.get(ref)
        if target is None:
            raise self._invalid(f"{path}.ref", _("no node spec is named '{ref}'", ref=ref))
        if prop.ref is None:
            raise self._invalid(f"{path}.ref", _("'{name}' does not name a record", name=prop.name))
        if target != prop.ref:
            raise self._invalid(
                f"{path}.ref",
                _(
                    "'{name}' names a {ref}; '{ref2}' is a {target}",
                    name=prop.name,
                    ref=prop.ref,
                    ref2=ref,
                    target=target,
                ),
            )

    def _check_relationship(self, rel: RelationshipSpec, path: str) -> None:
        self._check_tlp(rel.tlp, f"{path}.tlp")
        kind = self.model.relationship_types.get(rel.type)
        if kind is None:
            raise self._invalid(
                f"{path}.type", _("unknown relationship type '{type}'", type=rel.type)
            )
        ends = (("from", rel.from_, kind.from_labels), ("to", rel.to, kind.to_labels))
        for end, name, allowed in ends:
            label = self.labels.get(name)
            if label is None:
                raise self._invalid(f"{path}.{end}", _("no node spec is named '{name}'", name=name))
            if label not in allowed:
                wanted = " or ".join(sorted(allowed))
                raise self._invalid(
                    f"{path}.{end}",
                    _(
                        "{type} {end} must be a {wanted}, not {label}",
                        type=rel.type,
                        end=end,
                        wanted=wanted,
                        label=label,
                    ),
                )
        if kind.same_label and self.labels[rel.from_] != self.labels[rel.to]:
            raise self._invalid(path, _("{type} joins two nodes of the same label", type=rel.type))
        props = {**self.model.relationship_common, **kind.properties}
        self._check_properties(rel.properties, props, rel.type, f"{path}.properties")
        for i, name in enumerate(rel.id_with):
            if name not in rel.properties:
                raise self._invalid(
                    f"{path}.id_with[{i}]", _("'{name}' is not among its properties", name=name)
                )

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
                raise self._invalid(
                    path,
                    _(
                        "'{column}' gives {property}, which is sensitive; here use it only "
                        "through from (a hash) or a value map",
                        column=leaked[0],
                        property=sensitive[leaked[0]],
                    ),
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
