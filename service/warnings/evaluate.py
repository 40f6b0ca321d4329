"""Whether each watch fires, checked as a viewer of its organization on a given day.

A watch sees what its organization sees at the watch's clearance, through the same
access-checked reads as every answer (risks_of, the changes' reads): a warning can name only
what that viewer may read. Each firing has a key (the watch and the facts that made it fire),
so evaluating again, after a crash or on every write, records nothing twice.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from service.access import Role, Viewer, admitted_networks
from service.analytics.changes import actor_ties, incident_facts, is_covert, presences
from service.analytics.periods import Period
from service.analytics.risk import LEVELS, risks_of
from service.analytics.scope import territory_scope
from service.analytics.weights import RiskWeights
from service.i18n import N_, Nn_
from service.logs import get_logger
from service.model import load_model
from service.store import Row, Store
from service.warnings.reach import IncidentReach
from service.warnings.watches import Watch, WatchKind, active_watches

log = get_logger(__name__)

MESSAGES = {
    WatchKind.RISK_LEVEL: N_("The risk of {defender} reached {level}"),
    WatchKind.COVERT_TIE: N_("New covert tie ({type}) between {source} and {target}, from {date}"),
    # A message with a count keeps its singular; `gettext` agrees it with `{count}`.
    WatchKind.INCIDENT_COUNT: Nn_(
        "{count} incident of kind {kind} in {territory} within {days} days, the last on {date}",
        "{count} incidents of kind {kind} in {territory} within {days} days, the last on {date}",
    )[0],
    WatchKind.KILLING_NEARBY: N_("A killing near {subject} on {date}"),
    WatchKind.INCIDENT_AGAINST: N_("An incident of kind {kind} against {subject} on {date}"),
}
# A window of one day is named as its day, not as "within 1 days".
ONE_DAY_COUNT = Nn_(
    "{count} incident of kind {kind} in {territory} on {date}",
    "{count} incidents of kind {kind} in {territory} on {date}",
)[0]
FAR_PAST = "0001-01-01"
# Watches evaluated at once: their reads overlap on the database's connection pool.
CONCURRENT_WATCHES = 8


@dataclass(frozen=True)
class Firing:
    """What made a watch fire: its key facts, the records behind it, the sentence's params."""

    facts: tuple[str, ...]
    records: tuple[str, ...]
    params: dict[str, str | int] = field(default_factory=dict)

    def key(self, watch: Watch) -> str:
        return hashlib.sha256("\x1f".join((watch.id, *self.facts)).encode()).hexdigest()


async def watch_viewer(store: Store, watch: Watch, today: dt.date) -> Viewer:
    """The viewer a watch evaluates as: a reader of its organization at its clearance, with the
    networks that admit the organization today."""
    rows = await store.operator_read("organization_networks", org=watch.org)
    networks = admitted_networks(rows[0]["memberships"], today) if rows else ()
    return Viewer(watch.org, Role.READER, watch.clearance, networks)


def _is(label: str, record_id: str) -> bool:
    """Whether an id is of `label` (ids start with the label's prefix, schema.yaml)."""
    return record_id.startswith(load_model().labels[label].prefix + "-")


def _new(watch: Watch, day: str | None, written: str | None) -> bool:
    """An event is new to a watch when it happened on or after the watch's first day, or was
    written after the watch was set (a late report of an older event)."""
    # Writes are stamped to the second (cypher/ingest): what was written in the watch's own
    # second counts as new, erring on the side of warning.
    return (day or FAR_PAST) >= watch.since or (written or "")[:19] >= watch.created_at[:19]


async def _risk_level(
    store: Store, viewer: Viewer, watch: Watch, today: dt.date, w: RiskWeights
) -> list[Firing]:
    scored = await risks_of(store, viewer, [watch.subject], today, w)
    wanted = watch.params["level"]
    if not scored or LEVELS.index(scored[0][1].level) < LEVELS.index(wanted):
        return []
    params = {"defender": watch.subject, "level": wanted}
    return [Firing((wanted,), (watch.subject,), params)]


