"""Influence paths on hand-built graphs, against a brute-force oracle, on both backends."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.access import Tlp, Viewer
from service.analytics.influence_paths import influence_paths
from service.analytics.influence_search import DIRECTED
from service.store import Store
from tests.support.tables import load_rows

AS_OF = "2026-01-01"
OWNER = Viewer("org-a", clearance=Tlp.RED)
OUTSIDER = Viewer("org-b", clearance=Tlp.RED)
ORGS = [{"id": o, "name": o, "kind": "ngo", "tlp": "GREEN", "owner": o} for o in ("org-a", "org-b")]


def actor(name: str, tlp: str = "GREEN") -> dict[str, str]:
    return {
        "id": name,
        "name": name,
        "sector": "state",
        "kind": "police",
        "tlp": tlp,
        "owner": "org-a",
    }


def rel(
    a: str,
    b: str,
    confidence: float,
    kind: str = "ALLIED_WITH",
    tlp: str = "GREEN",
    valid_to: str = "",
) -> dict[str, str]:
    return {
        "id": f"{a}-{kind}-{b}",
        "type": kind,
        "from_id": a,
        "to_id": b,
        "confidence": str(confidence),
        "tlp": tlp,
        "owner": "org-a",
        "valid_to": valid_to,
    }


# A police unit P reaches cartel C directly (weak) or through a judge J and a mayor M (strong).
ACTORS = [actor(n) for n in ("P", "J", "M", "C", "X")] + [actor("R", tlp="RED")]
RELS = [
    rel("P", "C", 0.3, "COLLUDES_WITH"),
    rel("P", "J", 0.9),
    rel("J", "M", 0.9, "COLLUDES_WITH"),
    rel("M", "C", 0.8, "FUNDS"),
    rel("P", "R", 0.99),  # through a RED record of org-a: only its owner sees it
    rel("R", "C", 0.99),
    rel("P", "X", 0.95, valid_to="2020-01-01"),  # expired before AS_OF
    rel("X", "C", 0.95),
    rel("C", "P", 0.99, "COMMANDS"),  # directed: no use going P -> C
]


def oracle(
    edges: list[dict[str, str]], hidden: set[str], source: str, target: str, max_hops: int
) -> list[tuple[float, list[str]]]:
    """Every simple path by brute force, strength = product of confidences, strongest first."""
    usable = [e for e in edges if not e["valid_to"] or e["valid_to"] >= AS_OF]
    steps: dict[tuple[str, str], float] = {}
    for e in usable:
        if e["from_id"] in hidden or e["to_id"] in hidden:
            continue
        pairs = [(e["from_id"], e["to_id"])] + (
            [] if e["type"] in DIRECTED else [(e["to_id"], e["from_id"])]
        )
        for pair in pairs:
            steps[pair] = max(steps.get(pair, 0.0), float(e["confidence"]))
    nodes = {n for pair in steps for n in pair} - {source, target}
    found = []
    for length in range(0, max_hops):
        for middle in itertools.permutations(sorted(nodes), length):
            path = [source, *middle, target]
            pairs = list(itertools.pairwise(path))
            if all(p in steps for p in pairs):
                found.append((math.prod(steps[p] for p in pairs), path))
    return sorted(found, key=lambda f: -f[0])


@pytest.fixture
async def web(store: Store) -> Store:
    await load_rows(store, organizations=ORGS, actors=ACTORS, relationships=RELS)
    return store


def nodes_of(path: object) -> list[str]:
    hops = path.hops  # type: ignore[attr-defined]
    return [hops[0].start, *(h.end for h in hops)]


async def test_the_strongest_path_is_not_the_shortest(web: Store) -> None:
    paths = await influence_paths(web, OUTSIDER, "P", "C", AS_OF, max_hops=4, first=3)
    expected = oracle(RELS, {"R"}, "P", "C", 4)[:3]
    assert [nodes_of(p) for p in paths] == [e[1] for e in expected]
    assert [p.strength for p in paths] == pytest.approx([e[0] for e in expected])
    assert nodes_of(paths[0]) == ["P", "J", "M", "C"]  # 0.9 * 0.9 * 0.8 > 0.3
    assert paths[0].hops[2].type == "FUNDS"


async def test_a_path_through_a_hidden_record_exists_only_for_who_may_see_it(web: Store) -> None:
    owner = await influence_paths(web, OWNER, "P", "C", AS_OF, max_hops=4, first=1)
    assert nodes_of(owner[0]) == ["P", "R", "C"]
    outsider = await influence_paths(web, OUTSIDER, "P", "C", AS_OF, max_hops=4, first=10)
    assert all("R" not in nodes_of(p) for p in outsider)


async def test_expired_relationships_and_directions_are_respected(web: Store) -> None:
    now = await influence_paths(web, OUTSIDER, "P", "C", AS_OF, max_hops=4, first=10)
    assert all("X" not in nodes_of(p) for p in now)
    then = await influence_paths(web, OUTSIDER, "P", "C", "2019-06-01", max_hops=4, first=10)
    assert any(nodes_of(p) == ["P", "X", "C"] for p in then)
    # COMMANDS runs from C to P: C reaches P in one hop, P does not reach C through it.
    back = await influence_paths(web, OUTSIDER, "C", "P", AS_OF, max_hops=1, first=1)
    assert [h.type for h in back[0].hops] == ["COMMANDS"]
    forward = await influence_paths(web, OUTSIDER, "P", "C", AS_OF, max_hops=1, first=5)
    assert [h.type for p in forward for h in p.hops] == ["COLLUDES_WITH"]


async def test_max_hops_bounds_the_paths(web: Store) -> None:
    for hops in (1, 2, 3):
        paths = await influence_paths(web, OUTSIDER, "P", "C", AS_OF, max_hops=hops, first=10)
        assert [nodes_of(p) for p in paths] == [e[1] for e in oracle(RELS, {"R"}, "P", "C", hops)]


NAMES = ["A", "B", "C", "D", "E", "F"]
random_graphs = st.lists(
    st.tuples(
        st.sampled_from(NAMES),
        st.sampled_from(NAMES),
        st.sampled_from([0.2, 0.5, 0.7, 0.9, 1.0]),
        st.sampled_from(["ALLIED_WITH", "COMMANDS", "COLLUDES_WITH"]),
    ),
    max_size=12,
)


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(edges=random_graphs, max_hops=st.integers(1, 4))
async def test_strengths_match_brute_force_and_never_exceed_the_weakest_hop(
    store: Store, edges: list[tuple[str, str, float, str]], max_hops: int
) -> None:
    await store.write("delete_some", limit=10_000)
    unique = {(a, b, kind): c for a, b, c, kind in edges if a != b}
    rels = [rel(a, b, c, kind) for (a, b, kind), c in unique.items()]
    await load_rows(store, organizations=ORGS, actors=[actor(n) for n in NAMES], relationships=rels)
    paths = await influence_paths(store, OUTSIDER, "A", "F", AS_OF, max_hops=max_hops, first=5)
    expected = oracle(rels, set(), "A", "F", max_hops)[:5]
    assert [p.strength for p in paths] == pytest.approx([e[0] for e in expected])
    for path in paths:
        assert len(path.hops) <= max_hops
        assert path.strength <= min(h.confidence for h in path.hops) + 1e-12


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(edges=random_graphs, expired=random_graphs)
async def test_relationships_that_expired_before_as_of_change_nothing(
    store: Store,
    edges: list[tuple[str, str, float, str]],
    expired: list[tuple[str, str, float, str]],
) -> None:
    await store.write("delete_some", limit=10_000)
    unique = {(a, b, kind): c for a, b, c, kind in edges if a != b}
    await load_rows(
        store,
        organizations=ORGS,
        actors=[actor(n) for n in NAMES],
        relationships=[rel(a, b, c, k) for (a, b, k), c in unique.items()],
    )
    before = [
        (p.strength, nodes_of(p))
        for p in await influence_paths(store, OUTSIDER, "A", "F", AS_OF, first=5)
    ]
    old = [
        {**rel(a, b, c, k), "id": f"old-{i}", "valid_to": "2025-12-31"}
        for i, (a, b, c, k) in enumerate(expired)
        if a != b
    ]
    await load_rows(store, relationships=old)
    after = [
        (p.strength, nodes_of(p))
        for p in await influence_paths(store, OUTSIDER, "A", "F", AS_OF, first=5)
    ]
    assert after == before


def answer(paths: list[object]) -> list[tuple[float, list[tuple[str, str, str, tuple[str, ...]]]]]:
    """Everything a path tells: its strength and each hop's id, ends and sources."""
    return [
        (
            round(p.strength, 12),  # type: ignore[attr-defined]
            [(h.id, h.start, h.end, h.sources) for h in p.hops],  # type: ignore[attr-defined]
        )
        for p in paths
    ]


