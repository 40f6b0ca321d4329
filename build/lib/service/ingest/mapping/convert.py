"""Rows of a third-party table into records of interchange tables, as a checked mapping says."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from service.errors import Problem
from service.ingest.cells import CellError, format_cell
from service.ingest.mapping.spec import (
    SET_BY_SPEC,
    Mapping,
    NodeSpec,
    RelationshipSpec,
    ValueSpec,
    Where,
)
from service.ingest.mapping.values import (
    conform,
    hash_code,
    normalize,
    parse_template,
    pick,
)
from service.ingest.validate import FIRST_DATA_LINE
from service.model import Label, Model, Property, load_model


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
        self.items: list[Problem] = []
        self._seen: set[tuple[int, str, str]] = set()

    def add(self, line: int, column: str, message: str) -> None:
        # Two properties made from one bad cell (kind and severity from "Attack type") would
        # report it twice.
        if (line, column, message) not in self._seen:
            self._seen.add((line, column, message))
            self.items.append(Problem(self.file, line, column, message))


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
) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
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
            yield _Row(i + FIRST_DATA_LINE, cells)


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
            return _Cell(conform(raw.text, prop, spec.formats), raw.column)
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
        return _Cell(format_cell(spec.constant), "")

    def _column(
        self, column: str, map_name: str | None, field_name: str | None, row: _Row
    ) -> _Cell | _Failure:
        text = row.cells[column]
        if not text or map_name is None:
            return _Cell(text, column)
        entry = self.mapping.value_maps[map_name].lookup(text)
        if entry is None:
            return _Failure(column, f"'{text}' has no entry in value map '{map_name}'")
        return _Cell(format_cell(pick(entry, field_name)), column)

    def _template(self, template: str, row: _Row) -> _Cell | _Failure:
        # Any empty placeholder empties the whole text: "Guerrero ()" is worse than nothing.
        pieces: list[str] = []
        columns: list[str] = []
        for part in parse_template(template):
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
        return _Cell(prefix + hash_code(values, self.mapping.salt, length), columns[0])

    def _stamps(self, spec: NodeSpec | RelationshipSpec) -> dict[str, str]:
        mapping = self.mapping
        shared_with = mapping.shared_with if spec.shared_with is None else spec.shared_with
        sources = mapping.sources if spec.sources is None else spec.sources
        return {
            "tlp": spec.tlp or mapping.tlp,
            "owner": spec.owner or mapping.owner,
            "shared_with": format_cell(shared_with),
            "sources": format_cell(sources),
        }


def _matches(where: Where, row: _Row) -> bool:
    def has(column: str, values: list[str]) -> bool:
        return normalize(row.cells[column]) in {normalize(v) for v in values}

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
    return [c for c in label.columns if c in used or c in SET_BY_SPEC]


def _relationship_columns(model: Model, mapping: Mapping) -> list[str]:
    used = {name for rel in mapping.relationships for name in rel.properties}
    return [c for c in model.relationship_columns if c in used or c in SET_BY_SPEC]
