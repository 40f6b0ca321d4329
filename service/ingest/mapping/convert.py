"""Rows of a third-party table into records of interchange tables, as a checked mapping says."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from service.countries import country_code
from service.errors import Problem
from service.i18n import _
from service.ingest.cells import LIST_SEPARATOR, CellError, format_cell
from service.ingest.mapping.spec import (
    SET_BY_SPEC,
    DeclaredOwner,
    Mapping,
    NodeSpec,
    RelationshipSpec,
    ValueSpec,
    Where,
)
from service.ingest.mapping.values import (
    Placeholder,
    conform,
    hash_code,
    list_items,
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
    column: str  # the table's column to name if the value turns out wrong; "" if none
    path: str = ""  # else the place in the mapping that gave it (a constant, a marking)


@dataclass(frozen=True)
class _Failure:
    column: str
    message: str
    missing_ref: bool = False  # a ref to a node the row did not make: a coalesce goes on


@dataclass(frozen=True)
class _Record:
    file: str
    line: int
    values: dict[str, str]
    cells: dict[str, _Cell]  # property -> where its value came from, to point at


@dataclass(frozen=True)
class Converted:
    """The interchange tables a mapping made, the problems of rows it could not convert, and
    where every generated cell came from, so that what the loader finds wrong in them is
    reported in the user's own files (`locate`), never in the generated ones."""

    tables: dict[str, pd.DataFrame]
    problems: list[Problem]
    table_name: str
    mapping_name: str
    records: dict[str, list[_Record]]  # by generated file, in its row order

    def locate(self, problem: Problem) -> Problem:
        """`problem` found in a generated table, moved to the table row or mapping key that
        made the cell."""
        rows = self.records.get(problem.file)
        if rows is None:
            return problem
        index = (problem.line or 0) - FIRST_DATA_LINE
        if not 0 <= index < len(rows):
            return Problem(self.table_name, None, None, problem.message)
        record = rows[index]
        cell = record.cells.get(problem.column or "") or record.cells.get("id")
        if cell is not None and not cell.column and cell.path:
            return Problem(self.mapping_name, None, cell.path, problem.message)
        column = cell.column if cell is not None and cell.column else None
        return Problem(self.table_name, record.line, column, problem.message)


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

    Ids and values are compared folded (service.text.fold: no accents, no case, one space), so
    `Antioquia` and `ANTIOQUÍA` are one place, and the first spelling seen is the one kept.
    A later row that gives the same id other values is reported as a problem rather than
    taken as an update: in a third-party table it is more often a typo or two people with one
    name than a correction.
    """

    def __init__(self, problems: _Problems) -> None:
        self.problems = problems
        self.by_id: dict[str, _Record] = {}
        self._spelling: dict[str, str] = {}  # folded id -> the first spelling seen

    def canonical(self, record_id: str) -> str:
        """The id as first spelled, for any accent or case variant of it."""
        return self._spelling.setdefault(normalize(record_id), record_id)

    def add(self, record: _Record) -> None:
        record_id = record.values["id"]
        kept = self.by_id.setdefault(record_id, record)
        if kept is record:
            return
        if kept.file != record.file:
            self.problems.add(
                record.line,
                record.cells["id"].column,
                _(
                    "'{id}' is also the id of another kind of record, made from line {line}",
                    id=record_id,
                    line=kept.line,
                ),
            )
            return
        for name, value in record.values.items():
            # An empty value is "not known" and disagrees with nothing. Values stay out of the
            # message: they may be a defender's name.
            first = kept.values.get(name, "")
            if value and value != first and normalize(value) != normalize(first):
                self.problems.add(
                    record.line,
                    record.cells[name].column if name in record.cells else "",
                    _(
                        "'{record_id}' was made from line {line} with another {name}",
                        record_id=record_id,
                        line=kept.line,
                        name=name,
                    ),
                )


def apply_mapping(
    table: pd.DataFrame, mapping: Mapping, table_name: str, mapping_name: str = "mapping"
) -> Converted:
    """Interchange tables by file name, and the problems of rows that could not be converted.

    Cells are text as in the CSV files. A node or relationship with a problem is left out of
    the tables and its problem is in the list, so a load must refuse when the list is not
    empty. Rows whose cells are all empty are skipped (spreadsheets export them at the end).
    """
    model = load_model()
    problems = _Problems(table_name)
    missing = [c for c in mapping.columns() if c not in table.columns]
    for column in missing:
        problems.add(1, column, _("the mapping reads this column, but the table has none"))
    records = _Records(problems)
    if isinstance(mapping.owner, DeclaredOwner):
        records.add(_owner_record(mapping, mapping.owner))
    if not missing:
        converter = _Converter(mapping, model, records, problems)
        for row in _rows(table):
            converter.convert(row)
    tables, by_file = _tables(mapping, model, list(records.by_id.values()))
    return Converted(tables, problems.items, table_name, mapping_name, by_file)


def _owner_record(mapping: Mapping, owner: DeclaredOwner) -> _Record:
    """The organization the mapping declares as owner, owned by itself."""
    values = {
        "id": owner.id,
        "name": owner.name,
        "kind": owner.kind,
        "country": country_code(owner.country or "") or "",
        "tlp": mapping.tlp,
        "owner": owner.id,
        "shared_with": format_cell(mapping.shared_with),
        "sources": "",
    }
    cells = {name: _Cell(value, "", f"owner.{name}") for name, value in values.items()}
    cells.update(owner=_Cell(owner.id, "", "owner.id"), tlp=_Cell(mapping.tlp, "", "tlp"))
    return _Record("organizations.csv", 0, values, cells)


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
        self._stamped: dict[str, dict[str, _Cell]] = {}  # spec path -> its markings
        self.unmade: dict[str, str] = {}  # in the current row: spec name -> the column that
        # kept it from being made (a failed `where`, an id that could not be made)

    def convert(self, row: _Row) -> None:
        # Ids first: a ref (territory_id: {ref: region}) may name a node made later in the row.
        ids: dict[str, _Cell] = {}
        self.unmade = {}
        specs: list[tuple[int, NodeSpec]] = []
        for i, spec in enumerate(self.mapping.nodes):
            failed = _failed_condition(spec.where, row)
            if failed is not None:
                self.unmade[spec.as_] = failed
                continue
            specs.append((i, spec))
            label = self.model.labels[spec.label]
            node_id = self._value(spec.id, label.properties["id"], row, ids, f"nodes[{i}].id")
            if isinstance(node_id, _Failure):
                self.problems.add(row.line, node_id.column, node_id.message)
                self.unmade[spec.as_] = node_id.column
            else:
                text = self.records.canonical(node_id.text)
                ids[spec.as_] = _Cell(text, node_id.column, node_id.path)
        for i, spec in specs:
            if spec.as_ in ids:
                self._node(spec, ids, row, f"nodes[{i}]")
        for i, rel in enumerate(self.mapping.relationships):
            if rel.from_ in ids and rel.to in ids and _matches(rel.where, row):
                self._relationship(rel, ids, row, f"relationships[{i}]")

    def _node(self, spec: NodeSpec, ids: dict[str, _Cell], row: _Row, path: str) -> None:
        label = self.model.labels[spec.label]
        filled = self._fill(spec.properties, label.properties, row, ids, f"{path}.properties")
        if filled is not None:
            values, cells = filled
            stamps = self._stamps(spec, path)
            cells = {"id": ids[spec.as_], **cells, **stamps}
            values = {name: cell.text for name, cell in cells.items()} | values
            self.records.add(_Record(label.file, row.line, values, cells))

    def _relationship(
        self, rel: RelationshipSpec, ids: dict[str, _Cell], row: _Row, path: str
    ) -> None:
        kind = self.model.relationship_types[rel.type]
        props = {**self.model.relationship_common, **kind.properties}
        filled = self._fill(rel.properties, props, row, ids, f"{path}.properties")
        if filled is None:
            return
        values, cells = filled
        empty = next((name for name in rel.id_with if not values[name]), None)
        if empty is not None:
            self.problems.add(
                row.line,
                cells[empty].column,
                _("'{empty}' is part of the id, but empty", empty=empty),
            )
            return
        ends = {"from_id": ids[rel.from_], "to_id": ids[rel.to]}
        rel_id = ":".join(
            [ends["from_id"].text, rel.type, ends["to_id"].text] + [values[n] for n in rel.id_with]
        )
        cells = {
            "id": _Cell(rel_id, ends["from_id"].column, ends["from_id"].path),
            "type": _Cell(rel.type, "", f"{path}.type"),
            **ends,
            **cells,
            **self._stamps(rel, path),
        }
        values = {name: cell.text for name, cell in cells.items()} | values
        self.records.add(_Record(self.model.relationship_file, row.line, values, cells))

    def _fill(
        self,
        specs: dict[str, ValueSpec],
        props: dict[str, Property],
        row: _Row,
        ids: dict[str, _Cell],
        path: str,
    ) -> tuple[dict[str, str], dict[str, _Cell]] | None:
        """Values and their origins by property, or None after reporting every failure."""
        values: dict[str, str] = {}
        cells: dict[str, _Cell] = {}
        for name, spec in specs.items():
            result = self._value(spec, props[name], row, ids, f"{path}.{name}")
            if isinstance(result, _Failure):
                self.problems.add(row.line, result.column, result.message)
            else:
                values[name], cells[name] = result.text, result
        return (values, cells) if len(values) == len(specs) else None

    def _value(
        self, spec: ValueSpec, prop: Property, row: _Row, ids: dict[str, _Cell], path: str
    ) -> _Cell | _Failure:
        raw = self._raw(spec, prop, row, ids, path)
        if isinstance(raw, _Failure):
            return raw
        if not raw.text:
            if spec.required or prop.required:
                return _Failure(raw.column, _("empty, but '{name}' needs a value", name=prop.name))
            return raw
        try:
            return _Cell(conform(raw.text, prop, spec.formats), raw.column, raw.path)
        except CellError as exc:
            return _Failure(raw.column, str(exc))

    def _raw(
        self, spec: ValueSpec, prop: Property, row: _Row, ids: dict[str, _Cell], path: str
    ) -> _Cell | _Failure:
        if spec.column is not None:
            return self._column(spec.column, spec.map, spec.field, row)
        if spec.template is not None:
            return self._template(spec.template, prop.type in _LIST_TYPES, row)
        if spec.from_ is not None:
            return self._hash(spec.from_, spec.prefix, spec.length, row)
        if spec.ref is not None:
            return self._ref(spec.ref, ids)
        if spec.coalesce is not None:
            return self._coalesce(spec.coalesce, prop, row, ids, path)
        return _Cell(format_cell(spec.constant), "", f"{path}.constant")

    def _ref(self, name: str, ids: dict[str, _Cell]) -> _Cell | _Failure:
        found = ids.get(name)
        if found is not None:
            return _Cell(found.text, found.column, found.path)
        # Never an empty value in silence: the row was meant to make that node.
        column = self.unmade.get(name, "")
        message = _("refers to '{name}', but this row makes no '{name}' node", name=name)
        return _Failure(column, message, missing_ref=True)

    def _coalesce(
        self,
        items: list[ValueSpec],
        prop: Property,
        row: _Row,
        ids: dict[str, _Cell],
        path: str,
    ) -> _Cell | _Failure:
        """The first item that gives a value; a ref that finds nothing counts as empty, but
        when no item gives a value its failure is the coalesce's."""
        missing: _Failure | None = None
        last = _Cell("", "")
        for i, item in enumerate(items):
            value = self._raw(item, prop, row, ids, f"{path}.coalesce[{i}]")
            if isinstance(value, _Failure) and not value.missing_ref:
                return value
            if isinstance(value, _Failure):
                missing = value
            elif value.text:
                return value
            else:
                last = value
        return missing or last

    def _column(
        self, column: str, map_name: str | None, field_name: str | None, row: _Row
    ) -> _Cell | _Failure:
        text = row.cells[column]
        if not text or map_name is None:
            return _Cell(text, column)
        entry = self.mapping.value_maps[map_name].lookup(text)
        if entry is None:
            return _Failure(
                column,
                _("'{text}' has no entry in value map '{map_name}'", text=text, map_name=map_name),
            )
        return _Cell(format_cell(pick(entry, field_name)), column)

    def _template(self, template: str, as_list: bool, row: _Row) -> _Cell | _Failure:
        # For a list, each `;`-separated item on its own: one empty column leaves out its item,
        # never the others ("woman" stays when the people column is empty).
        parts = parse_template(template)
        texts: list[str] = []
        columns: list[str] = []
        for item in list_items(parts) if as_list else [parts]:
            filled = self._filled(item, row)
            if isinstance(filled, _Failure):
                return filled
            if filled.text:
                texts.append(filled.text)
            columns.append(filled.column)
        column = next((c for c in columns if c), "")
        return _Cell(LIST_SEPARATOR.join(texts), column)

    def _filled(self, parts: tuple[str | Placeholder, ...], row: _Row) -> _Cell | _Failure:
        # Any empty placeholder empties the whole text: "Guerrero ()" is worse than nothing.
        pieces: list[str] = []
        columns: list[str] = []
        for part in parts:
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

    def _stamps(self, spec: NodeSpec | RelationshipSpec, path: str) -> dict[str, _Cell]:
        """The markings, each with the mapping key that gave it: the spec's own or the top's."""
        if path not in self._stamped:
            self._stamped[path] = self._markings(spec, path)
        return self._stamped[path]

    def _markings(self, spec: NodeSpec | RelationshipSpec, path: str) -> dict[str, _Cell]:
        mapping = self.mapping
        given = {
            "tlp": (spec.tlp, mapping.tlp),
            "owner": (spec.owner, mapping.owner_id),
            "shared_with": (spec.shared_with, mapping.shared_with),
            "sources": (spec.sources, mapping.sources),
        }
        return {
            name: _Cell(format_cell(default), "", name)
            if own is None
            else _Cell(format_cell(own), "", f"{path}.{name}")
            for name, (own, default) in given.items()
        }