hidden_graphs = st.lists(
    st.tuples(
        st.sampled_from(NAMES),
        st.sampled_from(NAMES),
        st.sampled_from([0.2, 0.5, 0.7, 0.9, 1.0]),
        st.sampled_from(["ALLIED_WITH", "COMMANDS", "COLLUDES_WITH"]),
        st.booleans(),  # RED: only its owner, org-a, sees the relationship
    ),
    max_size=14,
)


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    edges=hidden_graphs,
    red=st.sets(st.sampled_from(NAMES[1:-1])),
    max_hops=st.integers(1, 5),
    first=st.integers(1, 4),
)
async def test_what_an_outsider_gets_is_what_it_would_get_if_the_hidden_were_not_there(
    store: Store,
    edges: list[tuple[str, str, float, str, bool]],
    red: set[str],
    max_hops: int,
    first: int,
) -> None:
    """The same paths, strengths, hops and sources (or the same error) as on a graph that never
    held the records and relationships the viewer may not see: nothing is inferable from them."""
    unique = {(a, b, kind): (c, hidden) for a, b, c, kind, hidden in edges if a != b}
    rels = [
        {**rel(a, b, c, kind, tlp="RED" if hidden else "GREEN"), "sources": "src-open;src-red"}
        for (a, b, kind), (c, hidden) in unique.items()
    ]
    actors = [actor(n, tlp="RED" if n in red else "GREEN") for n in NAMES]
    sources = [
        {"id": s, "kind": "report", "title": s, "reliability": "B", "credibility": "3", "tlp": t}
        | {"owner": "org-a"}
        for s, t in (("src-open", "GREEN"), ("src-red", "RED"))
    ]

    async def ask() -> object:
        try:
            paths = await influence_paths(
                store, OUTSIDER, "A", "F", AS_OF, max_hops=max_hops, first=first
            )
        except Exception as error:  # the same error, or the same answer
            return type(error).__name__
        return answer(paths)

    await store.write("delete_some", limit=10_000)
    await load_rows(store, organizations=ORGS, sources=sources, actors=actors, relationships=rels)
    with_hidden = await ask()
    await store.write("delete_some", limit=10_000)
    await load_rows(
        store,
        organizations=ORGS,
        sources=sources[:1],
        actors=[a for a in actors if a["tlp"] != "RED"],
        relationships=[
            {**r, "sources": "src-open"}
            for r in rels
            if r["tlp"] != "RED" and not {r["from_id"], r["to_id"]} & red
        ],
    )
    assert with_hidden == await ask()


