"""What each holder may learn of a match: one score per side, computed only from what that
side's organization may read of the two records (docs/cross-referencing.md, "One score per
side").

An organization's lens is the widest view any of its viewers can hold: the grants of its readers
cleared for RED, and what the other holder discloses. Through a lens a record keeps only what
may be read: a defender's name only with access to the name (never by disclosure), places no
finer than the region without it, places, perpetrators, targets, a file's defenders and
incidents only through relationships that may be read. A pair is scored for a side only if
blocking would pair what that side sees. A side records the tokens its reading needed: it is
served only to viewers who hold them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from service.access import EVERYONE, Role, Tlp, Viewer, admitted_networks
from service.store import Store
from service.xref.blocking import case_pairs, kind_families
from service.xref.compare import (
    Agreement,
    Candidate,
    Rules,
    compare_cases,
    compare_defenders,
    compare_incidents,
)
from service.xref.names import may_pair
from service.xref.records import (
    Case,
    Defender,
    Incident,
    Marking,
    Places,
    Reached,
    Records,
    case_contents,
)

Record = Defender | Incident | Case


@dataclass
class Seen:
    """What reading through a lens took: the tokens beyond `*`, and whether any of it was read
    only because its holder discloses."""

    needs: set[str] = field(default_factory=set)
    disclosed: bool = False

    def add(self, other: Seen) -> None:
        self.needs |= other.needs
        self.disclosed |= other.disclosed


@dataclass(frozen=True)
class Lens:
    org: str
    grants: tuple[
        str, ...
    ]  # most widely held first: the token a side needs is the first that opens
    consent: str | None  # the other holder, when it discloses: its non-RED markings count too

    def read(self, seen: Seen, *markings: Marking, name: Marking | None = None) -> bool:
        """Whether all of `markings` (and `name`, which disclosure never opens) may be read; if
        so, what it took is added to `seen`."""
        tokens: list[str] = []
        disclosed = False
        for marking in (*markings, *(() if name is None else (name,))):
            token = next((g for g in self.grants if g in marking.acl), None)
            if token is None:
                if marking is name or not self._consents(marking):
                    return False
                disclosed = True
            elif token != EVERYONE:
                tokens.append(token)
        seen.needs.update(tokens)
        seen.disclosed |= disclosed
        return True

    def _consents(self, marking: Marking) -> bool:
        return self.consent is not None and marking.owner == self.consent and not marking.red


@dataclass(frozen=True)
class Side:
    """A match as one holder may learn of it."""

    score: float
    explanation: tuple[Agreement, ...]
    needs: frozenset[str]
    disclosed: bool


@dataclass(frozen=True)
class Proposal:
    label: str
    left: str
    right: str
    sides: tuple[Side | None, Side | None]  # the left record's holder's, the right one's


def _places(
    lens: Lens, places: Places, seen: Seen, placed: Iterable[Reached], fine: bool
) -> tuple[str, ...]:
    shown = (p.value if fine else places.area(p.value) for p in placed if lens.read(seen, *p.via))
    return tuple(dict.fromkeys(p for p in shown if p))


def view_defender(lens: Lens, places: Places, d: Defender, seen: Seen) -> Defender | None:
    if not lens.read(seen, d.marking):
        return None
    named = lens.read(seen, d.marking, name=d.name_marking)
    return replace(
        d, name=d.name if named else "", places=_places(lens, places, seen, d.placed, named)
    )


def view_incident(lens: Lens, places: Places, i: Incident, seen: Seen) -> Incident | None:
    if not lens.read(seen, i.marking):
        return None
    named = [t.name for t in i.targeted if lens.read(seen, *t.via, name=t.name_marking)]
    # An incident's place names the defenders it targeted: fine only if all their names may be.
    fine = len(named) == len(i.targeted)
    return replace(
        i,
        places=_places(lens, places, seen, i.placed, fine),
        actors=frozenset(a.value for a in i.perpetrators if lens.read(seen, *a.via)),
        targets=tuple(n for n in named if n),
    )


def view_case(lens: Lens, places: Places, c: Case, seen: Seen) -> Case | None:
    if not lens.read(seen, c.marking):
        return None
    parts = c.parts
    concerned, named = [], set()
    for d in parts.concerned:
        if lens.read(seen, *d.via):
            has_name = lens.read(seen, *d.via, name=d.name_marking)
            concerned.append((d.id, d.name if has_name else ""))
            named |= {d.id} if has_name else set()
    shown = {i for i, _ in concerned}
    where = [
        p.value if d in named else places.area(p.value)
        for d, p in parts.places
        if d in shown and lens.read(seen, *p.via)
    ]
    documented = [i.value for i in parts.documented if lens.read(seen, *i.via)]
    targeted = [
        (i, d)
        for i, d, via in parts.targeted
        if i in documented and d in shown and lens.read(seen, *via)
    ]
    return case_contents(c, concerned, [p for p in where if p], documented, targeted)


class Lenses:
    """Each holder's lens, by the grants of its organization and who discloses."""

    def __init__(self, grants: dict[str, tuple[str, ...]], disclosing: set[str]) -> None:
        self.grants, self.disclosing = grants, disclosing

    def of(self, org: str, other: str) -> Lens:
        grants = self.grants.get(org) or tuple(Viewer(org, Role.READER, Tlp.RED).grants)
        return Lens(org, grants, other if other in self.disclosing else None)


async def read_lenses(store: Store, orgs: Iterable[str]) -> Lenses:
    """The lenses of these organizations, with the networks they are members of today."""
    grants = {}
    for org in sorted(set(orgs)):
        rows = await store.operator_read("organization_networks", org=org)
        networks = admitted_networks(rows[0]["memberships"]) if rows else ()
        grants[org] = tuple(Viewer(org, Role.READER, Tlp.RED, networks).grants)
    disclosing = {r["id"] for r in await store.operator_read("xref_disclosing")}
    return Lenses(grants, disclosing)