async def _present_actors(store: Store, viewer: Viewer, territory: str, today: str) -> list[str]:
    scope = await territory_scope(store, viewer, territory) or []
    rows = await presences(store, viewer, scope) if scope else []
    return sorted(
        {
            r["actor"]
            for r in rows
            if (r.get("valid_from") or FAR_PAST) <= today and (r.get("valid_to") or today) >= today
        }
    )


async def _covert_tie(store: Store, viewer: Viewer, watch: Watch, today: dt.date) -> list[Firing]:
    day = today.isoformat()
    present = (
        await _present_actors(store, viewer, watch.subject, day)
        if not _is("Actor", watch.subject)
        else [watch.subject]
    )
    firings = []
    # New to the watch: began from its first day on, or written since it was set (_new).
    period = Period(dt.date.fromisoformat(min(watch.since, day)), today)
    written = watch.created_at[:19]
    for tie in await actor_ties(store, viewer, present, period, written) if present else []:
        held = (tie.get("valid_from") or FAR_PAST) <= day and (tie.get("valid_to") or day) >= day
        if held and is_covert(tie) and _new(watch, tie.get("valid_from"), tie.get("created_at")):
            params = {
                "type": tie["type"],
                "source": tie["source"],
                "target": tie["target"],
                "date": tie.get("valid_from") or tie.get("created_at", "")[:10],
            }
            firings.append(Firing((tie["id"],), (tie["source"], tie["target"]), params))
    return firings


async def _scope_incidents(
    store: Store,
    viewer: Viewer,
    territories: Iterable[str],
    start: str,
    today: dt.date,
    kinds: list[str],
) -> list[Row]:
    scope: set[str] = set()
    for territory in territories:
        scope.update(await territory_scope(store, viewer, territory) or [])
    if not scope:
        return []
    period = Period(dt.date.fromisoformat(start), today)
    return await incident_facts(store, viewer, sorted(scope), period, kinds)


async def _incident_count(
    store: Store, viewer: Viewer, watch: Watch, today: dt.date
) -> list[Firing]:
    p = watch.params
    window = dt.timedelta(days=int(p["window_days"]) - 1)
    start = (dt.date.fromisoformat(watch.since) - window).isoformat()
    # Incidents before the first window that can hold a new one cannot make a new count.
    rows = await _scope_incidents(store, viewer, [watch.subject], start, today, [p["kind"]])
    firings, reached_before = [], False
    for i, row in enumerate(rows):
        low = (dt.date.fromisoformat(row["date"]) - window).isoformat()
        inside = [r for r in rows[: i + 1] if r["date"] >= low]
        reached = len(inside) >= int(p["count"])
        if reached and not reached_before and _new(watch, row["date"], row.get("created_at")):
            params = {
                "count": len(inside),
                "kind": p["kind"],
                "territory": watch.subject,
                "days": int(p["window_days"]),
                "date": row["date"],
            }
            records = (watch.subject, *(r["id"] for r in inside))
            firings.append(Firing((row["id"],), records, params))
        reached_before = reached
    return firings


async def _killing_nearby(
    store: Store, viewer: Viewer, watch: Watch, today: dt.date
) -> list[Firing]:
    places = [watch.subject]
    if _is("Defender", watch.subject):
        rows = await store.read(
            "defender_risk_features",
            ids=[watch.subject],
            as_of=today.isoformat(),
            **viewer.params(),
        )
        places = rows[0]["places"] if rows else []
    rows = await _scope_incidents(store, viewer, places, FAR_PAST, today, ["killing"])
    return [
        Firing((r["id"],), (watch.subject, r["id"]), {"subject": watch.subject, "date": r["date"]})
        for r in rows
        if _new(watch, r["date"], r.get("created_at"))
    ]


