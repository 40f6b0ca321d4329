"""Ids and the node files of the interchange format (see docs/interchange-format.md)."""

import csv
import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from service.generate.marks import fmt, iso
from service.generate.model import Marks, World

COMMON = ("tlp", "owner", "shared_with", "sources")
# Column order: id, the label's properties in schema.yaml order, then the common columns.
NODE_FILES = {
    "organizations.csv": ("id", "name", "kind", "country", "focus", "xref_disclose", *COMMON),
    "sources.csv": ("id", "kind", "title", "url", "date", "reliability", "credibility", *COMMON),
    "territories.csv": (
        "id",
        "name",
        "kind",
        "parent_id",
        "iso",
        "lat",
        "lon",
        "resources",
        *COMMON,
    ),
    "actors.csv": ("id", "name", "sector", "kind", "country", "aliases", "public", *COMMON),
    "defenders.csv": (
        "id",
        "pseudonym",
        "name",
        "gender",
        "identities",
        "focus",
        "status",
        "protection_measures",
        "country",
        *COMMON,
    ),
    "incidents.csv": (
        "id",
        "kind",
        "date",
        "severity",
        "verified",
        "description",
        "credibility",
        "territory_id",
        *COMMON,
    ),
    "cases.csv": ("id", "reference", "holder_id", "opened", "status", "summary", *COMMON),
}
LABELS = ("Organization", "Source", "Territory", "Actor", "Defender", "Incident", "Case")
_PREFIX = {
    "Organization": "org",
    "Source": "src",
    "Territory": "ter",
    "Actor": "act",
    "Defender": "def",
    "Incident": "inc",
    "Case": "case",
}
# Records whose order would give away which ones are re-recorded copies get shuffled numbers.
_SHUFFLED = ("Defender", "Incident", "Case")


@contextmanager
def csv_rows(path: Path) -> Iterator[Callable[[Sequence[str]], object]]:
    """A row writer: UTF-8, `\\n` line ends, quoted as spreadsheets quote."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        yield csv.writer(handle, lineterminator="\n").writerow


def cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    return str(value)


class IdBook:
    """Stable ids per label, and one global index over all nodes for relationship ends."""

    def __init__(self, world: World, rng: random.Random) -> None:
        sizes = {
            "Organization": len(world.organizations),
            "Source": len(world.sources),
            "Territory": len(world.territories),
            "Actor": len(world.actors),
            "Defender": len(world.defenders),
            "Incident": len(world.incidents),
            "Case": len(world.cases),
        }
        self.ids: list[str] = []
        self.offset: dict[str, int] = {}
        for label in LABELS:
            numbers = list(range(1, sizes[label] + 1))
            if label in _SHUFFLED:
                rng.shuffle(numbers)
            self.offset[label] = len(self.ids)
            self.ids.extend(f"{_PREFIX[label]}-{n:06d}" for n in numbers)
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


def _rows(world: World, book: IdBook, label: str) -> Iterable[tuple[str, list[str]]]:
    """(id, row) of every node of a label, in world order."""
    o = book.id
    if label == "Organization":
        for i, org in enumerate(world.organizations):
            yield (
                o(label, i),
                [
                    org.name,
                    org.kind,
                    org.country,
                    cell(org.focus),
                    cell(org.xref_disclose),
                    *book.common(org.marks),
                ],
            )
    elif label == "Source":
        for i, s in enumerate(world.sources):
            yield (
                o(label, i),
                [
                    s.kind,
                    s.title,
                    s.url,
                    iso(s.date),
                    s.reliability,
                    s.credibility,
                    *book.common(s.marks),
                ],
            )
    elif label == "Territory":
        for i, t in enumerate(world.territories):
            parent = o(label, t.parent) if t.parent >= 0 else ""
            yield (
                o(label, i),
                [
                    t.name,
                    t.kind,
                    parent,
                    t.iso,
                    fmt(t.lat, 4),
                    fmt(t.lon, 4),
                    cell(t.resources),
                    *book.common(t.marks),
                ],
            )
    elif label == "Actor":
        for i, a in enumerate(world.actors):
            yield (
                o(label, i),
                [
                    a.name,
                    a.sector,
                    a.kind,
                    a.country,
                    cell(a.aliases),
                    cell(a.public),
                    *book.common(a.marks),
                ],
            )
    elif label == "Defender":
        for i, d in enumerate(world.defenders):
            yield (
                o(label, i),
                [
                    d.pseudonym,
                    d.name,
                    d.gender,
                    cell(d.identities),
                    cell(d.focus),
                    d.status,
                    cell(d.measures),
                    d.country,
                    *book.common(d.marks),
                ],
            )
    elif label == "Incident":
        for i, n in enumerate(world.incidents):
            yield (
                o(label, i),
                [
                    n.kind,
                    iso(n.date),
                    str(n.severity),
                    cell(n.verified),
                    n.description,
                    n.credibility,
                    o("Territory", n.territory),
                    *book.common(n.marks),
                ],
            )
    else:
        for i, c in enumerate(world.cases):
            yield (
                o(label, i),
                [
                    c.reference,
                    o("Organization", c.holder),
                    iso(c.opened),
                    c.status,
                    c.summary,
                    *book.common(c.marks),
                ],
            )


def write_nodes(out: Path, world: World, book: IdBook) -> dict[str, int]:
    """Writes the seven node files, rows sorted by id; returns rows per file."""
    counts = {}
    for (name, columns), label in zip(NODE_FILES.items(), LABELS, strict=True):
        rows = sorted(_rows(world, book, label), key=lambda pair: pair[0])
        with csv_rows(out / name) as write:
            write(columns)
            for id_, row in rows:
                write([id_, *row])
        counts[name] = len(rows)
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
