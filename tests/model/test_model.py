"""The model (service/model/schema.yaml) against what must exist for each of its labels and
relationship types: the Cypher that writes them, the ids' uniqueness, a place in the write
order. No database: the files and the model are read as they are."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from service.cypher import DIALECTS, load_catalog
from service.errors import ConfigError
from service.model import SCHEMA_PATH, load_model

MODEL = load_model()
CATALOG = load_catalog()


@pytest.mark.parametrize("label", sorted(MODEL.labels))
def test_every_label_has_an_upsert_statement(label: str) -> None:
    statement = CATALOG.get(MODEL.labels[label].upsert_statement)
    assert statement is not None, f"no cypher/ingest/{MODEL.labels[label].upsert_statement}.cypher"
    assert statement.area == "ingest"
    for dialect in DIALECTS:
        assert re.search(rf"MERGE \(n:{label}:Record ", statement.text(dialect)), dialect


@pytest.mark.parametrize("kind", sorted(MODEL.relationship_types))
def test_every_relationship_type_has_an_upsert_statement(kind: str) -> None:
    name = MODEL.relationship_types[kind].upsert_statement
    statement = CATALOG.get(name)
    assert statement is not None, f"no cypher/ingest/{name}.cypher"
    assert statement.area == "ingest"
    for dialect in DIALECTS:
        assert re.search(rf"MERGE \(a\)-\[r:{kind} ", statement.text(dialect)), dialect


@pytest.mark.parametrize("dialect", DIALECTS)
def test_record_ids_names_every_label(dialect: str) -> None:
    parts = CATALOG["record_ids"].parts(dialect)
    indexed = {m.group(1) for p in parts for m in [re.search(r"FOR \(n:(\w+)\)", p)] if m}
    assert indexed == {*MODEL.labels, "Record"}


@pytest.mark.parametrize("dialect", DIALECTS)
def test_relationship_ids_names_every_relationship_type(dialect: str) -> None:
    parts = CATALOG["relationship_ids"].parts(dialect)
    indexed = {m.group(1) for p in parts for m in [re.search(r"FOR \(\)-\[r:(\w+)\]", p)] if m}
    assert indexed == set(MODEL.relationship_types)


def test_the_write_order_puts_every_label_after_those_it_refers_to() -> None:
    order = MODEL.write_order
    assert sorted(order) == sorted(MODEL.labels)
    for position, label in enumerate(order):
        for name, prop in MODEL.labels[label].properties.items():
            if prop.ref and prop.ref != label and name not in ("owner", "shared_with", "sources"):
                assert order.index(prop.ref) < position, f"{label}.{name} -> {prop.ref}"
    assert order[:2] == ("Organization", "Source")  # every record's owner and sources


def _schema_with(tmp_path: Path, change: dict[str, dict[str, object]]) -> Path:
    raw = yaml.safe_load(SCHEMA_PATH.read_text(encoding="utf-8"))
    for label, properties in change.items():
        raw["labels"][label]["properties"].update(properties)
    path = tmp_path / "schema.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return path


def test_labels_that_refer_to_each_other_in_a_circle_are_refused(tmp_path: Path) -> None:
    # Territory already names an Incident's place; an incident's territory naming an incident
    # back leaves no order to write them in.
    path = _schema_with(
        tmp_path, {"Territory": {"first_incident": {"type": "str", "ref": "Incident"}}}
    )
    with pytest.raises(ConfigError, match=r"in a circle: (Incident|Territory) -> "):
        load_model(path)


def test_a_reference_to_an_unknown_label_is_refused(tmp_path: Path) -> None:
    path = _schema_with(tmp_path, {"Case": {"court_id": {"type": "str", "ref": "Court"}}})
    with pytest.raises(ConfigError, match="unknown labels: Court"):
        load_model(path)


def test_prefixes_tell_labels_apart() -> None:
    prefixes = [label.prefix for label in MODEL.labels.values()]
    assert len(set(prefixes)) == len(prefixes)
    assert "rel" not in prefixes  # relationships' ids (service/edits.py)


def test_symmetric_types_join_records_of_one_kind_of_end() -> None:
    # A tie that holds both ways must be able to start where it ends.
    for kind in MODEL.symmetric_types:
        rel = MODEL.relationship_types[kind]
        assert rel.from_labels == rel.to_labels, kind