_LIST_TYPES = frozenset({"list", "enum_list"})


def _failed_condition(where: Where, row: _Row) -> str | None:
    """The first column whose condition keeps the row from `where`, or None if it passes."""

    def has(column: str, values: list[str]) -> bool:
        return normalize(row.cells[column]) in {normalize(v) for v in values}

    failed = [
        *(c for c in where.empty if row.cells[c]),
        *(c for c in where.not_empty if not row.cells[c]),
        *(c for c, values in where.one_of.items() if not has(c, values)),
        *(c for c, values in where.not_in.items() if has(c, values)),
    ]
    return failed[0] if failed else None


def _matches(where: Where, row: _Row) -> bool:
    return _failed_condition(where, row) is None


def _tables(
    mapping: Mapping, model: Model, records: list[_Record]
) -> tuple[dict[str, pd.DataFrame], dict[str, list[_Record]]]:
    """The interchange tables, and the records of each in its row order."""
    columns = {
        model.labels[spec.label].file: _node_columns(model.labels[spec.label], mapping)
        for spec in mapping.nodes
    }
    if isinstance(mapping.owner, DeclaredOwner):
        organizations = model.labels["Organization"]
        columns[organizations.file] = _node_columns(organizations, mapping, _OWNER_COLUMNS)
    if mapping.relationships:
        columns[model.relationship_file] = _relationship_columns(model, mapping)
    by_file = {file: [r for r in records if r.file == file] for file in columns}
    tables = {
        file: pd.DataFrame(
            [[r.values.get(c, "") for c in names] for r in by_file[file]],
            columns=names,
            dtype=str,
        )
        for file, names in columns.items()
    }
    return tables, by_file


_OWNER_COLUMNS = frozenset({"name", "kind", "country"})


def _node_columns(label: Label, mapping: Mapping, extra: frozenset[str] = frozenset()) -> list[str]:
    used = {name for s in mapping.nodes if s.label == label.name for name in s.properties}
    return [c for c in label.columns if c in used or c in extra or c in SET_BY_SPEC]


def _relationship_columns(model: Model, mapping: Mapping) -> list[str]:
    used = {name for rel in mapping.relationships for name in rel.properties}
    return [c for c in model.relationship_columns if c in used or c in SET_BY_SPEC]
