"""relationships.csv, streamed: each phase draws its relationships and writes them at once, so
a million rows never sit in memory. PART_OF, OCCURRED_IN and HELD_BY are not written here:
they come from the parent_id, territory_id and holder_id columns."""

import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from service.generate.actors import ARMED
from service.generate.geo import GeoIndex
from service.generate.marks import (
    EXPIRED_BY,
    LAST_DAY,
    TIES_FROM,
    Marker,
    fmt,
    iso,
    weighted,
)
from service.generate.model import ActorTie, Marks, World
from service.generate.output import IdBook, csv_rows
from service.model import load_model

# The one property column of each type that has one (SAME_AS has three, see `same_as`).
PROPERTY = {
    "COLLUDES_WITH": "mode",
    "SUPPORTS": "kind",
    "CONTROLS": "degree",
    "PERPETRATED_BY": "attribution",
    "MEMBER_OF": "role",
    "HAS_INTEREST_IN": "resource",
    "FUNDS": "amount",
}
# The model's common columns, then each type's property columns in the order above.
COLUMNS = (
    *load_model().relationship_common,
    *PROPERTY.values(),
    *load_model().relationship_types["SAME_AS"].properties,
)
_FIRST_PROP = len(load_model().relationship_common)
_POSITION = {column: i for i, column in enumerate(COLUMNS)}
# Ties that hold both ways are kept once per pair.
_SYMMETRIC = frozenset(load_model().symmetric_types)
_CREDIBILITY = {"1": 0.15, "2": 0.3, "3": 0.25, "4": 0.15, "5": 0.1, "6": 0.05}
_COUNTRIES = ("MX", "GT", "HN", "SV", "CO")
_RECEIVERS = ("community", "grassroots", "ngo", "indigenous_authority")  # of org support
_SUPPORT_BASE = {"ngo": 3, "ingo": 2, "network": 2, "donor": 1}  # initial attachment weight
_SUPPORT_KINDS = {
    "donor": {"funding": 1.0},
    "ingo": {
        "accompaniment": 0.35,
        "advocacy": 0.25,
        "relocation": 0.15,
        "digital_security": 0.15,
        "funding": 0.1,
    },
    "ngo": {
        "legal": 0.4,
        "psychosocial": 0.2,
        "accompaniment": 0.2,
        "digital_security": 0.1,
        "advocacy": 0.1,
    },
    "network": {"advocacy": 0.4, "accompaniment": 0.3, "relocation": 0.3},
}


@dataclass(slots=True)
class Evidence:
    """The common columns of one relationship."""

    marks: Marks
    confidence: str = ""
    credibility: str = ""
    valid_from: int = 0
    valid_to: int = 0


class RelWriter:
    """Writes relationship rows with sequential ids; drops self-loops and repeated
    (type, from, to) triples, symmetric types in either direction."""

    def __init__(self, write: Callable[[Sequence[str]], object], book: IdBook) -> None:
        self.write = write
        self.book = book
        self.count = 0
        self._seen: dict[str, set[int]] = defaultdict(set)

    def forget(self) -> None:
        """Free the duplicate check between phases that cannot repeat each other's triples."""
        self._seen.clear()

    def emit(self, type_: str, a: int, b: int, ev: Evidence, **props: str) -> bool:
        if a == b:
            return False
        x, y = (min(a, b), max(a, b)) if type_ in _SYMMETRIC else (a, b)
        key = x * self.book.size + y
        seen = self._seen[type_]
        if key in seen:
            return False
        seen.add(key)
        self.count += 1
        ids, m = self.book.ids, ev.marks
        row = [
            f"rel-{self.count:07d}",
            type_,
            ids[a],
            ids[b],
            ev.confidence,
            ev.credibility,
            iso(ev.valid_from),
            iso(ev.valid_to),
            m.tlp,
            self.book.id("Organization", m.owner),
            self.book.ids_of("Organization", m.shared),
            self.book.ids_of("Source", m.sources),
        ]
        row.extend([""] * (len(COLUMNS) - _FIRST_PROP))
        for column, value in props.items():
            row[_POSITION[column]] = value
        self.write(row)
        return True


