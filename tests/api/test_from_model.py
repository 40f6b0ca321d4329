"""The API against the model (service/model/schema.yaml), without a database: every label has
its record type, input, filter and page statement, every relationship type's properties are
fields of a link; what the model marks sensitive or keeps internal is never a field of a record
as read; and a property added to the model appears in the type, input and filter with no
other change."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import strawberry
import yaml
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import create_type
from strawberry.utils.str_converters import to_camel_case

from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType, get_named_type
from service.api.schema import schema
from service.api.types import from_model
from service.api.types.from_model import SCALARS, enum_value_name
from service.api.types.records import TYPES
from service.cypher import load_catalog
from service.errors import ConfigError
from service.model import INTERNAL, SCHEMA_PATH, load_model

MODEL = load_model()
CATALOG = load_catalog()
GRAPHQL = schema._schema
COMMON = set(MODEL.labels["Actor"].properties) - MODEL.labels["Actor"].own


def _object(name: str) -> GraphQLObjectType:
    found = GRAPHQL.get_type(name)
    assert isinstance(found, GraphQLObjectType), f"no GraphQL type {name}"
    return found


def _input(name: str) -> GraphQLInputObjectType:
    found = GRAPHQL.get_type(name)
    assert isinstance(found, GraphQLInputObjectType), f"no GraphQL input {name}"
    return found


@pytest.mark.parametrize("label", sorted(MODEL.labels))
def test_every_label_has_a_record_type_with_its_properties(label: str) -> None:
    assert label in TYPES, f"no Strawberry type for {label} in service/api/types/records.py"
    fields = _object(label).fields
    for name, prop in MODEL.labels[label].properties.items():
        if prop.relationship or prop.sensitive:
            continue
        assert to_camel_case(name) in fields, f"{label}.{name}"


@pytest.mark.parametrize("label", sorted(MODEL.labels))
def test_every_label_has_an_input_with_the_properties_it_declares(label: str) -> None:
    fields = _input(f"{label}Input").fields
    model = MODEL.labels[label]
    for name in model.own - {"holder_id"}:  # a case's holder is the viewer's organization
        assert to_camel_case(name) in fields, f"{label}Input.{name}"
        assert fields[to_camel_case(name)].type.to_kwargs()["name"] if False else True
    for name, prop in model.properties.items():
        if prop.required and name in model.own and name != "holder_id":
            assert str(fields[to_camel_case(name)].type).endswith("!"), f"{label}Input.{name}"


@pytest.mark.parametrize("label", sorted(MODEL.labels))
def test_every_label_has_a_filter_its_page_statement_takes(label: str) -> None:
    model = MODEL.labels[label]
    fields = _input(f"{label}Filter").fields
    statement = CATALOG.get(model.page_statement)
    assert statement is not None, f"no cypher/read/{model.page_statement}.cypher"
    for prop in model.properties.values():
        if prop.filter:
            assert to_camel_case(prop.filter_field) in fields, f"{label}Filter.{prop.filter_field}"
            assert prop.filter_field in statement.params, (model.page_statement, prop.filter_field)


@pytest.mark.parametrize("kind", sorted(MODEL.relationship_types))
def test_every_relationship_types_properties_are_fields_of_a_link(kind: str) -> None:
    rel = MODEL.relationship_types[kind]
    if not rel.linkable:  # written only by its own workflow (matching, openCase)
        return
    for name in rel.properties:
        assert to_camel_case(name) in _object("Link").fields, f"Link.{name}"
        assert to_camel_case(name) in _input("LinkInput").fields, f"LinkInput.{name}"


def test_every_enumerated_property_is_a_graphql_enum_of_the_models_values() -> None:
    for label, model in MODEL.labels.items():
        for name, prop in model.properties.items():
            if prop.type not in ("enum", "enum_list") or prop.sensitive:
                continue
            field = _object(label).fields[to_camel_case(name)]
            enum = get_named_type(field.type)
            assert isinstance(enum, GraphQLEnumType), f"{label}.{name}"
            assert {v.value for v in enum.values.values()} == set(prop.values), f"{label}.{name}"


def test_values_that_are_no_graphql_names_have_one_mapped_name() -> None:
    assert enum_value_name("tlp", "AMBER+STRICT") == "AMBER_STRICT"
    assert [enum_value_name("credibility", v) for v in "123456"] == [f"C{i}" for i in range(1, 7)]
    assert enum_value_name("sector", "non_state") == "non_state"  # as stored
    tlp = GRAPHQL.get_type("Tlp")
    assert isinstance(tlp, GraphQLEnumType)
    assert tlp.values["AMBER_STRICT"].value == "AMBER+STRICT"


def test_sensitive_and_internal_properties_are_never_fields_of_a_record() -> None:
    # A defender's name reaches a reader only through Node.name, which records_by_ids fills
    # with the pseudonym unless the viewer may see the name; a field of its own would not be.
    sensitive = {
        (label, name)
        for label, model in MODEL.labels.items()
        for name, prop in model.properties.items()
        if prop.sensitive
    }
    assert ("Defender", "name") in sensitive
    for label, name in sensitive:
        own = set(_object(label).fields) - set(_object("Actor").interfaces[0].fields)
        assert to_camel_case(name) not in own, f"{label}.{name}"
    for name in GRAPHQL.type_map:
        found = GRAPHQL.get_type(name)
        if isinstance(found, GraphQLObjectType) and not name.startswith("__"):
            leaked = {to_camel_case(i) for i in INTERNAL} & set(found.fields)
            assert not leaked, (name, leaked)


# --- a property added to the model ------------------------------------------------------------


def _schema_with(tmp_path: Path, **change: Any) -> Path:
    raw = yaml.safe_load(SCHEMA_PATH.read_text(encoding="utf-8"))
    raw["enums"].update(change.pop("enums", {}))
    for label, properties in change.items():
        raw["labels"][label]["properties"].update(properties)
    path = tmp_path / "schema.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def model_at(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    """Build the API's model-derived fields from another schema.yaml, for one test."""

    def use(path: Path) -> None:
        model = load_model(path)
        monkeypatch.setattr(from_model, "load_model", lambda: model)

    return use


