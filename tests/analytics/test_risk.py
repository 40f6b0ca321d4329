"""Risk of defenders: the hand-worked case of the issue, invariants, and access, on both backends."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from service.access import Tlp, Viewer
from service.analytics.risk import Incident, Presence, RiskInputs, at_risk_defenders, score
from service.analytics.weights import load_weights
from service.store import Store
from tests.support.tables import load_rows

AS_OF = dt.date(2026, 1, 1)
W = load_weights().risk
OWNER = Viewer("org-a", clearance=Tlp.RED)
OTHER = Viewer("org-b", clearance=Tlp.RED)
ORGS = [
    {"id": o, "name": o, "kind": "ngo", "tlp": "GREEN", "owner": o}
    for o in ("org-a", "org-b", "org-c", "org-d")
]


def green(**row: str) -> dict[str, str]:
    return {"tlp": "GREEN", "owner": "org-a", **row}


GRAPH = {
    "organizations": ORGS,
    "territories": [
        green(id="ter-r", name="Región", kind="region"),
        green(id="ter-v", name="Comunidad V", kind="community", parent_id="ter-r"),
        green(id="ter-w", name="Comunidad W", kind="community", parent_id="ter-r"),
    ],
    "actors": [
        green(id="act-k", name="Cártel K", sector="non_state", kind="organized_crime"),
        green(id="act-p", name="Policía P", sector="state", kind="police"),
    ],
    "defenders": [
        green(
            id="def-1",
            pseudonym="Defensora Uno",
            identities="woman;indigenous",
            focus="land_territory",
        ),
        green(
            id="def-2",
            pseudonym="Defensora Dos",
            identities="woman;indigenous",
            focus="land_territory",
        ),
    ],
    "incidents": [
        green(
            id=f"inc-{d}-{n}",
            kind="threat",
            date="2025-10-01",
            severity="3",
            verified="true",
            territory_id=f"ter-{t}",
        )
        for d, t in (("1", "v"), ("2", "w"))
        for n in (1, 2)
    ],
    "relationships": [
        green(
            id="r-ctl",
            type="CONTROLS",
            from_id="act-k",
            to_id="ter-v",
            degree="0.9",
            confidence="0.8",
        ),
        green(
            id="r-col",
            type="COLLUDES_WITH",
            from_id="act-k",
            to_id="act-p",
            mode="protection",
            confidence="0.7",
        ),
        green(id="r-op1", type="OPERATES_IN", from_id="def-1", to_id="ter-v"),
        green(id="r-op2", type="OPERATES_IN", from_id="def-2", to_id="ter-w"),
        *(
            green(id=f"r-t-{d}-{n}", type="TARGETED", from_id=f"inc-{d}-{n}", to_id=f"def-{d}")
            for d in "12"
            for n in (1, 2)
        ),
        *(
            green(
                id=f"r-by-{d}-{n}",
                type="PERPETRATED_BY",
                from_id=f"inc-{d}-{n}",
                to_id="act-k",
                attribution="alleged",
            )
            for d in "12"
            for n in (1, 2)
        ),
        *(
            green(id=f"r-sup-{o}", type="SUPPORTS", from_id=o, to_id="def-2", kind="accompaniment")
            for o in ("org-b", "org-c", "org-d")
        ),
    ],
}


async def risks(store: Store, viewer: Viewer, as_of: dt.date = AS_OF) -> dict[str, float]:
    return {d: r.score for d, r in await at_risk_defenders(store, viewer, as_of, first=100)}


async def test_threatened_under_a_colluding_controller_outranks_the_well_supported(
    store: Store,
) -> None:
    await load_rows(store, **GRAPH)
    ranked = await at_risk_defenders(store, OWNER, AS_OF, first=10)
    assert [d for d, _ in ranked] == ["def-1", "def-2"]
    first = dict(ranked)["def-1"]
    names = {f.code: f for f in first.factors}
    assert names["hostile_control"].evidence == ("act-k",)
    assert names["hostile_control"].value == 0.9 * (1 + W.threats.impunity)  # degree x impunity
    assert set(names["incidents"].evidence) == {"inc-1-1", "inc-1-2"}
    second = dict(ranked)["def-2"]
    assert {f.code: f for f in second.factors}["support"].value == 3
    # The same incidents count the same: the difference is the controller and the support.
    assert names["incidents"].value == {f.code: f for f in second.factors}["incidents"].value


async def test_a_territory_scope_includes_what_lies_below_it(store: Store) -> None:
    await load_rows(store, **GRAPH)
    assert {d for d, _ in await at_risk_defenders(store, OWNER, AS_OF, territory="ter-r")} == {
        "def-1",
        "def-2",
    }
    assert [d for d, _ in await at_risk_defenders(store, OWNER, AS_OF, territory="ter-w")] == [
        "def-2"
    ]


async def test_hidden_and_expired_records_change_nothing(store: Store) -> None:
    await load_rows(store, **GRAPH)
    before = await risks(store, OWNER)
    await load_rows(
        store,
        incidents=[
            {
                "id": "inc-hidden",
                "kind": "attack",
                "date": "2025-12-01",
                "severity": "5",
                "tlp": "RED",
                "owner": "org-b",
            }
        ],
        relationships=[
            {
                "id": "r-hidden",
                "type": "TARGETED",
                "from_id": "inc-hidden",
                "to_id": "def-2",
                "tlp": "RED",
                "owner": "org-b",
            },
            green(
                id="r-old-support",
                type="SUPPORTS",
                from_id="org-c",
                to_id="def-1",
                kind="legal",
                valid_to="2020-01-01",
            ),
            green(
                id="r-old-control",
                type="CONTROLS",
                from_id="act-k",
                to_id="ter-w",
                degree="1.0",
                valid_to="2020-01-01",
            ),
        ],
    )
    assert await risks(store, OWNER) == before
    assert (await risks(store, OTHER))["def-2"] > before["def-2"]  # org-b sees its own attack
    # In 2019 the expired support and control still held, and they count then.
    then = dict(await at_risk_defenders(store, OWNER, dt.date(2019, 6, 1)))
    assert {f.code: f.evidence for f in then["def-1"].factors}["support"] == ("org-c",)
    assert {f.code: f.evidence for f in then["def-2"].factors}["hostile_control"] == ("act-k",)


incidents = st.builds(
    Incident,
    id=st.text("abc", min_size=1, max_size=3),
    severity=st.integers(1, 5),
    date=st.dates(dt.date(2015, 1, 1), dt.date(2025, 12, 31)).map(dt.date.isoformat),
    verified=st.booleans(),
)
names = st.frozensets(st.text("xyz", min_size=1, max_size=3), max_size=4)
inputs = st.builds(
    RiskInputs,
    identities=st.frozensets(st.sampled_from(["woman", "indigenous", "youth"])),
    focus=st.frozensets(st.sampled_from(["land_territory", "journalism"])),
    incidents=st.lists(incidents, max_size=5).map(tuple),
    organization_incidents=st.lists(incidents, max_size=3).map(tuple),
    organizations=names,
    supporters=names,
    solidarity=names,
    presences=st.lists(
        st.builds(
            Presence,
            actor=st.text("pq", min_size=1, max_size=2),
            relation=st.sampled_from(["CONTROLS", "DISPUTES"]),
            degree=st.floats(0, 1),
            colludes_with_state=st.booleans(),
        ),
        max_size=3,
    ).map(tuple),
    extractive=names,
)


@given(inputs, st.text("uvw", min_size=4, max_size=5))
def test_support_or_solidarity_never_raises_risk(base: RiskInputs, new_tie: str) -> None:
    before = score(base, AS_OF, W).score
    supported = dataclasses.replace(base, supporters=base.supporters | {new_tie})
    in_solidarity = dataclasses.replace(base, solidarity=base.solidarity | {new_tie})
    assert score(supported, AS_OF, W).score <= before + 1e-9
    assert score(in_solidarity, AS_OF, W).score <= before + 1e-9


@given(inputs, incidents)
def test_a_threat_never_lowers_risk(base: RiskInputs, threat: Incident) -> None:
    before = score(base, AS_OF, W).score
    threatened = dataclasses.replace(base, incidents=(*base.incidents, threat))
    assert score(threatened, AS_OF, W).score >= before - 1e-9


@given(inputs)
def test_the_score_is_its_factors(base: RiskInputs) -> None:
    risk = score(base, AS_OF, W)
    assert risk.score == risk.threats * risk.vulnerabilities / risk.capacities
    assert risk.level in ("LOW", "MEDIUM", "HIGH", "CRITICAL")


async def test_scores_are_cached_per_viewer_until_the_graph_changes(store: Store) -> None:
    await load_rows(store, **GRAPH)
    first = await risks(store, OWNER)
    trips = store.round_trips
    assert await risks(store, OWNER) == first
    assert store.round_trips - trips == 1  # only the graph version was read
    outsider = await risks(store, OTHER)  # another viewer: computed for it, not served from OWNER's
    assert store.round_trips - trips > 2
    assert outsider.keys() == first.keys()
    await load_rows(
        store,
        relationships=[
            green(id="r-new-support", type="SUPPORTS", from_id="org-d", to_id="def-1", kind="legal")
        ],
    )
    assert (await risks(store, OWNER))["def-1"] < first["def-1"]