class Ties:
    """The phases that draw every relationship of a world."""

    def __init__(
        self, rng: random.Random, marker: Marker, world: World, geo: GeoIndex, out: RelWriter
    ) -> None:
        self.rng = rng
        self.marker = marker
        self.w = world
        self.geo = geo
        self.out = out
        self.book = out.book
        self.credibility = weighted(_CREDIBILITY)
        self.orgs_by_region: dict[int, list[int]] = defaultdict(list)
        for j, org in enumerate(world.organizations):
            self.orgs_by_region[org.region].append(j)
        self.members: dict[int, list[int]] = defaultdict(list)  # organization -> defenders
        for i, d in enumerate(world.defenders):
            for j, _ in d.memberships:
                self.members[j].append(i)

    def run(self) -> None:
        for phase in (
            self._actor_ties,
            self._presence,
            self._organizations,
            self._defenders,
            self._incidents,
            self._cases,
        ):
            phase()
            self.out.forget()

    # --- evidence --------------------------------------------------------------------------

    def evidence(self, profile: str, owner: int, since: int = 0) -> Evidence:
        """Markings plus confidence, credibility and validity. `since` pins the start (an
        event); otherwise a structural tie starts at some date and may have ended."""
        rng = self.rng
        ev = Evidence(self.marker.marks(profile, owner))
        if rng.random() < 0.9:
            low = 0.2 if profile == "covert" else 0.4
            ev.confidence = fmt(rng.uniform(low, 1.0))
        if rng.random() < 0.35:
            ev.credibility = self.credibility.pick(rng)
        if since:
            ev.valid_from = since
        elif rng.random() < 0.85:
            ev.valid_from = rng.randint(TIES_FROM, LAST_DAY - 30)
            if rng.random() < 0.12 and ev.valid_from < EXPIRED_BY - 60:
                ev.valid_to = rng.randint(ev.valid_from + 60, EXPIRED_BY)
        return ev

    def _inherit(self, marks: Marks, since: int, profile: str = "incident") -> Evidence:
        # Ties of an incident or case carry its marking most of the time.
        ev = self.evidence(profile, marks.owner, since)
        if self.rng.random() < 0.8:
            ev.marks = marks
        return ev

    # --- actors ----------------------------------------------------------------------------

    def _actor_tie(self, tie: ActorTie, to_label: str) -> None:
        source = self.w.actors[tie.source]
        covert = tie.covert or (tie.type in ("CONTROLS", "DISPUTES") and source.kind in ARMED)
        ev = self.evidence("covert" if covert else "open", self.marker.researcher(source.country))
        props = {PROPERTY[tie.type]: tie.prop} if tie.type in PROPERTY else {}
        a, b = self.book.g("Actor", tie.source), self.book.g(to_label, tie.target)
        self.out.emit(tie.type, a, b, ev, **props)

    def _actor_ties(self) -> None:
        for tie in self.w.actor_ties:
            self._actor_tie(tie, "Actor")
        for tie in self.w.actor_org_funds:
            self._actor_tie(tie, "Organization")

    def _presence(self) -> None:
        for tie in self.w.presence:
            self._actor_tie(tie, "Territory")

    # --- organizations ---------------------------------------------------------------------

    def _organizations(self) -> None:
        orgs = self.w.organizations
        networks = defaultdict(list)
        for j, org in enumerate(orgs):
            if org.kind == "network":
                networks[org.country].append(j)
        all_networks = [j for js in networks.values() for j in js]
        receivers: dict[str, list[int]] = defaultdict(list)  # by country; "" for all
        for j, org in enumerate(orgs):
            if org.kind in _RECEIVERS:
                receivers[org.country].append(j)
                receivers[""].append(j)
        for j, org in enumerate(orgs):
            self._org_places(j)
            pool = networks.get(org.country) or all_networks
            if pool and self.rng.random() < (0.3 if org.kind in ("network", "ingo") else 0.5):
                net = self.rng.choice(pool)
                role = weighted({"member": 0.85, "leader": 0.1, "spokesperson": 0.05})
                self._admission(j, net, role.pick(self.rng))
            self._org_support(j, receivers)
            k = min(len(org.partners), self.rng.randint(2, 5))
            for other in self.rng.sample(org.partners, k):
                self._org_tie("SOLIDARITY_WITH", j, other, j)

    def _admission(self, member: int, network: int, role: str) -> None:
        # Admission to a network is the network's own record (docs/access.md): only then does
        # it give the member the network's AMBER records. Drawn as the member's tie, then
        # handed to the network, so the random stream (and the rest of the data) is unchanged.
        ev = self.evidence("open", member)
        shared = (member,) if ev.marks.tlp in ("AMBER", "AMBER+STRICT") else ()
        ev.marks = replace(ev.marks, owner=network, shared=shared)
        self.out.emit(
            "MEMBER_OF",
            self.book.g("Organization", member),
            self.book.g("Organization", network),
            ev,
            role=role,
        )

    def _org_tie(self, type_: str, a: int, b: int, owner: int, **props: str) -> None:
        ev = self.evidence("protection" if type_ == "SUPPORTS" else "open", owner)
        self.out.emit(
            type_, self.book.g("Organization", a), self.book.g("Organization", b), ev, **props
        )

    def _org_places(self, j: int) -> None:
        org = self.w.organizations[j]
        places = {org.region}
        local = self.geo.places_by_region[org.region]
        places.update(self.rng.sample(local, min(len(local), self.rng.randint(2, 8))))
        if org.kind in ("ingo", "donor", "network"):
            places.update(self.rng.sample(self.geo.regions, min(len(self.geo.regions), 6)))
        for t in sorted(places):
            ev = self.evidence("open", j)
            self.out.emit(
                "OPERATES_IN", self.book.g("Organization", j), self.book.g("Territory", t), ev
            )

    def _org_support(self, j: int, receivers: dict[str, list[int]]) -> None:
        org = self.w.organizations[j]
        kinds = _SUPPORT_KINDS.get(org.kind)
        if not kinds:
            return
        n = {"donor": (3, 8), "ingo": (2, 6), "ngo": (1, 3), "network": (1, 4)}[org.kind]
        by_kind = weighted(kinds)
        pool = receivers["" if org.kind in ("ingo", "donor") else org.country]
        for other in self.rng.sample(pool, min(len(pool), self.rng.randint(*n))):
            self._org_tie("SUPPORTS", j, other, j, kind=by_kind.pick(self.rng))

    # --- defenders -------------------------------------------------------------------------

    def _defenders(self) -> None:
        # Preferential attachment: endpoint lists, so that the organizations and defenders
        # already most tied get more ties (a few hubs, a long tail).
        supporters: dict[str, list[int]] = defaultdict(list)
        for j, org in enumerate(self.w.organizations):
            base = _SUPPORT_BASE.get(org.kind, 0)
            for country in _COUNTRIES if org.kind in ("ingo", "donor") else (org.country,):
                supporters[country].extend([j] * base)
        by_region: dict[int, list[int]] = defaultdict(list)
        by_country: dict[str, list[int]] = defaultdict(list)
        for i, d in enumerate(self.w.defenders):
            if not d.isolated and d.original < 0:
                by_region[d.region].append(i)
                by_country[d.country].append(i)
        for i, d in enumerate(self.w.defenders):
            self._defender_places(i)
            if d.isolated or d.original >= 0:
                continue  # no organization, no support, no solidarity
            g = self.book.g("Defender", i)
            for j, role in d.memberships:
                self.out.emit(
                    "MEMBER_OF",
                    g,
                    self.book.g("Organization", j),
                    self.evidence("protection", j),
                    role=role,
                )
            self._supports(g, len(d.incidents), supporters[d.country])
            self._solidarity(i, by_region[d.region], by_country[d.country])

    def _defender_places(self, i: int) -> None:
        d = self.w.defenders[i]
        places = {d.home}
        if d.original < 0:
            parent = self.w.territories[d.home].parent
            if self.rng.random() < 0.6:
                places.add(parent)
            region = self.geo.places_by_region[d.region]
            places.update(self.rng.sample(region, min(len(region), self.rng.randint(1, 4))))
        for t in sorted(places):
            ev = self.evidence("protection", d.marks.owner)
            self.out.emit(
                "OPERATES_IN", self.book.g("Defender", i), self.book.g("Territory", t), ev
            )

    def _supports(self, g: int, attacks: int, ends: list[int]) -> None:
        # Support follows attacks: the more incidents, the more organizations step in.
        wish = self.rng.randint(2, 4) + min(5, attacks)
        made = 0
        for _ in range(3 * wish):
            j = self.rng.choice(ends)
            kind = weighted(_SUPPORT_KINDS[self.w.organizations[j].kind]).pick(self.rng)
            ev = self.evidence("protection", j)
            if self.out.emit("SUPPORTS", self.book.g("Organization", j), g, ev, kind=kind):
                ends.append(j)
                made += 1
                if made == wish:
                    return

    def _solidarity(self, i: int, region: list[int], country: list[int]) -> None:
        d = self.w.defenders[i]
        g = self.book.g("Defender", i)
        comrades = [k for j, _ in d.memberships for k in self.members[j]]
        wish = self.rng.randint(5, 16)
        made = 0
        for _ in range(3 * wish):
            roll = self.rng.random()
            pool = comrades if comrades and roll < 0.4 else region if roll < 0.8 else country
            other = self.rng.choice(pool)
            ev = self.evidence("protection", d.marks.owner)
            if self.out.emit("SOLIDARITY_WITH", g, self.book.g("Defender", other), ev):
                region.append(other)
                country.append(other)
                made += 1
                if made == wish:
                    break
        own = {j for j, _ in d.memberships}
        local = [j for j in self.orgs_by_region[d.region] if j not in own]
        for j in self.rng.sample(local, min(len(local), self.rng.randint(1, 4))):
            self.out.emit(
                "SOLIDARITY_WITH", self.book.g("Organization", j), g, self.evidence("protection", j)
            )

    # --- incidents and cases ---------------------------------------------------------------

    def _incidents(self) -> None:
        for k, inc in enumerate(self.w.incidents):
            g = self.book.g("Incident", k)
            for actor, attribution in inc.perpetrators:
                self.out.emit(
                    "PERPETRATED_BY",
                    g,
                    self.book.g("Actor", actor),
                    self._inherit(inc.marks, inc.date),
                    attribution=attribution,
                )
            for i in inc.defenders:
                self.out.emit(
                    "TARGETED", g, self.book.g("Defender", i), self._inherit(inc.marks, inc.date)
                )
            for j in inc.organizations:
                self.out.emit(
                    "TARGETED",
                    g,
                    self.book.g("Organization", j),
                    self._inherit(inc.marks, inc.date),
                )

    def _cases(self) -> None:
        for c, case in enumerate(self.w.cases):
            g = self.book.g("Case", c)
            for k in case.incidents:
                self.out.emit(
                    "DOCUMENTS",
                    g,
                    self.book.g("Incident", k),
                    self._inherit(case.marks, case.opened, "case"),
                )
            for i in case.defenders:
                self.out.emit(
                    "CONCERNS",
                    g,
                    self.book.g("Defender", i),
                    self._inherit(case.marks, case.opened, "case"),
                )
            for j in case.organizations:
                self.out.emit(
                    "CONCERNS",
                    g,
                    self.book.g("Organization", j),
                    self._inherit(case.marks, case.opened, "case"),
                )
        for a, b, status, score, judge in self.w.same_as:
            since = max(self.w.cases[a].opened, self.w.cases[b].opened)
            ev = self.evidence("case", judge, since)
            confirmed_by = self.book.id("Organization", judge)
            self.out.emit(
                "SAME_AS",
                self.book.g("Case", a),
                self.book.g("Case", b),
                ev,
                score=score,
                status=status,
                confirmed_by=confirmed_by,
            )


def write_relationships(
    path: Path, rng: random.Random, marker: Marker, world: World, geo: GeoIndex, book: IdBook
) -> int:
    """Writes relationships.csv; returns the number of rows."""
    with csv_rows(path) as write:
        write(COLUMNS)
        out = RelWriter(write, book)
        Ties(rng, marker, world, geo, out).run()
    return out.count
