"""Blocking: only records that share a key are compared.

Defenders share a key when two words of their names sound alike in the same country, and a
name with an initial looks up the names whose words it may abbreviate; incidents when they fall
in the same or the next date bucket (a bucket spans the date tolerance) in the same region (the
country, for a place above regions) and their kinds are of one family (kinds holders file for
one another); cases when they concern defenders, or document incidents, that were found to
match. A key held by more than `max_block` records makes no pairs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from itertools import combinations
from typing import TYPE_CHECKING, Protocol, TypeVar, cast

from service.xref.names import block_keys, initial_keys, probe_keys
from service.xref.records import Defender, Incident, Records

if TYPE_CHECKING:
    from service.xref.compare import Candidate


class _Held(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def holder(self) -> str: ...


R = TypeVar("R", bound=_Held)
Pair = tuple[str, str]


def _pairs(
    records: Mapping[str, R],
    keys: Callable[[R], Iterable[Hashable]],
    records_info: Records,
    max_block: int,
    neighbours: Callable[[Hashable], Iterable[Hashable]] | None = None,
) -> set[Pair]:
    blocks: dict[Hashable, list[R]] = defaultdict(list)
    for record in records.values():
        for key in set(keys(record)):
            blocks[key].append(record)
    out: set[Pair] = set()
    for key, block in blocks.items():
        if len(block) > max_block:
            continue
        out.update(_keep(combinations(block, 2), records_info))
        for near in neighbours(key) if neighbours else ():
            out.update(_keep(((a, b) for a in block for b in blocks.get(near, [])), records_info))
    return out


def _keep(pairs: Iterable[tuple[R, R]], records: Records) -> Iterator[Pair]:
    for a, b in pairs:
        if a.holder != b.holder and (records.is_new(a.id) or records.is_new(b.id)):
            yield (a.id, b.id) if a.id < b.id else (b.id, a.id)


def defender_pairs(records: Records, max_block: int) -> set[Pair]:
    pairs = _pairs(
        records.defenders,
        lambda d: ((d.country, key) for key in block_keys(d.name)),
        records,
        max_block,
    )
    # A name with an initial ("M. García") looks up the names it may abbreviate; two full names
    # never pair through initials, so common initials do not make big blocks.
    by_initial: dict[Hashable, list[Defender]] = defaultdict(list)
    for d in records.defenders.values():
        for key in initial_keys(d.name):
            by_initial[(d.country, key)].append(d)
    for d in records.defenders.values():
        for key in probe_keys(d.name):
            block = by_initial.get((d.country, key), [])
            if len(block) <= max_block:
                pairs.update(_keep(((d, other) for other in block if other is not d), records))
    return pairs


def kind_families(similar: Iterable[Iterable[str]]) -> dict[str, str]:
    """Kinds that holders file for one another, joined into families (threat, attack and
    killing are one): kind -> the family's first kind."""
    family: dict[str, str] = {}

    def root(kind: str) -> str:
        while family.get(kind, kind) != kind:
            kind = family[kind]
        return kind

    for group in similar:
        first, *rest = sorted(group)
        for kind in rest:
            a, b = sorted((root(first), root(kind)))
            family[b] = a
            family.setdefault(a, a)
    return {kind: root(kind) for kind in family}


def incident_pairs(
    records: Records, max_block: int, tolerance_days: int, similar: Iterable[Iterable[str]]
) -> set[Pair]:
    span = tolerance_days + 1
    families = kind_families(similar)

    def keys(incident: Incident) -> Iterator[Hashable]:
        areas = {records.places.area(p) for p in incident.places} or {None}
        for area in areas:
            yield (
                area,
                families.get(incident.kind, incident.kind),
                incident.date.toordinal() // span,
            )

    def next_bucket(key: Hashable) -> Iterable[Hashable]:
        area, family, bucket = cast(tuple[str | None, str, int], key)
        return ((area, family, bucket + 1),)

    return _pairs(records.incidents, keys, records, max_block, next_bucket)


def case_pairs(records: Records, matches: Iterable[Candidate]) -> set[Pair]:
    """Cases that concern defenders, or document incidents, found to match."""
    about: dict[str, list[str]] = defaultdict(list)
    for case in records.cases.values():
        for record in {*case.defenders, *case.incidents}:
            about[record].append(case.id)
    cases = records.cases
    return set(
        _keep(
            (
                (cases[a], cases[b])
                for m in matches
                for a in about.get(m.left, ())
                for b in about.get(m.right, ())
            ),
            records,
        )
    )
