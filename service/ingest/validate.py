"""Check interchange-format tables against the model and turn them into a write plan.

Two phases, because references may point into the graph: `Validator(tables)` parses every
cell and lists the ids the tables refer to but do not define; the loader looks those up in the
graph; `plan(known)` then checks every reference and returns the rows to write, or raises
InvalidInput with every problem found. Nothing is written before the plan exists.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from service.access import Tlp, name_acl, record_acl
from service.errors import InvalidInput, Problem
from service.evidence import derived_confidence
from service.i18n import _
from service.i18n.model_labels import label_name, names_no
from service.ingest.cells import CellError, parse_cell
from service.model import Label, Model, Property
from service.text import fold

FIRST_DATA_LINE = 2  # line 1 is the header, as a spreadsheet numbers it
# Columns that are not stored as properties of the record itself.
_NOT_PROPERTIES = frozenset({"id", "type", "from_id", "to_id"})


@dataclass(frozen=True)
class KnownRecord:
    """A record already in the graph that the tables refer to."""

    label: str
    reliability: str | None = None
    credibility: str | None = None


@dataclass
class Plan:
    """What to write: rows per node label (in the model's write order) and per relationship
    type."""

    nodes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    relationships: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return sum(map(len, self.nodes.values())) + sum(map(len, self.relationships.values()))

    def counts(self) -> dict[str, int]:
        return {k: len(v) for k, v in (self.nodes | self.relationships).items()}


@dataclass(frozen=True)
class _Ref:
    file: str
    line: int
    column: str
    target: str
    labels: frozenset[str]


@dataclass
class _Row:
    file: str
    line: int
    values: dict[str, Any]  # parsed, non-empty cells only


class Validator:
    def __init__(self, model: Model, tables: dict[str, pd.DataFrame]) -> None:
        self.model = model
        self.problems: list[Problem] = []
        self.defined: dict[str, tuple[str, str, int]] = {}  # id -> (label, file, line)
        self.node_rows: dict[str, list[_Row]] = {}
        self.rel_rows: list[_Row] = []
        self.refs: list[_Ref] = []
        for file, table in sorted(tables.items()):
            self._read_table(file, table)

    # -- phase 1: cells -------------------------------------------------------------------

    def _columns_for(self, file: str) -> dict[str, Property] | None:
        label = self.model.label_for_file(file)
        if label is not None:
            return label.properties
        if file == self.model.relationship_file:
            props = dict(self.model.relationship_common)
            for rel in self.model.relationship_types.values():
                props.update(rel.properties)
            return props
        return None

    def _read_table(self, file: str, table: pd.DataFrame) -> None:
        columns = self._columns_for(file)
        if columns is None:
            known = sorted([lb.file for lb in self.model.labels.values()])
            known.append(self.model.relationship_file)
            self._problem(
                file, None, None, _("unknown file; expected one of {known}", known=", ".join(known))
            )
            return
        header_ok = self._check_header(file, table, columns)
        if not header_ok:
            return
        rows = list(self._parse_rows(file, table, columns))
        label = self.model.label_for_file(file)
        if label is None:
            self.rel_rows.extend(rows)
        else:
            self.node_rows[label.name] = rows
            for row in rows:
                self._define(label.name, row)

    def _check_header(self, file: str, table: pd.DataFrame, columns: dict[str, Property]) -> bool:
        ok = True
        for column in table.columns:
            if column not in columns:
                self._problem(file, 1, str(column), _("unknown column"))
                ok = False
        for name, prop in columns.items():
            if prop.required and name not in table.columns:
                self._problem(file, 1, name, _("required column is missing"))
                ok = False
        return ok

    def _parse_rows(
        self, file: str, table: pd.DataFrame, columns: dict[str, Property]
    ) -> Iterator[_Row]:
        parsed: dict[str, list[Any]] = {}
        for column in table.columns:
            prop = columns[column]
            parsed[column] = [
                self._cell(file, i + FIRST_DATA_LINE, prop, text)
                for i, text in enumerate(table[column].tolist())
            ]
        names = list(parsed)
        for i, cells in enumerate(zip(*parsed.values(), strict=True)):
            values = {n: v for n, v in zip(names, cells, strict=True) if v is not None}
            yield _Row(file, i + FIRST_DATA_LINE, values)

    def _cell(self, file: str, line: int, prop: Property, text: Any) -> Any:
        text = "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)
        if not text.strip():
            if prop.required:
                self._problem(file, line, prop.name, _("required value is empty"))
            return None
        try:
            return parse_cell(prop, text)
        except CellError as exc:
            self._problem(file, line, prop.name, str(exc))
            return None

    def _define(self, label: str, row: _Row) -> None:
        record_id = row.values.get("id")
        if record_id is None:
            return
        if record_id in self.defined:
            _label, first_file, first_line = self.defined[record_id]
            self._problem(
                row.file,
                row.line,
                "id",
                _(
                    "{record_id} is also defined at {first_file}:{first_line}",
                    record_id=repr(record_id),
                    first_file=first_file,
                    first_line=first_line,
                ),
            )
            return
        self.defined[record_id] = (label, row.file, row.line)

    def _problem(self, file: str, line: int | None, column: str | None, message: str) -> None:
        self.problems.append(Problem(file, line, column, message))

    # -- references -----------------------------------------------------------------------

    def ids_to_look_up(self) -> set[str]:
        """Ids to find in the graph: those referred to but not defined here, whose labels the
        references need, and those defined here, which must keep the label they have."""
        self._collect_refs()
        return {ref.target for ref in self.refs} | set(self.defined)

    def _collect_refs(self) -> None:
        if self.refs:
            return
        for label, rows in self.node_rows.items():
            spec = self.model.labels[label]
            for row in rows:
                self._refs_of(row, spec.properties)
        for row in self.rel_rows:
            self._refs_of(row, self.model.relationship_common)
            rel = self.model.relationship_types.get(str(row.values.get("type")))
            if rel is None:
                continue
            for column, labels in (("from_id", rel.from_labels), ("to_id", rel.to_labels)):
                if column in row.values:
                    self._ref(row, column, row.values[column], labels)

    def _refs_of(self, row: _Row, props: dict[str, Property]) -> None:
        for name, prop in props.items():
            if prop.ref is None or name not in row.values:
                continue
            value = row.values[name]
            for target in value if isinstance(value, list) else [value]:
                self._ref(row, name, target, frozenset({prop.ref}))

    def _ref(self, row: _Row, column: str, target: str, labels: frozenset[str]) -> None:
        self.refs.append(_Ref(row.file, row.line, column, target, labels))

    def _label_of(self, record_id: str, known: dict[str, KnownRecord]) -> str | None:
        found = known.get(record_id)
        if found is not None:
            return found.label
        return self.defined[record_id][0] if record_id in self.defined else None

    def _check_refs(self, known: dict[str, KnownRecord]) -> None:
        for ref in self.refs:
            label = self._label_of(ref.target, known)
            wanted = " or ".join(sorted(ref.labels))
            if label is None:
                self._problem(
                    ref.file,
                    ref.line,
                    ref.column,
                    names_no(ref.target, wanted),
                )
            elif label not in ref.labels:
                self._problem(
                    ref.file,
                    ref.line,
                    ref.column,
                    _(
                        "{target} is of type {label}, not {wanted}",
                        target=repr(ref.target),
                        label=label_name(label),
                        wanted=label_name(wanted),
                    ),
                )

    def _check_labels_kept(self, known: dict[str, KnownRecord]) -> None:
        for record_id, (label, file, line) in self.defined.items():
            found = known.get(record_id)
            if found is not None and found.label != label:
                self._problem(
                    file,
                    line,
                    "id",
                    _(
                        "{record_id} already exists in the graph as {label}",
                        record_id=repr(record_id),
                        label=label_name(found.label),
                    ),
                )

    # -- phase 2: the plan ----------------------------------------------------------------

    def plan(self, known: dict[str, KnownRecord]) -> Plan:
        """Check references against the load and `known` (from the graph); raise or plan."""
        self._collect_refs()
        self._check_refs(known)
        self._check_labels_kept(known)
        plan = Plan()
        grades = self._source_grades(known)
        for label in self.model.write_order:
            spec = self.model.labels[label]
            for row in self.node_rows.get(label, []):
                self._plan_node(plan, spec, row)
        seen_rel_ids = {r["id"] for rows in plan.relationships.values() for r in rows}
        for row in self.rel_rows:
            self._plan_relationship(plan, row, grades, seen_rel_ids)
        if self.problems:
            raise InvalidInput(sorted(self.problems, key=_problem_order))
        return plan

    def _source_grades(self, known: dict[str, KnownRecord]) -> dict[str, tuple[str, str | None]]:
        grades = {k: (v.reliability, v.credibility) for k, v in known.items() if v.reliability}
        for row in self.node_rows.get("Source", []):
            if "id" in row.values and "reliability" in row.values:
                grades[row.values["id"]] = (
                    row.values["reliability"],
                    row.values.get("credibility"),
                )
        return grades

    def _plan_node(self, plan: Plan, spec: Label, row: _Row) -> None:
        values = row.values
        if "id" not in values or "tlp" not in values or "owner" not in values:
            return  # already reported as empty required cells
        if spec.name == "Actor":
            self._check_actor_kind(row)
        props = {
            k: v
            for k, v in values.items()
            if k not in _NOT_PROPERTIES and k not in spec.relationship_columns
        }
        props.update(_marking(values, defender=spec.name == "Defender"))
        props.update(_search_fields(spec.name, values))
        plan.nodes.setdefault(spec.name, []).append({"id": values["id"], "props": props})
        for column, prop in spec.relationship_columns.items():
            if column in values and prop.relationship:
                plan.relationships.setdefault(prop.relationship, []).append(
                    {
                        "id": f"{values['id']}:{prop.relationship}",
                        "from_id": values["id"],
                        "to_id": values[column],
                        "props": _marking(
                            values,
                            defender=False,
                            places=self.model.relationship_types[prop.relationship].places,
                        ),
                    }
                )

    def _check_actor_kind(self, row: _Row) -> None:
        sector, kind = row.values.get("sector"), row.values.get("kind")
        if sector is None or kind is None:
            return
        allowed = self.model.enums["state_kind" if sector == "state" else "non_state_kind"]
        if kind not in allowed:
            self._problem(
                row.file,
                row.line,
                "kind",
                _("{kind} is not a kind of {sector} actor", kind=repr(kind), sector=sector),
            )

    def _plan_relationship(
        self,
        plan: Plan,
        row: _Row,
        grades: dict[str, tuple[str, str | None]],
        seen: set[str],
    ) -> None:
        values = row.values
        rel = self.model.relationship_types.get(str(values.get("type")))
        if rel is None:
            if "type" in values:
                known = ", ".join(sorted(self.model.relationship_types))
                self._problem(
                    row.file,
                    row.line,
                    "type",
                    _("{type} is not one of: {known}", type=repr(values["type"]), known=known),
                )
            return
        if not {"id", "from_id", "to_id", "tlp", "owner"} <= values.keys():
            return
        self._check_relationship(row, rel.name, rel.properties, rel.same_label)
        if values["id"] in seen or values["id"] in self.defined:
            self._problem(row.file, row.line, "id", _("{id} is used twice", id=repr(values["id"])))
            return
        seen.add(values["id"])
        props = {k: v for k, v in values.items() if k not in _NOT_PROPERTIES}
        props.update(_marking(values, defender=False, places=rel.places))
        sources = [grades[s] for s in values.get("sources", []) if s in grades]
        props["corroboration"] = len(set(values.get("sources", [])))
        if "confidence" not in values:
            props["confidence"] = derived_confidence(sources, values.get("credibility"))
            props["confidence_derived"] = True
        plan.relationships.setdefault(rel.name, []).append(
            {
                "id": values["id"],
                "from_id": values["from_id"],
                "to_id": values["to_id"],
                "props": props,
            }
        )

    def _check_relationship(
        self, row: _Row, type_name: str, own: dict[str, Property], same_label: bool
    ) -> None:
        values = row.values
        for column in values:
            if column not in self.model.relationship_common and column not in own:
                self._problem(
                    row.file,
                    row.line,
                    column,
                    _("{type_name} has no property {column}", type_name=type_name, column=column),
                )
        if values["from_id"] == values["to_id"]:
            self._problem(
                row.file, row.line, "to_id", _("a relationship cannot link a record to itself")
            )
        start, end = values.get("valid_from"), values.get("valid_to")
        if start and end and start > end:
            self._problem(
                row.file,
                row.line,
                "valid_to",
                _("{end} is before valid_from {start}", end=end, start=start),
            )
        if same_label:
            ends = [self.defined.get(values[c], ("?",))[0] for c in ("from_id", "to_id")]
            if ends[0] != ends[1] and "?" not in ends:
                self._problem(
                    row.file,
                    row.line,
                    "to_id",
                    _("{type_name} links records of one label", type_name=type_name),
                )


def _marking(values: dict[str, Any], defender: bool, places: bool = False) -> dict[str, Any]:
    """tlp, owner, sharing and the access tokens computed from them (see service.access).

    A tie that places a record (`places` in the model) gets no tokens here: the load closes it
    first and service/placement.py derives them after the write, so no reader ever sees it
    with tokens that ignore the pseudonym rule."""
    tlp = Tlp(values["tlp"])
    shared = sorted(set(values.get("shared_with", [])))
    marking: dict[str, Any] = {
        "tlp": tlp.value,
        "owner": values["owner"],
        # Always written, even empty: the access tokens must never outlive a withdrawn share.
        "shared_with": shared,
    }
    if not places:
        marking["acl"] = record_acl(tlp, values["owner"], shared)
    if defender:
        marking["name_acl"] = name_acl(tlp, values["owner"], shared)
    return marking


def _search_fields(label: str, values: dict[str, Any]) -> dict[str, str]:
    """Folded text for full-text search; a defender's real name goes to its own field."""
    if label == "Defender":
        fields = {"search_text": fold(values.get("pseudonym", ""))}
        if values.get("name"):
            fields["search_name"] = fold(values["name"])
        return fields
    words: Iterable[str] = [values.get("name", ""), *values.get("aliases", [])]
    text = " ".join(w for w in words if w)
    return {"search_text": fold(text)} if text else {}


def _problem_order(problem: Problem) -> tuple[str, int, str]:
    return (problem.file, problem.line or 0, problem.column or "")