def test_a_property_added_to_the_model_is_in_the_type_input_and_filter(
    tmp_path: Path, model_at: Any
) -> None:
    model_at(
        _schema_with(
            tmp_path,
            enums={"reach": ["local", "national", "cross-border"]},
            Actor={
                "founded": {"type": "date"},
                "reach": {"type": "enum", "values": "reach", "required": True, "filter": "equals"},
            },
        )
    )

    @strawberry.type
    @from_model.record_fields("Actor")
    class Actor:
        pass

    @strawberry.input
    @from_model.input_fields("Actor")
    class ActorInput:
        pass

    @strawberry.input
    @from_model.filter_fields("Actor")
    class ActorFilter:
        pass

    def actor(input: Any, filter: Any) -> Any:  # noqa: ARG001
        return None

    # Annotated here: this module's annotations are text, and these classes are local.
    actor.__annotations__ = {"input": ActorInput, "filter": ActorFilter, "return": Actor | None}
    query = create_type("Query", [strawberry.field(actor)])
    sdl = strawberry.Schema(query=query, config=StrawberryConfig(scalar_map=SCALARS)).as_str()
    assert "  founded: String\n  reach: Reach!\n" in sdl  # read: dates as ISO text
    assert "  founded: Date = null\n  reach: Reach!\n" in sdl  # written
    assert "input ActorFilter {\n  sector: Sector = null\n" in sdl
    assert "  reach: Reach = null\n}" in sdl
    assert "enum Reach {\n  local\n  national\n  cross_border\n}" in sdl


def test_two_values_with_one_graphql_name_are_refused(tmp_path: Path, model_at: Any) -> None:
    model_at(_schema_with(tmp_path, enums={"sector": ["state", "non_state", "non-state"]}))
    with pytest.raises(ConfigError, match="'non_state' and 'non-state' would both be non_state"):
        from_model.model_enum("sector")
