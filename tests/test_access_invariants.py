"""Property: what a viewer sees is exactly what it would see if the hidden records were gone.

Random small graphs with random markings. The viewer's whole view (records, totals, links,
search hits) of the full graph must equal its view of the same graph stripped, by the test's
own reading of the rules, of every record and relationship it may not see. So nothing hidden
reaches it, and nothing hidden moves what it sees.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.access import Role, Tlp, Viewer
from service.search import search
from service.store import Store
from tests.support.tables import load_rows

VIEWER = Viewer("org-a", Role.READER, Tlp.AMBER)
ORGS = [
    {"id": o, "name": f"Org {o}", "kind": "ngo", "tlp": "GREEN", "owner": o}
    for o in ("org-a", "org-b", "org-c")
]
# (tlp, owner, shared_with) -> visible to VIEWER?
MARKINGS = [
    ("GREEN", "org-b", ""),
    ("AMBER", "org-a", ""),
    ("AMBER", "org-b", "org-a"),
    ("AMBER", "org-b", "org-c"),
    ("AMBER+STRICT", "org-a", ""),
    ("RED", "org-a", ""),
    ("RED", "org-b", ""),
]
VISIBLE = {
    0,
    1,
    2,
}  # AMBER+STRICT and RED exceed the AMBER clearance; AMBER of org-b for org-c is not shared


def actor(i: int, marking: int, name: str) -> dict[str, str]:
    tlp, owner, shared = MARKINGS[marking]
    return {
        "id": f"act-{i}",
        "name": name,
        "sector": "non_state",
        "kind": "organized_crime",
        "tlp": tlp,
        "owner": owner,
        "shared_with": shared,
    }


def rel(i: int, a: int, b: int, marking: int, kind: str = "ALLIED_WITH") -> dict[str, str]:
    tlp, owner, shared = MARKINGS[marking]
    return {
        "id": f"rel-{i}",
        "type": kind,
        "from_id": f"act-{a}",
        "to_id": f"act-{b}",
        "confidence": "0.5",
        "tlp": tlp,
        "owner": owner,
        "shared_with": shared,
    }


graphs = st.integers(3, 7).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, len(MARKINGS) - 1), min_size=n, max_size=n),
        st.lists(
            st.tuples(
                st.integers(0, n - 1), st.integers(0, n - 1), st.integers(0, len(MARKINGS) - 1)
            ),
            max_size=10,
        ),
    )
)


async def view(store: Store) -> dict[str, Any]:
    page = (
        await store.read(
            "actors_page",
            sector=None,
            kind=None,
            country=None,
            offset=0,
            first=100,
            **VIEWER.params(),
        )
    )[0]
    records = await store.read("records_by_ids", ids=page["ids"], **VIEWER.params())
    links = await store.read(
        "links_of_many",
        ids=page["ids"],
        types=[],
        direction="BOTH",
        as_of="2026-01-01",
        offset=0,
        first=100,
        **VIEWER.params(),
    )
    hits = await search(store, VIEWER, "actor", [], 100)
    return {
        "total": page["total"],
        "records": sorted((r["record"]["id"], r["record"]["name"]) for r in records),
        "links": sorted(
            (row["source"], link["id"], link["other_id"]) for row in links for link in row["links"]
        ),
        "search": sorted(h["id"] for h in hits),
    }


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(graph=graphs)
async def test_hidden_changes_never_move_the_view(
    store: Store, graph: tuple[list[int], list[tuple[int, int, int]]]
) -> None:
    markings, edges = graph
    await store.write("delete_some", limit=10_000)
    edges = [(a, b, m) for a, b, m in edges if a != b]
    await load_rows(
        store,
        organizations=ORGS,
        actors=[actor(i, m, f"Actor {i}") for i, m in enumerate(markings)],
        relationships=[rel(i, a, b, m) for i, (a, b, m) in enumerate(edges)],
    )
    full_view = await view(store)
    await store.write("delete_some", limit=10_000)
    visible = {i for i, m in enumerate(markings) if m in VISIBLE}
    await load_rows(
        store,
        organizations=ORGS,
        actors=[actor(i, markings[i], f"Actor {i}") for i in sorted(visible)],
        relationships=[
            rel(i, a, b, m)
            for i, (a, b, m) in enumerate(edges)
            if m in VISIBLE and {a, b} <= visible
        ],
    )
    assert full_view == await view(store)
