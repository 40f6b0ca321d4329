"""The records that matching compares, read from the whole graph (operator statements), with
who may read each part of them (service/xref/sides.py reads them as each holder may)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from service.store import Row, Store
from service.xref.names import may_pair


@dataclass(frozen=True)
class Places:
    """The territory hierarchy: which places lie within which."""

    kind: dict[str, str]
    chains: dict[str, tuple[str, ...]]  # a place and every place above it, nearest first

    @classmethod
    def from_rows(cls, rows: Iterable[Row]) -> Places:
        rows = list(rows)
        parent = {r["id"]: r["parent"] for r in rows}
        chains = {}
        for place in parent:
            chain: list[str] = []
            at: str | None = place
            while at is not None and at not in chain:
                chain.append(at)
                at = parent.get(at)
            chains[place] = tuple(chain)
        return cls({r["id"]: r["kind"] for r in rows}, chains)

    def chain(self, place: str) -> tuple[str, ...]:
        return self.chains.get(place, (place,))

    def area(self, place: str) -> str | None:
        """The region a place lies in (itself, if a region), else its country: the coarsest
        place a holder who records vaguely still names."""
        chain = self.chain(place)
        for kind in ("region", "country"):
            found = next((p for p in chain if self.kind.get(p) == kind), None)
            if found:
                return found
        return None

    def agreement(self, left: Iterable[str], right: Iterable[str]) -> float | None:
        """1 for the same place; 0.8 when one lies within the other (a municipality and its
        region); 0.5 within the same region; 0.2 the same country; else 0. None without places."""
        left, right = list(left), list(right)
        if not left or not right:
            return None
        return max(self._pair(a, b) for a in left for b in right)

    def _pair(self, a: str, b: str) -> float:
        if a == b:
            return 1.0
        up_a, up_b = self.chain(a), self.chain(b)
        if a in up_b or b in up_a:
            return 0.8
        common = next((p for p in up_a if p in up_b), None)
        if common is None:
            return 0.0
        return 0.5 if self.kind.get(common) == "region" else 0.2


@dataclass(frozen=True)
class Marking:
    """Who may read one thing: a record, a relationship, a defender's name (its `acl`), whose
    it is, and whether it is RED (never disclosed)."""

    acl: frozenset[str]
    owner: str
    red: bool

    @classmethod
    def from_map(cls, m: Mapping[str, Any]) -> Marking:
        return cls(frozenset(m.get("acl") or ()), str(m.get("owner") or ""), m.get("tlp") == "RED")


# What a field value is reached through: the markings of each relationship and node on the way.
Via = tuple[Marking, ...]


@dataclass(frozen=True)
class Reached:
    value: str
    via: Via


@dataclass(frozen=True)
class Named:
    """A defender that a record points to, with the marking of its name."""

    id: str
    name: str
    via: Via
    name_marking: Marking


@dataclass(frozen=True)
class Defender:
    id: str
    holder: str
    name: str
    gender: str | None
    country: str | None
    identities: frozenset[str]
    focus: frozenset[str]
    places: tuple[str, ...]
    marking: Marking
    name_marking: Marking
    placed: tuple[Reached, ...]  # the places with what they are reached through


@dataclass(frozen=True)
class Incident:
    id: str
    holder: str
    kind: str
    date: dt.date
    places: tuple[str, ...]
    actors: frozenset[str]
    targets: tuple[str, ...]  # the names of the defenders it targeted
    marking: Marking
    placed: tuple[Reached, ...]
    perpetrators: tuple[Reached, ...]
    targeted: tuple[Named, ...]


@dataclass(frozen=True)
class CaseParts:
    """What a case file points to, each with what it is reached through."""

    concerned: tuple[Named, ...]
    places: tuple[tuple[str, Reached], ...]  # (defender id, place)
    documented: tuple[Reached, ...]
    targeted: tuple[tuple[str, str, Via], ...]  # (incident id, defender id, via the TARGETED)


@dataclass(frozen=True)
class Case:
    id: str
    holder: str
    opened: dt.date | None
    defenders: tuple[str, ...]
    names: tuple[str, ...]
    attacks: tuple[int, ...]  # per defender: how many of the documented incidents targeted it
    places: tuple[str, ...]
    incidents: tuple[str, ...]
    marking: Marking
    parts: CaseParts

    def subjects(self) -> list[tuple[str, str]]:
        """(id, name) of the defenders the file is about: those its incidents target most (a
        file on a collective attack also names the others it targeted)."""
        most = max(self.attacks, default=0)
        return [
            (i, n)
            for i, n, a in zip(self.defenders, self.names, self.attacks, strict=True)
            if a == most and n
        ]


def case_contents(
    case: Case,
    concerned: list[tuple[str, str]],
    places: list[str],
    documented: list[str],
    targeted: list[tuple[str, str]],
) -> Case:
    """The case with these contents: (id, name) of its defenders, their places, the incidents
    it documents and (incident, defender) pairs of who was targeted."""
    attacks = tuple(
        sum(1 for i, d in targeted if d == defender and i in documented)
        for defender, _ in concerned
    )
    return replace(
        case,
        defenders=tuple(i for i, _ in concerned),
        names=tuple(n for _, n in concerned),
        attacks=attacks,
        places=tuple(places),
        incidents=tuple(documented),
    )


@dataclass
class Records:
    """What one matching run compares. `new` are the ids to match; every pair has one."""

    places: Places
    defenders: dict[str, Defender] = field(default_factory=dict)
    incidents: dict[str, Incident] = field(default_factory=dict)
    cases: dict[str, Case] = field(default_factory=dict)
    new: set[str] | None = None  # None: everything is new (a whole-graph run)

    def is_new(self, record_id: str) -> bool:
        return self.new is None or record_id in self.new

    def holder(self, label: str, record_id: str) -> str:
        if label == "Case":
            return self.cases[record_id].holder
        if label == "Defender":
            return self.defenders[record_id].holder
        return self.incidents[record_id].holder


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(str(value)) if value else None


def _via(m: Mapping[str, Any]) -> Via:
    return tuple(Marking.from_map(x) for x in m["via"])


def _reached(rows: Iterable[Mapping[str, Any]]) -> tuple[Reached, ...]:
    return tuple(Reached(m["id"], _via(m)) for m in rows)


def _named(rows: Iterable[Mapping[str, Any]]) -> tuple[Named, ...]:
    return tuple(
        Named(m["id"], m["name"] or "", _via(m), Marking.from_map(m["name_marking"])) for m in rows
    )


def _defender(r: Row) -> Defender:
    placed = _reached(r["places"] or ())
    return Defender(
        r["id"],
        r["holder"],
        r["name"] or "",
        r["gender"],
        r["country"],
        frozenset(r["identities"] or ()),
        frozenset(r["focus"] or ()),
        tuple(p.value for p in placed),
        Marking.from_map(r["marking"]),
        Marking.from_map(r["name_marking"]),
        placed,
    )


def _incident(r: Row) -> Incident:
    placed, perpetrators = _reached(r["places"] or ()), _reached(r["actors"] or ())
    targeted = _named(r["targets"] or ())
    return Incident(
        r["id"],
        r["holder"],
        r["kind"],
        dt.date.fromisoformat(r["date"]),
        tuple(p.value for p in placed),
        frozenset(a.value for a in perpetrators),
        tuple(t.name for t in targeted if t.name),
        Marking.from_map(r["marking"]),
        placed,
        perpetrators,
        targeted,
    )


def _case(r: Row) -> Case:
    parts = CaseParts(
        _named(r["concerned"] or ()),
        tuple((m["defender"], Reached(m["id"], _via(m))) for m in r["places"] or ()),
        _reached(r["documented"] or ()),
        tuple((m["incident"], m["defender"], _via(m)) for m in r["targeted"] or ()),
    )
    empty = Case(
        r["id"],
        r["holder"] or r["owner"],
        _date(r["opened"]),
        (),
        (),
        (),
        (),
        (),
        Marking.from_map(r["marking"]),
        parts,
    )
    return case_contents(
        empty,
        [(d.id, d.name) for d in parts.concerned],
        [p.value for _, p in parts.places],
        [i.value for i in parts.documented],
        [(i, d) for i, d, _ in parts.targeted],
    )


CHUNK = 5000  # ids per read: each read stays well inside the statement timeout
ALL_DATES = ("0001-01-01", "9999-12-31")


async def _ids(store: Store, statement: str, **params: Any) -> list[str]:
    return sorted({row["id"] for row in await store.operator_read(statement, **params)})


async def _read(store: Store, statement: str, ids: list[str]) -> list[Row]:
    """The records of some ids, a chunk at a time (looked up by the id index)."""
    # A case's holder is the one named on the day matching runs.
    dated = (
        {"today": dt.datetime.now(dt.UTC).date().isoformat()} if statement == "xref_cases" else {}
    )
    rows: list[Row] = []
    for i in range(0, len(ids), CHUNK):
        rows += await store.operator_read(statement, ids=ids[i : i + CHUNK], **dated)
    return rows


async def read_all(store: Store) -> Records:
    """Every defender, incident and case in the graph."""
    places = Places.from_rows(await store.operator_read("xref_territories"))
    records = Records(places)
    defenders = await _ids(store, "xref_defender_ids", countries=[])
    records.defenders = {
        r["id"]: _defender(r) for r in await _read(store, "xref_defenders", defenders)
    }
    since, until = ALL_DATES
    incidents = await _ids(store, "xref_incident_ids", since=since, until=until)
    records.incidents = {
        r["id"]: _incident(r) for r in await _read(store, "xref_incidents", incidents)
    }
    cases = await _ids(store, "xref_case_ids")
    records.cases = {r["id"]: _case(r) for r in await _read(store, "xref_cases", cases)}
    return records


async def read_around(store: Store, ids: list[str], date_window: int) -> Records:
    """The given records and the defenders and incidents they could match: defenders of the
    same countries whose names share a blocking key, incidents of the same regions within the
    date window. New are the ids, and the defenders and incidents of given cases (whose peers
    `add_cases_about` joins)."""
    places = Places.from_rows(await store.operator_read("xref_territories"))
    given = [_case(r) for r in await _read(store, "xref_cases", ids)]
    new = set(ids) | {x for case in given for x in (*case.defenders, *case.incidents)}
    records = Records(places, new=new)
    wanted = sorted(new)
    defenders = [_defender(r) for r in await _read(store, "xref_defenders", wanted)]
    countries = sorted({d.country for d in defenders if d.country})
    if countries:
        named = await store.operator_read("xref_defender_ids", countries=countries)
        pool = sorted(
            {r["id"] for r in named if any(may_pair(d.name, r["name"] or "") for d in defenders)}
        )
        records.defenders = {
            r["id"]: _defender(r) for r in await _read(store, "xref_defenders", pool)
        }
    records.defenders.update((d.id, d) for d in defenders)
    incidents = [_incident(r) for r in await _read(store, "xref_incidents", wanted)]
    span = dt.timedelta(days=date_window)
    near: set[str] = set()
    for incident in incidents:
        since, until = (incident.date - span).isoformat(), (incident.date + span).isoformat()
        rows = await store.operator_read("xref_incident_ids", since=since, until=until)
        areas = {places.area(p) for p in incident.places}
        near |= {
            r["id"] for r in rows if not areas or areas & {places.area(p) for p in r["places"]}
        }
    records.incidents = {
        r["id"]: _incident(r) for r in await _read(store, "xref_incidents", sorted(near))
    }
    records.incidents.update((i.id, i) for i in incidents)
    records.cases = {c.id: c for c in given}
    return records


async def add_cases_about(store: Store, records: Records, about: list[str]) -> None:
    """Join the cases that concern or document one of `about` (the records that the given
    cases' defenders and incidents matched)."""
    cases = await _ids(store, "xref_case_ids_about", about=about)
    known = [c for c in cases if c not in records.cases]
    records.cases.update((r["id"], _case(r)) for r in await _read(store, "xref_cases", known))