async def _incident_against(
    store: Store, viewer: Viewer, watch: Watch, today: dt.date
) -> list[Firing]:
    rows = await store.read(
        "incidents_against", id=watch.subject, **{"from": FAR_PAST}, **viewer.params()
    )
    return [
        Firing(
            (r["id"],),
            (watch.subject, r["id"]),
            {"subject": watch.subject, "kind": r["kind"], "date": r["date"]},
        )
        for r in rows
        if r["date"] <= today.isoformat() and _new(watch, r["date"], r.get("created_at"))
    ]


async def firings(
    store: Store, watch: Watch, today: dt.date, w: RiskWeights, viewer: Viewer | None = None
) -> list[Firing]:
    """Every firing of `watch` on `today`, as its organization sees the graph."""
    viewer = viewer or await watch_viewer(store, watch, today)
    if watch.kind is WatchKind.RISK_LEVEL:
        return await _risk_level(store, viewer, watch, today, w)
    if watch.kind is WatchKind.COVERT_TIE:
        return await _covert_tie(store, viewer, watch, today)
    if watch.kind is WatchKind.INCIDENT_COUNT:
        return await _incident_count(store, viewer, watch, today)
    if watch.kind is WatchKind.KILLING_NEARBY:
        return await _killing_nearby(store, viewer, watch, today)
    return await _incident_against(store, viewer, watch, today)


def message(watch: Watch, firing: Firing) -> str:
    """The template of a warning (stored with it, translated when read)."""
    if watch.kind is WatchKind.INCIDENT_COUNT and firing.params.get("days") == 1:
        return ONE_DAY_COUNT
    return MESSAGES[watch.kind]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


async def record(store: Store, watch: Watch, firing: Firing, webhook: bool) -> str | None:
    """Record a firing as a warning; its id when this call created it, None when it existed."""
    rows = await store.write(
        "record_warning",
        key=firing.key(watch),
        id=f"warn-{uuid.uuid4().hex[:16]}",
        org=watch.org,
        watch=watch.id,
        kind=watch.kind.value,
        message=message(watch, firing),
        params=json.dumps(firing.params, sort_keys=True),
        records=list(dict.fromkeys(firing.records)),
        clearance=watch.clearance.value,
        delivery="pending" if webhook else "none",
        now=_now(),
    )
    return str(rows[0]["id"]) if rows[0]["created"] else None


async def evaluate(
    store: Store,
    w: RiskWeights,
    today: dt.date | None = None,
    org: str | None = None,
    kinds: frozenset[WatchKind] = frozenset(WatchKind),
    reach: IncidentReach | None = None,
) -> list[str]:
    """Evaluate the active watches (of `org`, or all; of `kinds`, or all; that an incident just
    written can make fire, given its `reach`); the ids of the warnings recorded. A watch that
    fails is logged and skipped: the others still run, and the next run retries it."""
    day = today or dt.datetime.now(dt.UTC).date()
    watches = [
        x
        for x in await active_watches(store, org)
        if x.kind in kinds and (reach is None or reach.may_fire(x))
    ]
    viewers = {(x.org, x.clearance): await watch_viewer(store, x, day) for x in watches}
    hooks = {
        o: bool(await store.operator_read("warning_webhook", org=o))
        for o in {x.org for x in watches}
    }
    limit = asyncio.Semaphore(CONCURRENT_WATCHES)

    async def fired(watch: Watch) -> list[Firing]:
        async with limit:
            try:
                return await firings(store, watch, day, w, viewers[(watch.org, watch.clearance)])
            except Exception:
                log.exception("watch evaluation failed", watch=watch.id)
                return []

    # The reads of different watches overlap; the warnings are recorded in the watches' order.
    found = await asyncio.gather(*(fired(x) for x in watches))
    created: list[str] = []
    for watch, its in zip(watches, found, strict=True):
        for firing in its:
            if (new := await record(store, watch, firing, hooks[watch.org])) is not None:
                created.append(new)
    if created:
        log.info("warnings recorded", count=len(created))
    return created
