"""Random small graphs for the visibility property test, held as plain Python records (the
test's ground truth) and written out in the interchange CSV format (docs/interchange-format.md).

Three organizations: two NGOs and a network that admits members (or does not: a member may
declare itself, an admission may have expired). A territory tree country -> region ->
municipality -> community. Actors, defenders (some with a twin recorded by the other NGO under
the same name, so that cross-referencing proposes matches), incidents, cases and sources, each
with a random TLP marking and sharing; relationships at every level of the tree.
All names are invented.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import strategies as st

ORG_A, ORG_B, NETWORK = "org-1", "org-2", "org-3"
NGOS = (ORG_A, ORG_B)
TLPS = ("CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED")
FINE_KINDS = frozenset({"municipality", "community"})
EXPIRED = ("2019-01-01", "2020-01-01")  # valid_from, valid_to of an admission that ended

# Invented words, none a substring of another, so a name is found in a response by its words.
FIRST_NAMES = (
    "Ysolda",
    "Tebaldo",
    "Quirina",
    "Olvido",
    "Zacarel",
    "Brisenda",
    "Anselmor",
    "Vitalina",
)
SURNAMES = (
    "Azcorrabe",
    "Belmuntez",
    "Cindarola",
    "Dorvelique",
    "Esquivante",
    "Fandrigal",
    "Galvestre",
    "Hornabeque",
)
PSEUDONYMS = (
    "Ceiba",
    "Ocelote",
    "Quetzal",
    "Jaguarundi",
    "Tapir",
    "Colibri",
    "Manati",
    "Guacamaya",
)
ACTOR_WORDS = (
    "Cerbalo",
    "Donquira",
    "Estravon",
    "Fulmenta",
    "Gorvazul",
    "Hiltrano",
    "Irvendal",
    "Jostrega",
    "Kulmeria",
    "Lorbanza",
    "Mirtavon",
)
STATE_KINDS = ("police", "local_government", "military")
NON_STATE_KINDS = ("organized_crime", "corporation", "paramilitary")
INCIDENT_KINDS = ("threat", "attack", "raid", "killing")


@dataclass(frozen=True)
class Marking:
    tlp: str
    owner: str
    shared: tuple[str, ...] = ()


@dataclass
class Record:
    id: str
    label: str
    marking: Marking
    row: dict[str, str]  # the CSV row, without the marking columns
    sources: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        return self.row.get("kind", "")


@dataclass
class Relation:
    id: str
    type: str
    src: str
    dst: str
    marking: Marking
    sources: tuple[str, ...] = ()
    valid_from: str = ""
    valid_to: str = ""
    props: dict[str, str] = field(default_factory=dict)
    # A tie that claims authority the rules do not give its owner (a self-declared network
    # membership, a case holder named by someone else): it must confer nothing.
    claim: bool = False


@dataclass
class Graph:
    records: dict[str, Record] = field(default_factory=dict)
    relations: dict[str, Relation] = field(default_factory=dict)
    parent: dict[str, str] = field(default_factory=dict)  # territory -> its parent

    def add(self, record: Record) -> Record:
        self.records[record.id] = record
        return record

    def relate(self, rel: Relation) -> None:
        self.relations[rel.id] = rel

    def of(self, label: str) -> list[Record]:
        return [r for r in self.records.values() if r.label == label]

    def territory_kind(self, territory: str) -> str:
        return self.records[territory].kind

    def is_fine(self, territory: str) -> bool:
        return self.territory_kind(territory) in FINE_KINDS

    def ancestors_or_self(self, territory: str) -> list[str]:
        chain = [territory]
        while chain[-1] in self.parent:
            chain.append(self.parent[chain[-1]])
        return chain

    def summary(self) -> str:
        counts: dict[str, int] = {}
        for r in self.records.values():
            counts[r.label] = counts.get(r.label, 0) + 1
        parts = [f"{n} {label}" for label, n in sorted(counts.items())]
        return ", ".join([*parts, f"{len(self.relations)} relationships"])

    def write_csv(self, folder: Path, claims: bool = False) -> None:
        """The graph as an interchange folder (docs/interchange-format.md); with `claims`, only
        the claimed ties, loaded apart because a loader may rightly refuse them."""
        files: dict[str, list[dict[str, str]]] = {}
        for r in self.records.values() if not claims else ():
            files.setdefault(_FILES[r.label], []).append(
                {"id": r.id, **r.row, **_marking_columns(r.marking, r.sources)}
            )
        for rel in self.relations.values():
            if rel.id.endswith((":PART_OF", ":OCCURRED_IN", ":HELD_BY")) or rel.claim != claims:
                continue  # the first made by the loader from parent_id, territory_id, holder_id
            row = {
                "id": rel.id,
                "type": rel.type,
                "from_id": rel.src,
                "to_id": rel.dst,
                "confidence": "0.8",
                "valid_from": rel.valid_from,
                "valid_to": rel.valid_to,
                **rel.props,
                **_marking_columns(rel.marking, rel.sources),
            }
            files.setdefault("relationships.csv", []).append(row)
        for name, rows in files.items():
            columns = list(dict.fromkeys(k for row in rows for k in row))
            with (folder / name).open("w", newline="", encoding="utf-8") as out:
                writer = csv.DictWriter(out, fieldnames=columns, restval="")
                writer.writeheader()
                writer.writerows(rows)


_FILES = {
    "Organization": "organizations.csv",
    "Source": "sources.csv",
    "Territory": "territories.csv",
    "Actor": "actors.csv",
    "Defender": "defenders.csv",
    "Incident": "incidents.csv",
    "Case": "cases.csv",
}


def _marking_columns(marking: Marking, sources: tuple[str, ...]) -> dict[str, str]:
    return {
        "tlp": marking.tlp,
        "owner": marking.owner,
        "shared_with": ";".join(marking.shared),
        "sources": ";".join(sources),
    }


@st.composite
def markings(draw: st.DrawFn, owner: str | None = None) -> Marking:
    owner = owner or draw(st.sampled_from(NGOS))
    # Whether the members of a network see its own AMBER records is a reading the rules leave
    # open, so the network's records are never AMBER.
    tlp = draw(st.sampled_from([t for t in TLPS if owner != NETWORK or t != "AMBER"]))
    shared: tuple[str, ...] = ()
    if tlp in ("AMBER", "AMBER+STRICT"):
        others = [o for o in (ORG_A, ORG_B, NETWORK) if o != owner]
        shared = tuple(draw(st.lists(st.sampled_from(others), unique=True, max_size=2)))
    return Marking(tlp, owner, tuple(sorted(shared)))


@st.composite
def graphs(draw: st.DrawFn) -> Graph:
    g = Graph()
    today = dt.date.today()
    rel_ids = iter(range(1, 10_000))

    def relate(
        rel_type: str, src: str, dst: str, marking: Marking | None = None, **props: str
    ) -> Relation:
        rel = Relation(
            f"rel-{next(rel_ids)}",
            rel_type,
            src,
            dst,
            marking or draw(markings()),
            sources=pick_sources(),
            props=props,
        )
        g.relate(rel)
        return rel

    # Organizations: public records, so that every owner and sharedWith id may be shown.
    for org, name, kind in (
        (ORG_A, "Colectivo Amaranto", "ngo"),
        (ORG_B, "Red Ficticia Brezo", "ingo"),
        (NETWORK, "Articulacion Cardo", "network"),
    ):
        disclose = draw(st.booleans())
        g.add(
            Record(
                org,
                "Organization",
                Marking("GREEN", org),
                {"name": name, "kind": kind, "xref_disclose": str(disclose).lower()},
            )
        )

    sources = []
    for i in range(1, draw(st.integers(1, 4)) + 1):
        g.add(
            Record(
                f"src-{i}",
                "Source",
                draw(markings()),
                {"kind": "report", "title": f"Informe numero {i}", "reliability": "B"},
            )
        )
        sources.append(f"src-{i}")

    def pick_sources() -> tuple[str, ...]:
        return tuple(draw(st.lists(st.sampled_from(sources), unique=True, max_size=2)))

    # Territories: open records (places are public), a tree of every level.
    territory_ids = iter(range(1, 1000))

    def territory(kind: str, parent: str | None) -> str:
        tid = f"ter-{next(territory_ids)}"
        owner = draw(st.sampled_from(NGOS))
        resources = draw(st.lists(st.sampled_from(("mining", "water")), unique=True, max_size=1))
        row = {
            "name": f"Lugar {kind} {tid[4:]}",
            "kind": kind,
            "parent_id": parent or "",
            "resources": ";".join(resources),
        }
        g.add(
            Record(tid, "Territory", Marking(draw(st.sampled_from(("CLEAR", "GREEN"))), owner), row)
        )
        if parent:
            g.parent[tid] = parent
            g.relate(Relation(f"{tid}:PART_OF", "PART_OF", tid, parent, Marking("GREEN", owner)))
        return tid

    country = territory("country", None)
    g.records[country].row["iso"] = "MX"
    for _ in range(2):
        region = territory("region", country)
        for _ in range(draw(st.integers(1, 2))):
            municipality = territory("municipality", region)
            for _ in range(draw(st.integers(0, 1))):
                territory("community", municipality)
    places = [r.id for r in g.of("Territory")]
    any_place = st.sampled_from(places)

    # Network admissions: by the network itself (confers AMBER:network), self-declared (must
    # not), or ended (must not).
    for org in NGOS:
        how = draw(
            st.sampled_from(("none", "admitted", "self_declared", "self_declared", "expired"))
        )
        if how == "none":
            continue
        owner = org if how == "self_declared" else NETWORK
        rel = relate("MEMBER_OF", org, NETWORK, Marking("GREEN", owner), role="member")
        rel.claim = how == "self_declared"
        if how == "expired":
            rel.valid_from, rel.valid_to = EXPIRED

    actors = []
    for i in range(1, draw(st.integers(2, 5)) + 1):
        state = draw(st.booleans())
        kind = draw(st.sampled_from(STATE_KINDS if state else NON_STATE_KINDS))
        row = {
            "name": f"Grupo {ACTOR_WORDS[i - 1]}",
            "sector": "state" if state else "non_state",
            "kind": kind,
            "country": "MX",
            "public": str(draw(st.booleans())).lower(),
        }
        actors.append(g.add(Record(f"act-{i}", "Actor", draw(markings()), row, pick_sources())).id)
        for _ in range(draw(st.integers(0, 2))):
            kind_of_tie = draw(st.sampled_from(("CONTROLS", "DISPUTES", "HAS_INTEREST_IN")))
            props = {
                "CONTROLS": {"degree": "0.7"},
                "DISPUTES": {},
                "HAS_INTEREST_IN": {"resource": "mining"},
            }[kind_of_tie]
            relate(kind_of_tie, actors[-1], draw(any_place), **props)
    for _ in range(draw(st.integers(0, 4))):
        a, b = draw(st.sampled_from(actors)), draw(st.sampled_from(actors))
        if a != b:
            tie = draw(st.sampled_from(("COLLUDES_WITH", "ALLIED_WITH", "COMMANDS", "FUNDS")))
            props = {"COLLUDES_WITH": {"mode": "protection"}, "FUNDS": {"amount": "1000"}}.get(
                tie, {}
            )
            relate(tie, a, b, **props)
    for org in NGOS:
        if draw(st.booleans()):
            relate("OPERATES_IN", org, draw(any_place))

    defenders = []
    for i in range(1, draw(st.integers(2, 5)) + 1):
        row = {
            "pseudonym": f"Seudonimo {PSEUDONYMS[i - 1]}",
            "name": f"{FIRST_NAMES[i - 1]} {SURNAMES[i - 1]}",
            "gender": draw(st.sampled_from(("female", "male"))),
            "identities": draw(st.sampled_from(("woman;indigenous", "man", "campesino"))),
            "focus": "land_territory",
            "status": draw(st.sampled_from(("active", "displaced"))),
            "country": "MX",
        }
        defender = g.add(Record(f"def-{i}", "Defender", draw(markings()), row, pick_sources()))
        defenders.append(defender.id)
        homes = draw(st.lists(any_place, unique=True, min_size=1, max_size=2))
        for place in homes:
            relate("OPERATES_IN", defender.id, place)
        villages = [h for h in homes if g.is_fine(h)]
        if villages and draw(st.booleans()):  # an armed group that controls only its village
            boss = f"act-{len(actors) + 1}"
            boss_row = {
                "name": f"Grupo {ACTOR_WORDS[len(actors)]}",
                "sector": "non_state",
                "kind": "organized_crime",
                "country": "MX",
            }
            known = Marking("GREEN", draw(st.sampled_from(NGOS)))  # its hold is no secret
            actors.append(g.add(Record(boss, "Actor", known, boss_row)).id)
            relate("CONTROLS", boss, draw(st.sampled_from(villages)), known, degree="0.9")
        if draw(st.booleans()):
            relate("MEMBER_OF", defender.id, draw(st.sampled_from(NGOS)), role="member")
        if draw(st.booleans()):
            relate("SUPPORTS", draw(st.sampled_from(NGOS)), defender.id, kind="legal")
        if draw(st.integers(0, 2)) == 0:  # a twin recorded by the other NGO, under the same name
            other = ORG_B if defender.marking.owner == ORG_A else ORG_A
            twin_row = {**row, "pseudonym": f"Alias {PSEUDONYMS[i - 1]}"}
            twin = g.add(Record(f"def-{i + 10}", "Defender", draw(markings(other)), twin_row))
            defenders.append(twin.id)
            for place in homes:
                relate("OPERATES_IN", twin.id, place)

    incidents = []
    for i in range(1, draw(st.integers(2, 6)) + 1):
        day = today - dt.timedelta(days=draw(st.integers(5, 700)))
        place = draw(any_place)
        row = {
            "kind": draw(st.sampled_from(INCIDENT_KINDS)),
            "date": day.isoformat(),
            "severity": str(draw(st.integers(1, 5))),
            "territory_id": place,
            "description": "Hecho registrado",
        }
        incident = g.add(Record(f"inc-{i}", "Incident", draw(markings()), row, pick_sources()))
        incidents.append(incident.id)
        g.relate(
            Relation(
                f"{incident.id}:OCCURRED_IN",
                "OCCURRED_IN",
                incident.id,
                place,
                incident.marking,
                incident.sources,
            )
        )
        for target in draw(
            st.lists(st.sampled_from(defenders), unique=True, min_size=1, max_size=2)
        ):
            relate("TARGETED", incident.id, target)
        if draw(st.booleans()):
            relate(
                "PERPETRATED_BY", incident.id, draw(st.sampled_from(actors)), attribution="alleged"
            )

    holders = (*NGOS, NETWORK)
    case_ids = iter(range(1, 100))
    for _ in range(draw(st.integers(1, 3))):
        holder = draw(st.sampled_from(holders))
        about = draw(st.lists(st.sampled_from(defenders), unique=True, min_size=1, max_size=2))
        documented = draw(st.lists(st.sampled_from(incidents), unique=True, max_size=2))
        # Sometimes a second holder files the same story, so cross-referencing matches cases.
        twin = draw(st.sampled_from([None, *[h for h in holders if h != holder]]))
        for who in (holder, twin) if twin else (holder,):
            i = next(case_ids)
            marking = draw(markings(who))
            row = {
                "reference": f"EXP-{i:03d}",
                "holder_id": who,
                "status": "open",
                "opened": (today - dt.timedelta(days=30 * i)).isoformat(),
            }
            case = g.add(Record(f"case-{i}", "Case", marking, row, pick_sources()))
            g.relate(Relation(f"{case.id}:HELD_BY", "HELD_BY", case.id, who, marking, case.sources))
            for person in about:
                relate("CONCERNS", case.id, person)
            for incident_id in documented:
                relate("DOCUMENTS", case.id, incident_id)
            if draw(st.integers(0, 1)) == 0:  # another organization claims to hold it: no effect
                # (the third one, when two hold the story: it would then see their match)
                others = [h for h in holders if h not in (holder, twin)] if twin else []
                claimer = draw(st.sampled_from(others or [h for h in holders if h != who]))
                relate("HELD_BY", case.id, claimer, Marking("GREEN", claimer)).claim = True
    return g
