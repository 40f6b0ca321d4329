"""Killed and disappeared defenders (docs/methodology.md): out of every score, a threat to those
around them, and kept in view by the memory list `victims`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from service.access import Viewer
from service.analytics.questions import logged_question
from service.analytics.scope import territory_scope
from service.analytics.weights import RiskWeights, load_weights
from service.store import Row, Store


@dataclass(frozen=True)
class VictimLink:
    """A killed or disappeared defender near another: through an organization, a place (at
    `distance` PART_OF steps) or a case; `date` is when it happened (None: not dated)."""

    victim: str
    relation: str  # organization, territory or case
    distance: int
    date: str | None
    evidence: tuple[str, ...] = ()  # the victim and the incidents that date it


@dataclass(frozen=True)
class Victim:
    id: str
    status: str
    date: str | None
    incidents: tuple[str, ...]  # those that date it (else every incident against her)
    places: frozenset[str]
    organizations: frozenset[str]
    cases: frozenset[str]

    @property
    def evidence(self) -> tuple[str, ...]:
        return (self.id, *self.incidents)


def _victim(row: Row, as_of: str, w: RiskWeights) -> Victim:
    """The date of a killing or disappearance: its latest dating incident, else the latest.
    Her organizations: the memberships that held on `as_of` or on that date (one closed at
    her death still names her organization)."""
    incidents = sorted(row["incidents"], key=lambda i: (i["date"], i["id"]), reverse=True)
    dating = [i for i in incidents if i["kind"] in w.victims.dating_incidents] or incidents
    date = dating[0]["date"] if dating else None
    held_until = min(as_of, date) if date else as_of
    organizations = {
        m["id"]
        for m in row["organizations"]
        if m["valid_to"] is None or m["valid_to"] >= held_until
    }
    return Victim(
        row["id"],
        row["status"],
        date,
        tuple(i["id"] for i in dating),
        frozenset(row["places"]),
        frozenset(organizations),
        frozenset(row["cases"]),
    )


async def read_victims(
    store: Store, viewer: Viewer, as_of: str, scope: list[str] | None, w: RiskWeights
) -> list[Victim]:
    rows = await store.read(
        "victims", statuses=sorted(w.victims.statuses), scope=scope, as_of=as_of, **viewer.params()
    )
    return [_victim(row, as_of, w) for row in rows]


async def ancestors(
    store: Store, viewer: Viewer, places: Iterable[str]
) -> dict[str, dict[str, int]]:
    """place -> {territory at or above it: PART_OF steps}, through what the viewer may see."""
    found: dict[str, dict[str, int]] = defaultdict(dict)
    ids = sorted(set(places))
    if ids:
        for row in await store.read("territory_ancestors", ids=ids, **viewer.params()):
            above = found[row["territory"]]
            above[row["ancestor"]] = min(int(row["depth"]), above.get(row["ancestor"], 99))
    return found


def distance(a: dict[str, int], b: dict[str, int]) -> int | None:
    """Steps between two places through their nearest common territory (None: none)."""
    common = a.keys() & b.keys()
    return min((a[c] + b[c] for c in common), default=None)


def finest(places: Iterable[str], above: dict[str, dict[str, int]]) -> list[str]:
    """The places that have none of the others below them: a region reached through a derived
    tie (service/placement.py) stands in for the village a viewer may also see, and would put
    everyone in that region at distance 0."""
    places = set(places)
    coarser = {a for p in places for a, d in above.get(p, {}).items() if d > 0}
    return sorted(places - coarser)


def links_to(
    defender: Row,
    victims: list[Victim],
    above: dict[str, dict[str, int]],
    w: RiskWeights,
) -> tuple[VictimLink, ...]:
    """The victims near one defender (a `defender_risk_features` row), by each relation."""
    orgs, cases = set(defender["organizations"]), set(defender["cases"])
    links = []
    for victim in victims:
        if victim.id == defender["id"]:
            continue
        if orgs & victim.organizations:
            links.append(VictimLink(victim.id, "organization", 0, victim.date, victim.evidence))
        if cases & victim.cases:
            links.append(VictimLink(victim.id, "case", 0, victim.date, victim.evidence))
        steps = [
            d
            for here in finest(defender["places"], above)
            for there in finest(victim.places, above)
            if (d := distance(above.get(here, {here: 0}), above.get(there, {there: 0}))) is not None
        ]
        if steps and min(steps) <= w.victims.max_distance:
            links.append(
                VictimLink(victim.id, "territory", min(steps), victim.date, victim.evidence)
            )
    return tuple(links)


@logged_question
async def victims(
    store: Store,
    viewer: Viewer,
    as_of: dt.date,
    territory: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    weights: RiskWeights | None = None,
) -> list[Victim]:
    """The killed and disappeared defenders the viewer may see in the territory, newest first;
    an undated victim is listed only when no date bound is given."""
    w = weights or load_weights().risk
    scope = await territory_scope(store, viewer, territory)
    found = await read_victims(store, viewer, as_of.isoformat(), scope, w)
    if since or until:
        low, high = (since or dt.date.min).isoformat(), (until or dt.date.max).isoformat()
        found = [v for v in found if v.date is not None and low <= v.date <= high]
    return sorted(found, key=lambda v: (v.date or "", v.id), reverse=True)
