"""Ids and the node files of the interchange format (see docs/interchange-format.md).

The files follow the model (service/model/schema.yaml): a label's records are the World's
attribute named like its file (`territories.csv`: `world.territories`), and its columns are the
label's columns that those records hold, as an attribute of the same name or, for a column
naming another record (`parent_id`), the index of that record (`parent`). A property the world
does not draw is left out of the file, not written empty.
"""

import csv
import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import fields
from pathlib import Path
from typing import Any, cast, get_args, get_type_hints

from service.generate.marks import fmt, iso
from service.generate.model import Marks, World
from service.ingest.cells import format_cell
from service.model import Label, Property, load_model

# Records whose order would give away which ones are re-recorded copies get shuffled numbers.
_SHUFFLED = ("Defender", "Incident", "Case")
# The columns of a record's Marks, in the order IdBook.common gives them.
_MARKING = ("tlp", "owner", "shared_with", "sources")


@contextmanager
def csv_rows(path: Path) -> Iterator[Callable[[Sequence[str]], object]]:
    """A row writer: UTF-8, `\\n` line ends, quoted as spreadsheets quote."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        yield csv.writer(handle, lineterminator="\n").writerow


class IdBook:
    """Stable ids per label, and one global index over all nodes for relationship ends."""

    def __init__(self, world: World, rng: random.Random) -> None:
        self.ids: list[str] = []
        self.offset: dict[str, int] = {}
        model = load_model()
        for name in model.write_order:
            label = model.labels[name]
            numbers = list(range(1, len(records(world, label)) + 1))
            if name in _SHUFFLED:
                rng.shuffle(numbers)
            self.offset[name] = len(self.ids)
            self.ids.extend(f"{label.prefix}-{n:06d}" for n in numbers)
        self.size = len(self.ids)

    def g(self, label: str, index: int) -> int:
        """Global index of a node."""
        return self.offset[label] + index

    def id(self, label: str, index: int) -> str:
        return self.ids[self.offset[label] + index]

    def ids_of(self, label: str, indices: Iterable[int]) -> str:
        return ";".join(self.ids[self.offset[label] + i] for i in indices)

    def common(self, marks: Marks) -> list[str]:
        return [
            marks.tlp,
            self.id("Organization", marks.owner),
            self.ids_of("Organization", marks.shared),
            self.ids_of("Source", marks.sources),
        ]


def records(world: World, label: Label) -> Sequence[Any]:
    """The world's records of a label: the attribute named like its file."""
    return cast(Sequence[Any], getattr(world, _world_attribute(label)))


def _world_attribute(label: Label) -> str:
    return label.file.removesuffix(".csv")


def _attribute(column: str, prop: Property) -> str:
    # A column that names another record (`parent_id`) holds that record's index (`parent`).
    return column.removesuffix("_id") if prop.ref else column


def node_columns(label: Label) -> list[str]:
    """The label's columns, in schema.yaml order, that its records in the world hold."""
    (record_type,) = get_args(get_type_hints(World)[_world_attribute(label)])
    held = {f.name for f in fields(record_type)}
    return [
        column
        for column, prop in label.properties.items()
        if column == "id" or column in _MARKING or _attribute(column, prop) in held
    ]


def _cell(book: IdBook, prop: Property, value: Any) -> str:
    """A world value as its cell: an index as the id it names, a day number as its date."""
    if prop.ref:
        return book.id(prop.ref, value) if value >= 0 else ""
    if prop.type == "date":
        return iso(value)
    if prop.type == "float":
        return fmt(value, 4)
    return format_cell(value)


def _rows(book: IdBook, label: Label, columns: list[str], world: World) -> list[list[str]]:
    """Every record of a label as a row of `columns`, sorted by id."""
    props = [label.properties[column] for column in columns]
    rows = []
    for i, record in enumerate(records(world, label)):
        marking = zip(_MARKING, book.common(record.marks), strict=True)
        given = {"id": book.id(label.name, i), **dict(marking)}
        rows.append(
            [
                given[p.name]
                if p.name in given
                else _cell(book, p, getattr(record, _attribute(p.name, p)))
                for p in props
            ]
        )
    return sorted(rows, key=lambda row: row[0])


def write_nodes(out: Path, world: World, book: IdBook) -> dict[str, int]:
    """Writes a file per label, rows sorted by id; returns rows per file."""
    counts = {}
    for name in load_model().write_order:
        label = load_model().labels[name]
        columns = node_columns(label)
        rows = _rows(book, label, columns, world)
        with csv_rows(out / label.file) as write:
            write(columns)
            for row in rows:
                write(row)
        counts[label.file] = len(rows)
    return counts


def write_truth(out: Path, world: World, book: IdBook) -> int:
    """xref_truth.csv: one row per pair of records that describe the same thing."""
    rows = sorted(
        (label, *sorted((book.id(label, a), book.id(label, b)))) for label, a, b in world.truth
    )
    with csv_rows(out / "xref_truth.csv") as write:
        write(("label", "left_id", "right_id"))
        for row in rows:
            write(row)
    return len(rows)
