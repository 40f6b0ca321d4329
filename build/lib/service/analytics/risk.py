"""Risk of defenders: threats x vulnerabilities / capacities (docs/methodology.md).

The inputs come from the database as the viewer may see them on asOf (four statements, however
many defenders); the arithmetic is here, in one pure function, so that it can be read, tested
and explained factor by factor.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from service.access import Viewer
from service.analytics.cache import cached
from service.analytics.questions import logged_question
from service.analytics.scope import territory_scope
from service.analytics.weights import RiskWeights, load_weights
from service.store import Row, Store

LEVELS = ("LOW", "MEDIUM", "HIGH", "CRITICAL")


@dataclass(frozen=True)
class Incident:
    id: str
    severity: int
    date: str
    verified: bool


@dataclass(frozen=True)
class Presence:
    """A non-state actor controlling or disputing a place where the defender works."""

    actor: str
    relation: str  # CONTROLS or DISPUTES
    degree: float
    colludes_with_state: bool


@dataclass(frozen=True)
class RiskInputs:
    """Everything a defender's risk rests on, as one viewer sees it."""

    identities: frozenset[str] = frozenset()
    focus: frozenset[str] = frozenset()
    measures: tuple[str, ...] = ()
    incidents: tuple[Incident, ...] = ()
    organization_incidents: tuple[Incident, ...] = ()
    organizations: frozenset[str] = frozenset()
    supporters: frozenset[str] = frozenset()
    solidarity: frozenset[str] = frozenset()
    presences: tuple[Presence, ...] = ()
    extractive: frozenset[str] = frozenset()  # actors with extractive interests where they work


@dataclass(frozen=True)
class Factor:
    name: str
    value: float
    weight: float
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Risk:
    score: float
    level: str
    threats: float
    vulnerabilities: float
    capacities: float
    factors: tuple[Factor, ...] = field(default=())


def _decay(date: str, as_of: dt.date, half_life_days: float) -> float:
    age = max(0, (as_of - dt.date.fromisoformat(date)).days)
    return float(0.5 ** (age / half_life_days))


def incident_weight(incident: Incident, as_of: dt.date, w: RiskWeights) -> float:
    t = w.threats
    verified = 1.0 if incident.verified else t.unverified
    return (
        t.severity.get(incident.severity, 0.0)
        * _decay(incident.date, as_of, t.half_life_days)
        * verified
    )


def _threats(inputs: RiskInputs, as_of: dt.date, w: RiskWeights) -> list[Factor]:
    t = w.threats
    direct = sum(incident_weight(i, as_of, w) for i in inputs.incidents)
    indirect = sum(incident_weight(i, as_of, w) for i in inputs.organization_incidents)
    factors = [
        Factor("incidents", direct, 1.0, tuple(i.id for i in inputs.incidents)),
        Factor(
            "organization_incidents",
            indirect,
            t.organization_incident,
            tuple(i.id for i in inputs.organization_incidents),
        ),
    ]
    for relation, weight in (("CONTROLS", t.hostile_control), ("DISPUTES", t.hostile_dispute)):
        present = [p for p in inputs.presences if p.relation == relation]
        value = sum(p.degree * (1 + t.impunity * p.colludes_with_state) for p in present)
        name = "hostile_control" if relation == "CONTROLS" else "hostile_dispute"
        factors.append(Factor(name, value, weight, tuple(p.actor for p in present)))
    return factors


def _flag(name: str, evidence: frozenset[str], weight: float) -> Factor:
    return Factor(name, float(bool(evidence)), weight, tuple(sorted(evidence)))


def _vulnerabilities(inputs: RiskInputs, w: RiskWeights) -> list[Factor]:
    v = w.vulnerabilities
    ties = len(inputs.organizations) + len(inputs.supporters) + len(inputs.solidarity)
    return [
        Factor("base", 1.0, v.base),
        Factor("isolation", 1.0 / (1 + ties), v.isolation),
        Factor("no_organization", float(not inputs.organizations), v.no_organization),
        _flag("double_risk", inputs.identities & v.double_risk_identities, v.double_risk),
        _flag("land_defender", inputs.focus & v.land_focus, v.land_defender),
        _flag("extractive_territory", inputs.extractive, v.extractive_territory),
    ]


def _capacities(inputs: RiskInputs, w: RiskWeights) -> list[Factor]:
    c = w.capacities
    return [
        Factor("base", 1.0, c.base),
        _count("support", inputs.supporters, c.support),
        _count("solidarity", inputs.solidarity, c.solidarity),
        _count("membership", inputs.organizations, c.membership),
        Factor("protection_measures", len(inputs.measures), c.protection_measure, inputs.measures),
    ]


def _count(name: str, evidence: frozenset[str], weight: float) -> Factor:
    return Factor(name, len(evidence), weight, tuple(sorted(evidence)))


def _total(factors: list[Factor]) -> float:
    return sum(f.value * f.weight for f in factors)


def level(score: float, w: RiskWeights) -> str:
    reached = [name for name in LEVELS[1:] if score >= w.levels[name]]
    return reached[-1] if reached else LEVELS[0]


