"""After an incident is written, only the watches it can reach are evaluated (reach.py): on both
databases, a full evaluation right after each write finds nothing the incremental one missed,
and the incremental one did fire (it is not vacuously quiet)."""

from __future__ import annotations

import asyncio
import datetime as dt

from service.access import Role, Tlp, Viewer
from service.analytics.weights import load_weights
from service.edits import record_incident
from service.store import Store
from service.warnings.evaluate import evaluate
from service.warnings.reach import IncidentReach
from service.warnings.runner import after_write
from service.warnings.triggers import kinds_after_record
from service.warnings.watches import Watch, WatchKind, check_params, create_watch
from tests.support.tables import load_rows
from tests.support.watch_world import load_world

W = load_weights().risk
TODAY = dt.datetime.now(dt.UTC).date()
KINDS = kinds_after_record("Incident")


async def test_a_write_misses_no_warning_a_full_evaluation_would_record(store: Store) -> None:
    await load_world(store, with_escalation=False)
    member = {"id": "rel-member", "type": "MEMBER_OF", "from_id": "def-1", "to_id": "org-a"}
    await load_rows(store, relationships=[member | {"tlp": "GREEN", "owner": "org-a"}])
    await asyncio.sleep(1.1)  # the world is older than the watches
    admin = Viewer("org-a", Role.ADMIN, Tlp.RED)
    watches = [
        (
            WatchKind.INCIDENT_COUNT,
            "ter-r",
            check_params(WatchKind.INCIDENT_COUNT, None, "threat", 1, 30),
        ),
        (
            WatchKind.INCIDENT_COUNT,
            "ter-r",
            check_params(WatchKind.INCIDENT_COUNT, None, "attack", 2, 30),
        ),
        (WatchKind.KILLING_NEARBY, "ter-r", {}),
        (WatchKind.KILLING_NEARBY, "def-1", {}),
        (WatchKind.INCIDENT_AGAINST, "def-1", {}),
        (WatchKind.INCIDENT_AGAINST, "org-a", {}),
        (
            WatchKind.RISK_LEVEL,
            "def-1",
            check_params(WatchKind.RISK_LEVEL, "MEDIUM", None, None, None),
        ),
    ]
    for kind, subject, params in watches:
        await create_watch(store, admin, kind, subject, params, "test")
    analyst = Viewer("org-a", Role.ANALYST, Tlp.RED)
    fired: list[str] = []
    for kind, targets in (
        ("threat", []),
        ("attack", ["org-a"]),
        ("killing", []),
        ("attack", ["def-1"]),
    ):
        incident = {"kind": kind, "severity": 4, "date": TODAY.isoformat(), "tlp": "GREEN"}
        saved = await record_incident(
            store, analyst, incident | {"territory_id": "ter-m"}, [], targets
        )
        before = await _warnings(store)
        await after_write(store, W, None, KINDS, saved)
        fired += [w["kind"] for i, w in (await _warnings(store)).items() if i not in before]
        assert await evaluate(store, W, kinds=KINDS) == [], f"missed after {kind} {targets}"
    assert sorted(set(fired)) == [
        "INCIDENT_AGAINST",
        "INCIDENT_COUNT",
        "KILLING_NEARBY",
        "RISK_LEVEL",
    ]


async def _warnings(store: Store) -> dict[str, dict[str, str]]:
    rows = await store.operator_read(
        "warnings_of_organization", org="org-a", since=None, acknowledged=None
    )
    return {r["id"]: r for r in rows}


def test_reach_keeps_what_an_incident_can_change() -> None:
    reach = IncidentReach(
        "threat", frozenset({"ter-m", "ter-r"}), frozenset({"def-1"}), frozenset({"def-2"}), False
    )

    def watch(watch_kind: WatchKind, subject: str, **params: object) -> Watch:
        return Watch("w", "org-a", watch_kind, subject, Tlp.RED, "2026-01-01", "2026-01-01", params)

    assert reach.may_fire(watch(WatchKind.INCIDENT_COUNT, "ter-r", kind="threat"))
    assert not reach.may_fire(watch(WatchKind.INCIDENT_COUNT, "ter-r", kind="attack"))
    assert not reach.may_fire(watch(WatchKind.INCIDENT_COUNT, "ter-x", kind="threat"))
    assert not reach.may_fire(watch(WatchKind.KILLING_NEARBY, "ter-r"))  # not a killing
    assert reach.may_fire(watch(WatchKind.INCIDENT_AGAINST, "def-1"))
    assert not reach.may_fire(watch(WatchKind.INCIDENT_AGAINST, "def-3"))
    assert reach.may_fire(watch(WatchKind.RISK_LEVEL, "def-2"))  # a member of a target
    assert not reach.may_fire(watch(WatchKind.RISK_LEVEL, "def-3"))
    against_a_victim = IncidentReach("attack", frozenset(), frozenset({"def-9"}), frozenset(), True)
    assert against_a_victim.may_fire(watch(WatchKind.RISK_LEVEL, "def-3"))  # weighs on all near
