"""Changes, risk history, trends and impunity on a small world, on both databases: what org-a
reads never mentions org-b's hidden records, and org-b reads them."""

from __future__ import annotations

import datetime as dt

from service.access import Role, Tlp, Viewer
from service.analytics.changes import ChangeKind, changes
from service.analytics.impunity import impunity, stages
from service.analytics.periods import Interval, Period, periods, steps
from service.analytics.risk_history import defender_history
from service.analytics.trends import TrendBy, trends
from service.analytics.weights import load_weights
from service.store import Store
from tests.support.tables import load_rows
from tests.support.watch_world import leaks, load_world

A = Viewer("org-a", Role.ANALYST, Tlp.RED)
B = Viewer("org-b", Role.ANALYST, Tlp.RED)
W = load_weights().risk
SINCE, UNTIL = dt.date(2024, 1, 1), dt.date(2024, 6, 30)


def test_periods_cover_the_range_and_look_back_the_same_length() -> None:
    months = periods(dt.date(2024, 1, 15), dt.date(2024, 3, 10), Interval.MONTH)
    assert [(p.start.isoformat(), p.end.isoformat()) for p in months] == [
        ("2024-01-15", "2024-01-31"),
        ("2024-02-01", "2024-02-29"),
        ("2024-03-01", "2024-03-10"),
    ]
    before = Period(dt.date(2024, 3, 1), dt.date(2024, 3, 31)).before()
    assert (before.start, before.end) == (dt.date(2024, 1, 30), dt.date(2024, 2, 29))
    assert steps(dt.date(2024, 1, 1), dt.date(2024, 1, 10), 4)[-1] == dt.date(2024, 1, 10)


async def test_changes_show_the_covert_tie_first_and_nothing_hidden(store: Store) -> None:
    await load_world(store)
    found = await changes(store, A, "ter-r", SINCE, UNTIL, W)
    assert found[0].code == "COVERT_TIE_STARTED"
    assert found[0].records == ("rel-collusion", "act-cartel", "act-police")
    codes = {c.code for c in found}
    assert "CONTROL_GAINED" not in codes  # the only control gained in the window is hidden
    assert leaks(found) == []
    theirs = await changes(store, B, "ter-r", SINCE, UNTIL, W)
    seen = {r for c in theirs for r in c.records}
    assert {"rel-hidden-collusion", "act-hidden", "rel-hidden-control"} <= seen
    assert "CONTROL_GAINED" in {c.code for c in theirs}


async def test_incident_and_risk_changes_count_what_the_viewer_sees(store: Store) -> None:
    await load_world(store)
    await load_rows(
        store,
        incidents=[
            {
                "id": "inc-attack",
                "kind": "attack",
                "date": "2024-04-02",
                "severity": "5",
                "territory_id": "ter-m",
                "tlp": "GREEN",
                "owner": "org-a",
            },
        ],
        relationships=[
            {
                "id": "rel-attack-target",
                "type": "TARGETED",
                "from_id": "inc-attack",
                "to_id": "def-1",
                "tlp": "GREEN",
                "owner": "org-a",
            },
        ],
    )
    found = await changes(store, A, "ter-r", SINCE, UNTIL, W, frozenset({ChangeKind.INCIDENTS}))
    by_kind = {c.params["kind"]: c for c in found if c.code == "INCIDENTS_BY_KIND"}
    assert by_kind["attack"].params == {"kind": "attack", "count": 1, "previous": 0}
    assert by_kind["attack"].records == ("inc-attack",)  # org-b's RED attack is not counted
    assert leaks(found) == []
    risk = await changes(store, A, "ter-r", SINCE, UNTIL, W, frozenset({ChangeKind.RISK}))
    assert [(c.code, c.records) for c in risk] == [("RISK_ROSE", ("def-1",))]


async def test_risk_history_is_computed_as_of_each_day(store: Store) -> None:
    await load_world(store)
    days = steps(dt.date(2023, 11, 1), dt.date(2023, 11, 30), 29)
    history = await defender_history(store, A, "def-1", days, W)
    assert [d for d, _ in history] == days
    assert history[0][1].threats < history[1][1].threats  # the threat of 10 November counts
    assert await defender_history(store, A, "def-hidden", days, W) == []


async def test_trends_compare_each_period_with_the_one_before(store: Store) -> None:
    await load_world(store)
    points = await trends(
        store,
        A,
        "ter-r",
        TrendBy.KIND,
        dt.date(2023, 11, 1),
        dt.date(2024, 3, 31),
        Interval.QUARTER,
    )
    assert [(p.start.isoformat(), p.key, p.count, p.previous) for p in points] == [
        ("2023-11-01", "threat", 1, 0),
        ("2024-01-01", "threat", 0, 1),
    ]
    theirs = await trends(
        store,
        B,
        "ter-r",
        TrendBy.PERPETRATOR,
        dt.date(2024, 1, 1),
        dt.date(2024, 3, 31),
        Interval.MONTH,
    )
    assert ("2024-03-01", "act-hidden", 1) in [
        (p.start.isoformat(), p.key, p.count) for p in theirs
    ]
    ours = await trends(
        store,
        A,
        "ter-r",
        TrendBy.TARGET_GROUP,
        dt.date(2024, 1, 1),
        dt.date(2024, 3, 31),
        Interval.MONTH,
    )
    assert leaks(ours) == [] and ours == []


async def test_impunity_counts_the_stages_cases_reached(store: Store) -> None:
    await load_world(store)
    assert stages()[0] == "reported" and stages()[-1] == "closed_without_result"
    found = await impunity(store, A, actor="act-cartel")
    assert (found.incidents, found.documented, found.by_attribution) == (1, 1, {"alleged": 1})
    reached = {s.stage: s.incidents for s in found.stages}
    assert reached == {
        "reported": 1,
        "investigated": 1,
        "charged": 0,
        "tried": 0,
        "sentenced": 0,
        "closed_without_result": 0,
    }
    hidden = await impunity(store, A, actor="act-hidden")
    assert hidden.incidents == 0
    assert (await impunity(store, B, actor="act-hidden")).incidents == 1
    place = await impunity(store, A, territory="ter-r")
    assert place.incident_ids == ("inc-old",)
