"""What changed in the power around a territory between two days, as the viewer may see it.

Ties among the actors present (covert ones first), control gained or lost, actors arriving,
incidents by kind and by perpetrator against the period of the same length before, and the
defenders whose risk level rose or fell. Every item names the records behind it; its sentence
is a template (`N_`) filled with the names the viewer may read, translated when served.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache

from service.access import Viewer
from service.analytics.periods import Period, check_range
from service.analytics.projection import covert
from service.analytics.risk import LEVELS, risks_of
from service.analytics.scope import territory_scope
from service.analytics.weights import RiskWeights, load_weights
from service.i18n import N_, Nn_
from service.model import load_model
from service.store import Row, Store

CONTROL_TYPES = ("CONTROLS", "DISPUTES")


class ChangeKind(StrEnum):
    TIES = "TIES"
    CONTROL = "CONTROL"
    ACTORS = "ACTORS"
    INCIDENTS = "INCIDENTS"
    RISK = "RISK"


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    code: str  # TIE_STARTED, TIE_ENDED, CONTROL_GAINED, ... (stable, English)
    message: str  # an N_ template; fill with `params` and the names of `records`
    records: tuple[str, ...]
    params: dict[str, str | int] = field(default_factory=dict)
    date: str | None = None
    covert: bool = False


MESSAGES = {
    "TIE_STARTED": N_("{source} and {target} started a tie ({type}) on {date}"),
    "COVERT_TIE_STARTED": N_("{source} and {target} started a covert tie ({type}) on {date}"),
    "TIE_ENDED": N_("The tie ({type}) between {source} and {target} ended on {date}"),
    "CONTROL_GAINED": N_("{actor} took control of {territory} on {date}"),
    "DISPUTE_STARTED": N_("{actor} began disputing {territory} on {date}"),
    "CONTROL_LOST": N_("{actor} no longer controls {territory} since {date}"),
    "DISPUTE_ENDED": N_("{actor} stopped disputing {territory} on {date}"),
    "ACTOR_ARRIVED": N_("{actor} arrived in {territory} on {date}"),
    # A message with a count keeps its singular; `gettext` agrees it with `{count}`.
    "INCIDENTS_BY_KIND": Nn_(
        "{kind}: {count} incident, {previous} in the period before",
        "{kind}: {count} incidents, {previous} in the period before",
    )[0],
    "INCIDENTS_BY_PERPETRATOR": Nn_(
        "Attributed to {actor}: {count} incident, {previous} in the period before",
        "Attributed to {actor}: {count} incidents, {previous} in the period before",
    )[0],
    "RISK_ROSE": N_("The risk of {defender} rose from {before} to {after}"),
    "RISK_FELL": N_("The risk of {defender} fell from {before} to {after}"),
}


@cache
def power_tie_types() -> tuple[str, ...]:
    """Relationship types between actors (the model's)."""
    rels = load_model().relationship_types.values()
    return tuple(sorted(r.name for r in rels if "Actor" in r.from_labels & r.to_labels))


@cache
def presence_types() -> tuple[str, ...]:
    """Relationship types that put an actor in a territory (the model's)."""
    rels = load_model().relationship_types.values()
    return tuple(
        sorted(r.name for r in rels if "Actor" in r.from_labels and r.to_labels == {"Territory"})
    )


def is_covert(tie: Row) -> bool:
    """Hidden power, as every analysis decides it: the tie's `covert` mark, else the default
    table of weights.yaml (docs/methodology.md, Covert ties)."""
    defaults = load_weights().covert_defaults
    return covert(tie["type"], tie.get("covert"), bool(tie.get("source_public")), defaults)


def _within(day: str | None, period: Period) -> bool:
    return day is not None and period.start.isoformat() <= day <= period.end.isoformat()


def _held_during(tie: Row, period: Period) -> bool:
    starts, ends = tie.get("valid_from"), tie.get("valid_to")
    return (starts is None or starts <= period.end.isoformat()) and (
        ends is None or ends >= period.start.isoformat()
    )


async def presences(store: Store, viewer: Viewer, scope: list[str]) -> list[Row]:
    return await store.read(
        "actor_presence_in_territory",
        scope=scope,
        types=list(presence_types()),
        **viewer.params(),
    )


async def actor_ties(
    store: Store, viewer: Viewer, actors: list[str], period: Period, written_since: str | None
) -> list[Row]:
    """The actors' ties that began or ended within `period`, or were written from
    `written_since` on."""
    return await store.read(
        "ties_of_actors",
        ids=actors,
        types=list(power_tie_types()),
        **{"from": period.start.isoformat(), "to": period.end.isoformat()},
        written_since=written_since,
        **viewer.params(),
    )


def tie_changes(ties: list[Row], period: Period) -> list[Change]:
    found = []
    for tie in ties:
        ends = (tie["source"], tie["target"])
        params = {"type": tie["type"], "source": tie["source"], "target": tie["target"]}
        covert = is_covert(tie)
        if _within(tie.get("valid_from"), period) and tie["valid_from"] > period.start.isoformat():
            code = "COVERT_TIE_STARTED" if covert else "TIE_STARTED"
            found.append(
                Change(
                    ChangeKind.TIES,
                    code,
                    MESSAGES[code],
                    (tie["id"], *ends),
                    {**params, "date": tie["valid_from"]},
                    tie["valid_from"],
                    covert,
                )
            )
        if _within(tie.get("valid_to"), period) and tie["valid_to"] < period.end.isoformat():
            found.append(
                Change(
                    ChangeKind.TIES,
                    "TIE_ENDED",
                    MESSAGES["TIE_ENDED"],
                    (tie["id"], *ends),
                    {**params, "date": tie["valid_to"]},
                    tie["valid_to"],
                    covert,
                )
            )
    return found


def _presence_change(code: str, row: Row, day: str, kind: ChangeKind) -> Change:
    return Change(
        kind,
        code,
        MESSAGES[code],
        (row["id"], row["actor"], row["territory"]),
        {"actor": row["actor"], "territory": row["territory"], "date": day},
        day,
    )


def control_changes(rows: list[Row], period: Period) -> list[Change]:
    found = []
    for row in rows:
        if row["type"] not in CONTROL_TYPES:
            continue
        control = row["type"] == "CONTROLS"
        if _within(row.get("valid_from"), period) and row["valid_from"] > period.start.isoformat():
            code = "CONTROL_GAINED" if control else "DISPUTE_STARTED"
            found.append(_presence_change(code, row, row["valid_from"], ChangeKind.CONTROL))
        if _within(row.get("valid_to"), period) and row["valid_to"] < period.end.isoformat():
            code = "CONTROL_LOST" if control else "DISPUTE_ENDED"
            found.append(_presence_change(code, row, row["valid_to"], ChangeKind.CONTROL))
    return found


def arrivals(rows: list[Row], period: Period) -> list[Change]:
    """Actors with a tie to the territory that began in the period and none held before it."""
    start = period.start.isoformat()
    before = {
        r["actor"]
        for r in rows
        if (r.get("valid_from") is None or r["valid_from"] <= start)
        and (r.get("valid_to") is None or r["valid_to"] >= start)
    }
    first: dict[str, Row] = {}
    for row in sorted(rows, key=lambda r: (r.get("valid_from") or "", r["id"])):
        if row["actor"] not in before and _within(row.get("valid_from"), period):
            first.setdefault(row["actor"], row)
    return [
        _presence_change("ACTOR_ARRIVED", row, row["valid_from"], ChangeKind.ACTORS)
        for row in first.values()
    ]


async def incident_facts(
    store: Store, viewer: Viewer, scope: list[str], period: Period, kinds: list[str] | None = None
) -> list[Row]:
    return await store.read(
        "incident_facts_in_territory",
        scope=scope,
        **{"from": period.start.isoformat(), "to": period.end.isoformat()},
        kinds=kinds or [],
        **viewer.params(),
    )


def incident_changes(now: list[Row], before: list[Row]) -> list[Change]:
    found = []
    kinds_now = Counter(r["kind"] for r in now)
    kinds_before = Counter(r["kind"] for r in before)
    for kind in sorted(kinds_now.keys() | kinds_before.keys()):
        if kinds_now[kind] != kinds_before[kind]:
            ids = tuple(r["id"] for r in now if r["kind"] == kind)
            params = {"kind": kind, "count": kinds_now[kind], "previous": kinds_before[kind]}
            found.append(
                Change(
                    ChangeKind.INCIDENTS,
                    "INCIDENTS_BY_KIND",
                    MESSAGES["INCIDENTS_BY_KIND"],
                    ids,
                    params,
                )
            )
    by_now = Counter(a for r in now for a in r["perpetrators"])
    by_before = Counter(a for r in before for a in r["perpetrators"])
    for actor in sorted(by_now.keys() | by_before.keys()):
        if by_now[actor] != by_before[actor]:
            ids = (actor, *(r["id"] for r in now if actor in r["perpetrators"]))
            params = {"actor": actor, "count": by_now[actor], "previous": by_before[actor]}
            found.append(
                Change(
                    ChangeKind.INCIDENTS,
                    "INCIDENTS_BY_PERPETRATOR",
                    MESSAGES["INCIDENTS_BY_PERPETRATOR"],
                    ids,
                    params,
                )
            )
    return found


async def risk_changes(
    store: Store, viewer: Viewer, scope: list[str], period: Period, w: RiskWeights
) -> list[Change]:
    ids: set[str] = set()
    for day in (period.start, period.end):
        rows = await store.read(
            "defenders_working_in", scope=scope, as_of=day.isoformat(), **viewer.params()
        )
        ids.update(r["id"] for r in rows)
    before = dict(await risks_of(store, viewer, sorted(ids), period.start, w))
    after = dict(await risks_of(store, viewer, sorted(ids), period.end, w))
    found = []
    for defender in sorted(before.keys() & after.keys()):
        was, now = LEVELS.index(before[defender].level), LEVELS.index(after[defender].level)
        if was != now:
            code = "RISK_ROSE" if now > was else "RISK_FELL"
            params: dict[str, str | int] = {
                "defender": defender,
                "before": before[defender].level,
                "after": after[defender].level,
            }
            found.append(Change(ChangeKind.RISK, code, MESSAGES[code], (defender,), params))
    return found


async def changes(
    store: Store,
    viewer: Viewer,
    territory: str,
    since: dt.date,
    until: dt.date,
    w: RiskWeights,
    kinds: frozenset[ChangeKind] = frozenset(ChangeKind),
) -> list[Change]:
    """The changes around `territory` from `since` to `until`, covert ties first."""
    check_range(since, until, "until")
    period = Period(since, until)
    scope = await territory_scope(store, viewer, territory) or []
    found: list[Change] = []
    rows = await presences(store, viewer, scope) if scope else []
    if ChangeKind.TIES in kinds:
        present = sorted({r["actor"] for r in rows if _held_during(r, period)})
        found += tie_changes(await actor_ties(store, viewer, present, period, None), period)
    if ChangeKind.CONTROL in kinds:
        found += control_changes(rows, period)
    if ChangeKind.ACTORS in kinds:
        found += arrivals(rows, period)
    if ChangeKind.INCIDENTS in kinds and scope:
        now = await incident_facts(store, viewer, scope, period)
        before = await incident_facts(store, viewer, scope, period.before())
        found += incident_changes(now, before)
    if ChangeKind.RISK in kinds and scope:
        found += await risk_changes(store, viewer, scope, period, w)
    order = list(ChangeKind)
    found.sort(key=lambda c: (not c.covert, order.index(c.kind), c.date or "", c.records))
    return found