SPOKES = [f"N{i}" for i in range(8)]
hub_graphs = st.tuples(
    st.lists(st.sampled_from([0.3, 0.5, 0.7, 0.9, 1.0]), min_size=8, max_size=8),
    st.lists(
        st.tuples(
            st.sampled_from(["S", *SPOKES]),
            st.sampled_from(SPOKES),
            st.sampled_from([0.3, 0.5, 0.7, 0.9, 1.0]),
            st.sampled_from(["ALLIED_WITH", "FUNDS"]),
        ),
        min_size=4,
        max_size=16,
    ),
)


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(graph=hub_graphs, max_hops=st.integers(2, 4), first=st.integers(1, 4), back=st.booleans())
async def test_paths_at_a_hub_are_those_of_the_whole_graph(
    store: Store,
    graph: tuple[list[float], list[tuple[str, str, float, str]]],
    max_hops: int,
    first: int,
    back: bool,
) -> None:
    """A hub H tied to every record but S: the search reads H alone, then only the middle hop
    between the two frontiers that can still beat the paths already found; the answer must be
    the whole graph's."""
    hub_ties, others = graph
    unique = {(a, b, kind): c for a, b, c, kind in others if a != b}
    rels = [rel("H", n, c, "COLLUDES_WITH") for n, c in zip(SPOKES, hub_ties, strict=True)]
    rels += [rel(a, b, c, kind) for (a, b, kind), c in unique.items()]
    await store.write("delete_some", limit=10_000)
    await load_rows(
        store,
        organizations=ORGS,
        actors=[actor(n) for n in ["S", "H", *SPOKES]],
        relationships=rels,
    )
    source, target = ("H", "S") if back else ("S", "H")
    paths = await influence_paths(
        store, OUTSIDER, source, target, AS_OF, max_hops=max_hops, first=first
    )
    expected = oracle(rels, set(), source, target, max_hops)[:first]
    assert [p.strength for p in paths] == pytest.approx([e[0] for e in expected])
    strongest = [e[1] for e in expected if e[0] == pytest.approx(expected[0][0])]
    assert not paths or nodes_of(paths[0]) in strongest
