"""Shadow power and the collusion network on a hand-built graph, on both backends."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pytest

from service.access import Tlp, Viewer
from service.analytics.collusion import collusion_view
from service.analytics.projection import project
from service.analytics.shadow_power import shadow_power
from service.store import Store
from tests.support.tables import load_rows

AS_OF = dt.date(2026, 1, 1)
OUTSIDER = Viewer("org-b", clearance=Tlp.RED)
OWNER = Viewer("org-a", clearance=Tlp.RED)
ORGS = [{"id": o, "name": o, "kind": "ngo", "tlp": "GREEN", "owner": o} for o in ("org-a", "org-b")]


def row(**values: str) -> dict[str, str]:
    return {"tlp": "GREEN", "owner": "org-a", **values}


def actor(
    id_: str, sector: str, kind: str, public: str = "false", tlp: str = "GREEN"
) -> dict[str, str]:
    return row(id=id_, name=f"Actor {id_}", sector=sector, kind=kind, public=public, tlp=tlp)


GRAPH = {
    "organizations": ORGS,
    "territories": [
        row(id="ter-r", name="Región", kind="region"),
        row(id="ter-v", name="Comunidad", kind="community", parent_id="ter-r"),
    ],
    "actors": [
        actor("P", "state", "police", "true"),
        actor("J", "state", "judiciary", "true"),
        actor("B", "non_state", "corporation"),  # the broker
        actor("C", "non_state", "organized_crime"),
        actor("K", "non_state", "organized_crime"),
        actor("H", "non_state", "paramilitary", tlp="RED"),  # org-a's secret
    ],
    "incidents": [
        row(id="inc-1", kind="threat", date="2025-06-01", severity="3", territory_id="ter-v")
    ],
    "relationships": [
        row(
            id="t-bp",
            type="COLLUDES_WITH",
            from_id="B",
            to_id="P",
            confidence="0.8",
            mode="bribery",
        ),
        row(
            id="t-bc",
            type="COLLUDES_WITH",
            from_id="B",
            to_id="C",
            confidence="0.9",
            mode="protection",
        ),
        row(
            id="t-jk",
            type="COLLUDES_WITH",
            from_id="J",
            to_id="K",
            confidence="0.6",
            mode="information",
        ),
        row(id="t-ck", type="ALLIED_WITH", from_id="C", to_id="K", confidence="0.7"),
        row(
            id="t-hp",
            type="COLLUDES_WITH",
            from_id="H",
            to_id="P",
            confidence="1.0",
            mode="joint_operation",
            tlp="RED",
        ),
        row(id="ctl", type="CONTROLS", from_id="C", to_id="ter-v", degree="0.7", confidence="0.8"),
        row(id="op-b", type="OPERATES_IN", from_id="B", to_id="ter-v"),
        row(id="op-p", type="OPERATES_IN", from_id="P", to_id="ter-v"),
        row(id="op-j", type="OPERATES_IN", from_id="J", to_id="ter-r"),
        row(id="op-k", type="OPERATES_IN", from_id="K", to_id="ter-r"),
        row(id="op-h", type="OPERATES_IN", from_id="H", to_id="ter-v", tlp="RED"),
        row(id="by-1", type="PERPETRATED_BY", from_id="inc-1", to_id="C", attribution="alleged"),
    ],
}


@pytest.fixture
async def power(store: Store) -> Store:
    await load_rows(store, **GRAPH)
    return store


async def test_the_broker_between_police_and_cartel_ranks_first(power: Store) -> None:
    ranked = await shadow_power(power, OUTSIDER, AS_OF, territory="ter-r")
    assert ranked[0].actor == "B"
    assert ranked[0].brokerage == pytest.approx(0.8 * 0.9)  # P (state) and C (non-state), not tied
    assert ranked[0].evidence[0].actors == ("B", "P")
    # Oracle: B is also the most between actor of the tie graph (networkx).
    graph = nx.Graph(
        [
            (t["from_id"], t["to_id"])
            for t in GRAPH["relationships"]
            if t["from_id"] in "PJBCK" and t["to_id"] in "PJBCK"
        ]
    )
    centrality = nx.betweenness_centrality(graph)
    assert max(centrality, key=lambda a: centrality[a]) in {"B", "C"}
    by_actor = {s.actor: s for s in ranked}
    assert by_actor["C"].territorial_control == pytest.approx(0.7 * 0.8)
    assert by_actor["C"].attributed_incidents > 0
    # P (a police unit) reaches no state institution covertly and does nothing covert of its
    # own: no hidden component, so it is not ranked as hidden power at all.
    assert "P" not in by_actor
    for s in ranked:  # the score is the sum of its returned terms
        assert s.score == pytest.approx(sum(t.value * t.weight for t in s.terms))
        assert s.score > 0


async def test_a_hidden_actor_and_its_ties_are_not_counted(power: Store) -> None:
    outsider = {s.actor: s for s in await shadow_power(power, OUTSIDER, AS_OF)}
    owner = {s.actor: s for s in await shadow_power(power, OWNER, AS_OF)}
    assert "H" not in outsider
    assert owner["H"].covert_reach == pytest.approx(1.0)


async def test_collusion_network_crosses_sectors_with_communities_and_brokers(power: Store) -> None:
    view = collusion_view(await project(power, OUTSIDER, None, AS_OF.isoformat()))
    assert {(e.source, e.target) for e in view.edges} == {("B", "P"), ("J", "K")}
    assert {n.id for n in view.nodes} == {"B", "P", "J", "K"}
    groups = {n.id: n.group for n in view.nodes}
    assert groups["B"] == groups["P"] != groups["J"] == groups["K"]
    assert view.brokers == ()  # two separate pockets: nobody ties them together
    owner_view = collusion_view(await project(power, OWNER, None, AS_OF.isoformat()))
    assert ("H", "P") in {(e.source, e.target) for e in owner_view.edges}
    # Scores are betweenness centrality: networkx on the view's own edges as the oracle.
    oracle = nx.betweenness_centrality(nx.Graph([(e.source, e.target) for e in owner_view.edges]))
    assert {n.id: n.score for n in owner_view.nodes} == pytest.approx(oracle, abs=1e-6)
    assert max(oracle, key=lambda a: oracle[a]) == "P"  # the one police unit between B and H


EXTRA = {
    "actors": [
        actor("M", "non_state", "media"),
        actor("Y", "state", "local_government", "true"),
    ],
    "defenders": [
        row(
            id="def-1",
            pseudonym="Defensora Ocote",
            name="Nombre Inventado Cuatro",
            identities="woman",
            focus="environment",
        )
    ],
    "incidents": [
        row(
            id="inc-s", kind="stigmatization", date="2024-03-01", severity="2", territory_id="ter-v"
        ),
        *(
            row(
                id=f"inc-k{n}",
                kind="attack",
                date=f"2025-11-0{n}",
                severity="5",
                verified="true",
                territory_id="ter-v",
            )
            for n in (1, 2, 3)
        ),
    ],
    "relationships": [
        row(id="op-m", type="OPERATES_IN", from_id="M", to_id="ter-r"),
        row(id="op-y", type="OPERATES_IN", from_id="Y", to_id="ter-r"),
        row(id="by-s", type="PERPETRATED_BY", from_id="inc-s", to_id="M", attribution="confirmed"),
        row(id="op-d", type="OPERATES_IN", from_id="def-1", to_id="ter-v"),
        *(
            row(id=f"tg-k{n}", type="TARGETED", from_id=f"inc-k{n}", to_id="def-1")
            for n in (1, 2, 3)
        ),
    ],
}


async def test_power_map_classes_actors_and_keeps_pseudonyms_out_of_villages(power: Store) -> None:
    from service.analytics.power_map import power_map

    await load_rows(power, **EXTRA)
    region = await power_map(power, OUTSIDER, "ter-r", AS_OF)
    kinds = {a.actor: a.power for a in region.actors}
    assert kinds["B"] == "HIDDEN" and kinds["M"] == "INVISIBLE" and kinds["Y"] == "VISIBLE"
    assert "H" not in kinds
    assert any("inc-s" in r.evidence for a in region.actors if a.actor == "M" for r in a.reasons)
    assert region.defenders == ("def-1",)  # a region is coarse enough for a pseudonym
    assert ("2024", "stigmatization", 1) in region.incidents and (
        "2025",
        "attack",
        3,
    ) in region.incidents
    village = await power_map(power, OUTSIDER, "ter-v", AS_OF)
    assert village.defenders == ()  # the pseudonym would be placed in the village
    assert (await power_map(power, OWNER, "ter-v", AS_OF)).defenders == ("def-1",)


async def test_protection_gaps_follow_support_and_presence(power: Store) -> None:
    from service.analytics.protection_gaps import protection_gaps
    from service.analytics.weights import load_weights

    weights = load_weights().risk
    await load_rows(power, **EXTRA)
    gaps = await protection_gaps(power, OWNER, AS_OF, weights)
    assert [d for d, _ in gaps.defenders] == ["def-1"]
    assert [(t.territory, t.recent_incidents) for t in gaps.territories] == [("ter-v", 4)]
    await load_rows(
        power,
        relationships=[
            row(id="sup", type="SUPPORTS", from_id="org-a", to_id="def-1", kind="legal"),
            row(id="org-here", type="OPERATES_IN", from_id="org-a", to_id="ter-r"),
        ],
    )
    gaps = await protection_gaps(power, OWNER, AS_OF, weights)
    assert gaps.defenders == () and gaps.territories == ()