Key = tuple[str, str, str]  # label, left, right (left < right)


class SideScorer:
    """Scores pairs through lenses; each view and each score once."""

    def __init__(self, records: Records, rules: Rules, lenses: Lenses, compared: Iterable[Key]):
        self.records, self.rules, self.lenses = records, rules, lenses
        self.compared = set(compared)
        self.families = kind_families(rules.similar_kinds)
        self._views: dict[tuple[Lens, str, str], tuple[Any, Seen]] = {}
        self._scores: dict[tuple[Lens, Key], tuple[Side | None, Seen]] = {}

    def proposal(self, label: str, left: str, right: str) -> Proposal:
        """The pair as each of its two holders may learn of it (None: nothing, below its
        label's threshold or not comparable from what the holder may read)."""
        key = (label, left, right)
        held = self.records.holder(label, left), self.records.holder(label, right)
        sides = []
        for mine, theirs in (held, held[::-1]):
            side, _ = self.score(self.lenses.of(mine, theirs), key)
            threshold = self.rules.threshold(label)
            sides.append(side if side is not None and side.score >= threshold else None)
        return Proposal(label, left, right, (sides[0], sides[1]))

    def score(self, lens: Lens, key: Key) -> tuple[Side | None, Seen]:
        """The pair's score through `lens`, whatever it is; and what deciding it took."""
        if (lens, key) not in self._scores:
            self._scores[(lens, key)] = self._score(lens, key)
        return self._scores[(lens, key)]

    def _view(self, lens: Lens, label: str, record_id: str) -> tuple[Any, Seen]:
        if (lens, label, record_id) not in self._views:
            seen, places = Seen(), self.records.places
            view: Record | None
            if label == "Defender":
                view = view_defender(lens, places, self.records.defenders[record_id], seen)
            elif label == "Incident":
                view = view_incident(lens, places, self.records.incidents[record_id], seen)
            else:
                view = view_case(lens, places, self.records.cases[record_id], seen)
            self._views[(lens, label, record_id)] = (view, seen)
        return self._views[(lens, label, record_id)]

    def _score(self, lens: Lens, key: Key) -> tuple[Side | None, Seen]:
        label, left, right = key
        (a, seen_a), (b, seen_b) = self._view(lens, label, left), self._view(lens, label, right)
        seen = Seen()
        seen.add(seen_a)
        seen.add(seen_b)
        if a is None or b is None:
            return None, seen
        found: Candidate | None
        if label == "Defender":
            found = self._defenders(a, b)
        elif label == "Incident":
            found = self._incidents(a, b)
        else:
            found = self._cases(lens, a, b, seen)
        if found is None:
            return None, seen
        side = Side(found.score, found.explanation, frozenset(seen.needs), seen.disclosed)
        return side, seen

    def _defenders(self, a: Defender, b: Defender) -> Candidate | None:
        # Blocking on what the side sees: a name it may not read pairs nothing.
        if not (a.name and b.name and a.country == b.country and may_pair(a.name, b.name)):
            return None
        return compare_defenders(a, b, self.records.places, self.rules)

    def _areas(self, seen: Incident, full: Incident) -> set[str | None]:
        if seen.places:
            return {self.records.places.area(p) for p in seen.places}
        # Places it may not read: nothing to block on (not "no place", which pairs the placeless).
        return set() if full.places else {None}

    def _incidents(self, a: Incident, b: Incident) -> Candidate | None:
        full = self.records.incidents
        span = self.rules.date_tolerance_days + 1
        same_family = self.families.get(a.kind, a.kind) == self.families.get(b.kind, b.kind)
        near = abs(a.date.toordinal() // span - b.date.toordinal() // span) <= 1
        shared = self._areas(a, full[a.id]) & self._areas(b, full[b.id])
        if not (same_family and near and shared):
            return None
        return compare_incidents(a, b, self.records.places, self.rules)

    def _cases(self, lens: Lens, a: Case, b: Case, seen: Seen) -> Candidate | None:
        def sub(label: str, x: str, y: str) -> Side | None:
            key: Key = (label, min(x, y), max(x, y))
            if key not in self.compared:
                return None
            side, took = self.score(lens, key)
            seen.add(took)
            return side

        def matched(label: str, xs: Iterable[str], ys: Iterable[str]) -> bool:
            threshold = self.rules.threshold(label)
            return any(
                (side := sub(label, x, y)) is not None and side.score >= threshold
                for x in xs
                for y in ys
                if x != y
            )

        linked = matched("Defender", a.defenders, b.defenders) or matched(
            "Incident", a.incidents, b.incidents
        )
        if not linked:
            return None

        def incident_score(x: str, y: str) -> float:
            side = sub("Incident", x, y)
            return side.score if side is not None else 0.0

        return compare_cases(a, b, self.records.places, self.rules, incident_score)


def sided(
    records: Records,
    rules: Rules,
    lenses: Lenses,
    compared: list[Candidate],
    progress: Callable[[float | None], object] | None = None,
) -> list[Proposal]:
    """Every compared pair of defenders and incidents, and every pair of cases about them, as
    each holder may learn of it."""
    people = [c for c in compared if c.label != "Case"]
    scorer = SideScorer(records, rules, lenses, ((c.label, c.left, c.right) for c in people))
    keys = [(c.label, c.left, c.right) for c in people]
    keys += [("Case", a, b) for a, b in sorted(case_pairs(records, people))]
    out = []
    for key in keys:
        out.append(scorer.proposal(*key))
        if progress:
            progress(1)
    return out