def score(inputs: RiskInputs, as_of: dt.date, w: RiskWeights) -> Risk:
    """risk = threats x vulnerabilities / capacities, with every factor behind it."""
    threats, vulnerabilities, capacities = (
        _threats(inputs, as_of, w),
        _vulnerabilities(inputs, w),
        _capacities(inputs, w),
    )
    t, v, c = _total(threats), _total(vulnerabilities), _total(capacities)
    value = t * v / c
    factors = tuple(f for f in (*threats, *vulnerabilities, *capacities) if f.value)
    return Risk(value, level(value, w), t, v, c, factors)


def _incidents(rows: list[Row]) -> tuple[Incident, ...]:
    return tuple(
        Incident(r["id"], int(r["severity"]), r["date"], bool(r.get("verified"))) for r in rows
    )


def _presence(found: Row, colluding: set[str]) -> Presence:
    degree = float(found["degree"]) if found["degree"] is not None else 1.0
    return Presence(found["actor"], found["relation"], degree, found["actor"] in colluding)


async def _pressure(
    store: Store, viewer: Viewer, places: set[str], as_of: str, extractive: frozenset[str]
) -> tuple[dict[str, list[Row]], dict[str, set[str]], set[str]]:
    """Per place: hostile non-state actors, actors with extractive interests; and which of
    the hostile actors collude with the state."""
    rows = await store.read(
        "territory_pressure", ids=sorted(places), as_of=as_of, **viewer.params()
    )
    actors: dict[str, list[Row]] = defaultdict(list)
    interests: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        actors[row["territory"]].extend(row["actors"])
        found = (i["actor"] for i in row["interests"] if i["resource"] in extractive)
        interests[row["territory"]].update(found)
    hostile = {a["actor"] for found in actors.values() for a in found}
    colluding = await store.read(
        "colluding_with_state", ids=sorted(hostile), as_of=as_of, **viewer.params()
    )
    return actors, interests, {r["id"] for r in colluding}


@logged_question
async def at_risk_defenders(
    store: Store,
    viewer: Viewer,
    as_of: dt.date,
    territory: str | None = None,
    min_score: float | None = None,
    first: int = 20,
    weights: RiskWeights | None = None,
) -> list[tuple[str, Risk]]:
    """(defender id, risk) for the defenders the viewer may see, highest risk first."""
    w = weights or load_weights().risk
    question = ("risk", territory, as_of, w.model_dump_json())
    scored = await cached(
        store, viewer, question, lambda: _rank(store, viewer, as_of, territory, w)
    )
    if min_score is not None:
        scored = [s for s in scored if s[1].score >= min_score]
    return scored[:first]


async def _rank(
    store: Store, viewer: Viewer, as_of: dt.date, territory: str | None, w: RiskWeights
) -> list[tuple[str, Risk]]:
    day = as_of.isoformat()
    params = viewer.params()
    scope = await territory_scope(store, viewer, territory)
    if scope is None:
        listed = await store.read("defender_ids", **params)
    else:
        listed = await store.read("defenders_working_in", scope=scope, as_of=day, **params)
    ids = [row["id"] for row in listed]
    rows = await store.read("defender_risk_features", ids=ids, as_of=day, **params)
    orgs = sorted({o for r in rows for o in r["organizations"]})
    org_incidents: dict[str, list[Row]] = defaultdict(list)
    for row in await store.read("organization_incidents", ids=orgs, as_of=day, **params):
        org_incidents[row["organization"]].append(row)
    places = {p for r in rows for p in r["places"]}
    resources = w.vulnerabilities.extractive_resources
    actors, interests, colluding = await _pressure(store, viewer, places, day, resources)
    scored = [
        (row["id"], score(_inputs(row, org_incidents, actors, interests, colluding), as_of, w))
        for row in rows
    ]
    scored.sort(key=lambda item: (-item[1].score, item[0]))
    return scored


def _inputs(
    row: Row,
    org_incidents: dict[str, list[Row]],
    actors: dict[str, list[Row]],
    interests: dict[str, set[str]],
    colluding: set[str],
) -> RiskInputs:
    """One defender's inputs from the statements' rows; each actor counts once per relation."""
    presences = {
        (a["actor"], a["relation"]): _presence(a, colluding)
        for place in row["places"]
        for a in actors.get(place, [])
    }
    own = {i["id"] for i in row["incidents"]}
    indirect = {
        i["id"]: i
        for o in row["organizations"]
        for i in org_incidents.get(o, [])
        if i["id"] not in own
    }
    return RiskInputs(
        identities=frozenset(row["identities"]),
        focus=frozenset(row["focus"]),
        measures=tuple(row["measures"]),
        incidents=_incidents(row["incidents"]),
        organization_incidents=_incidents(list(indirect.values())),
        organizations=frozenset(row["organizations"]),
        supporters=frozenset(row["supporters"]),
        solidarity=frozenset(row["solidarity"]),
        presences=tuple(presences[k] for k in sorted(presences)),
        extractive=frozenset(a for place in row["places"] for a in interests.get(place, set())),
    )
