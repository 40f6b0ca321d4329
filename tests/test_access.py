"""The access rules of the domain model, proved at the store level on both backends.

A small graph holds one record per marking; every viewer asks for every record through every
read, and what comes back is compared with an oracle that states the rules directly.
"""

from __future__ import annotations

import itertools

import pytest

from service.access import Role, Tlp, Viewer, name_acl, record_acl
from service.store import Store
from tests.support.tables import links, load_rows, record

AS_OF = "2026-01-01"
ORGS = [
    {"id": org, "name": f"Org {org}", "kind": kind, "tlp": "GREEN", "owner": org}
    for org, kind in [
        ("org-a", "ngo"),
        ("org-b", "ingo"),
        ("org-c", "grassroots"),
        ("net-n", "network"),
    ]
]
# (id, tlp, shared_with)
ACTORS = [
    ("act-clear", "CLEAR", ""),
    ("act-green", "GREEN", ""),
    ("act-amber", "AMBER", "org-b"),
    ("act-amber-net", "AMBER", "net-n"),
    ("act-strict", "AMBER+STRICT", "org-b"),
    ("act-strict-net", "AMBER+STRICT", "net-n"),
    ("act-red", "RED", ""),
]
VIEWERS = {
    "a_red": Viewer("org-a", Role.ANALYST, Tlp.RED),
    "a_amber": Viewer("org-a", Role.READER, Tlp.AMBER),
    "a_green": Viewer("org-a", Role.READER, Tlp.GREEN),
    "b_red": Viewer("org-b", Role.READER, Tlp.RED),
    "b_amber": Viewer("org-b", Role.READER, Tlp.AMBER),
    "c_strict_in_net": Viewer("org-c", Role.READER, Tlp.AMBER_STRICT, networks=("net-n",)),
    "outsider_red": Viewer("org-x", Role.ADMIN, Tlp.RED),
}
RANK = {"CLEAR": 0, "GREEN": 1, "AMBER": 2, "AMBER+STRICT": 3, "RED": 4}


def oracle(viewer: Viewer, tlp: str, owner: str, shared: list[str]) -> bool:
    """The domain model's rules, written out plainly, independently of service.access."""
    if RANK[tlp] > RANK[viewer.clearance.value]:
        return tlp in ("CLEAR", "GREEN")
    if tlp in ("CLEAR", "GREEN"):
        return True
    if tlp == "RED":
        return viewer.org == owner
    if tlp == "AMBER+STRICT":
        return viewer.org == owner or viewer.org in shared
    return viewer.org == owner or any(o in shared for o in (viewer.org, *viewer.networks))


def actor_row(record_id: str, tlp: str, shared: str) -> dict[str, str]:
    return {
        "id": record_id,
        "name": record_id,
        "sector": "non_state",
        "kind": "organized_crime",
        "tlp": tlp,
        "owner": "org-a",
        "shared_with": shared,
    }


@pytest.fixture
async def marked(store: Store) -> Store:
    await load_rows(
        store,
        organizations=ORGS,
        actors=[actor_row(*a) for a in ACTORS],
        defenders=[
            {
                "id": "def-green",
                "pseudonym": "Defensora Roble",
                "name": "Nombre Inventado Uno",
                "tlp": "GREEN",
                "owner": "org-a",
                "shared_with": "",
            },
            {
                "id": "def-amber",
                "pseudonym": "Defensor Ceiba",
                "name": "Nombre Inventado Dos",
                "tlp": "AMBER",
                "owner": "org-a",
                "shared_with": "org-b",
            },
        ],
        relationships=[
            # A GREEN relationship between two GREEN actors: visible to all.
            rel("rel-open", "act-green", "act-clear", "GREEN"),
            # GREEN itself, but its far end is RED: visible only where the end is.
            rel("rel-to-red", "act-green", "act-red", "GREEN"),
            # AMBER relationship between two GREEN actors.
            rel("rel-amber", "act-clear", "act-green", "AMBER", shared="org-b", kind="COMMANDS"),
            # Expired before AS_OF.
            rel("rel-expired", "act-clear", "act-amber", "GREEN", valid_to="2020-12-31"),
        ],
    )
    return store


def rel(
    rel_id: str,
    a: str,
    b: str,
    tlp: str,
    shared: str = "",
    kind: str = "ALLIED_WITH",
    valid_to: str = "",
) -> dict[str, str]:
    return {
        "id": rel_id,
        "type": kind,
        "from_id": a,
        "to_id": b,
        "confidence": "0.8",
        "tlp": tlp,
        "owner": "org-a",
        "shared_with": shared,
        "valid_to": valid_to,
    }


async def visible_ids(store: Store, viewer: Viewer) -> set[str]:
    ids = [a[0] for a in ACTORS] + ["def-green", "def-amber"]
    found = set()
    for record_id in ids:
        rows = await store.read("records_by_ids", ids=[record_id], **viewer.params())
        found.update(r["record"]["id"] for r in rows)
    return found


@pytest.mark.parametrize("viewer_name", sorted(VIEWERS))
async def test_every_marking_matches_the_rules(marked: Store, viewer_name: str) -> None:
    viewer = VIEWERS[viewer_name]
    expected = {
        a_id for a_id, tlp, shared in ACTORS if oracle(viewer, tlp, "org-a", shared.split(";"))
    }
    expected |= {"def-green"} | (
        {"def-amber"} if oracle(viewer, "AMBER", "org-a", ["org-b"]) else set()
    )
    assert await visible_ids(marked, viewer) == expected


async def test_red_of_another_organization_is_invisible(marked: Store) -> None:
    for viewer in (VIEWERS["b_red"], VIEWERS["outsider_red"]):
        assert await record(marked, "act-red", viewer) is None
    assert await record(marked, "act-red", VIEWERS["a_red"])
    # Even the owner needs RED clearance.
    assert await record(marked, "act-red", VIEWERS["a_amber"]) is None


async def test_amber_only_to_owner_and_shared_with(marked: Store) -> None:
    for viewer, expected in [
        ("a_amber", True),
        ("b_amber", True),
        ("outsider_red", False),
        ("c_strict_in_net", False),
        ("a_green", False),
    ]:
        assert bool(await record(marked, "act-amber", VIEWERS[viewer])) is expected, viewer
    # AMBER shared with a network reaches its members; AMBER+STRICT does not.
    net_member = VIEWERS["c_strict_in_net"]
    assert await record(marked, "act-amber-net", net_member)
    assert await record(marked, "act-strict-net", net_member) is None


async def test_relationship_with_an_invisible_end_is_invisible(marked: Store) -> None:
    outsider = VIEWERS["outsider_red"]
    ids = {r["id"] for r in await links(marked, "act-green", outsider, AS_OF)}
    assert ids == {"rel-open"}  # not rel-to-red (RED end), not rel-amber (AMBER itself)
    owner = VIEWERS["a_red"]
    ids = {r["id"] for r in await links(marked, "act-green", owner, AS_OF)}
    assert ids == {"rel-open", "rel-to-red", "rel-amber"}


async def test_expired_relationship_is_not_returned(marked: Store) -> None:
    owner = VIEWERS["a_red"]
    now = {r["id"] for r in await links(marked, "act-clear", owner, AS_OF)}
    then = {r["id"] for r in await links(marked, "act-clear", owner, "2020-06-01")}
    assert "rel-expired" not in now
    assert "rel-expired" in then


async def test_defender_name_is_replaced_by_pseudonym(marked: Store) -> None:
    # def-green is shared with nobody: only its owner, cleared for AMBER, sees the name.
    for viewer, shows_name in [
        ("a_amber", True),
        ("b_amber", False),
        ("a_green", False),
        ("outsider_red", False),
        ("c_strict_in_net", False),
    ]:
        seen = await record(marked, "def-green", VIEWERS[viewer])
        assert seen is not None
        assert seen["name"] == ("Nombre Inventado Uno" if shows_name else "Defensora Roble"), viewer
        assert ("Nombre Inventado Uno" in str(seen)) is shows_name, viewer


async def test_defender_name_hidden_at_the_far_end_of_a_link(store: Store) -> None:
    await load_rows(
        store,
        organizations=ORGS,
        territories=[
            {
                "id": "ter-1",
                "name": "Región Uno",
                "kind": "region",
                "tlp": "GREEN",
                "owner": "org-a",
            },
            {
                "id": "ter-2",
                "name": "Comunidad Dos",
                "kind": "community",
                "parent_id": "ter-1",
                "tlp": "GREEN",
                "owner": "org-a",
            },
        ],
        defenders=[
            {
                "id": "def-1",
                "pseudonym": "Defensora Pino",
                "name": "Nombre Inventado Tres",
                "tlp": "GREEN",
                "owner": "org-a",
            }
        ],
        relationships=[
            {
                "id": "rel-1",
                "type": "OPERATES_IN",
                "from_id": "def-1",
                "to_id": "ter-1",
                "tlp": "GREEN",
                "owner": "org-a",
            },
            {
                "id": "rel-2",
                "type": "OPERATES_IN",
                "from_id": "def-1",
                "to_id": "ter-2",
                "tlp": "GREEN",
                "owner": "org-a",
            },
        ],
    )
    for viewer, name in [("outsider_red", "Defensora Pino"), ("a_amber", "Nombre Inventado Tres")]:
        ends = [
            r["other_id"]
            for r in await links(store, "ter-1", VIEWERS[viewer], AS_OF, ("OPERATES_IN",))
        ]
        assert ends == ["def-1"]
        far_end = await record(store, "def-1", VIEWERS[viewer])
        assert far_end is not None
        assert far_end["name"] == name


async def test_pseudonymous_defender_is_placed_no_finer_than_the_region(store: Store) -> None:
    await test_defender_name_hidden_at_the_far_end_of_a_link(store)
    outsider, owner = VIEWERS["outsider_red"], VIEWERS["a_amber"]
    places = {r["other_id"] for r in await links(store, "def-1", outsider, AS_OF)}
    assert places == {"ter-1"}
    village = {r["other_id"] for r in await links(store, "ter-2", outsider, AS_OF)}
    assert "def-1" not in village
    places = {r["other_id"] for r in await links(store, "def-1", owner, AS_OF)}
    assert places == {"ter-1", "ter-2"}


async def test_counts_do_not_include_hidden_records(marked: Store) -> None:
    for viewer in VIEWERS.values():
        rows = await marked.read("count_by_label", **viewer.params())
        counts = {r["label"]: r["count"] for r in rows}
        actors = sum(oracle(viewer, tlp, "org-a", s.split(";")) for _, tlp, s in ACTORS)
        assert counts["Actor"] == actors


def test_tokens_follow_the_clearance_order() -> None:
    # A higher clearance never loses a grant that a lower one has.
    for low, high in itertools.combinations(list(Tlp), 2):
        assert set(Viewer("o", clearance=low).grants) <= set(Viewer("o", clearance=high).grants)
    assert record_acl(Tlp.RED, "o", ["x"]) == ["RED:o"]
    assert name_acl(Tlp.GREEN, "o", ["x"]) == ["AMBER:o", "AMBER:x"]


async def test_an_incident_does_not_place_a_pseudonymous_target_in_a_village(store: Store) -> None:
    await test_defender_name_hidden_at_the_far_end_of_a_link(store)
    await load_rows(
        store,
        incidents=[
            {
                "id": "inc-1",
                "kind": "threat",
                "date": "2025-05-01",
                "severity": "3",
                "territory_id": "ter-2",
                "tlp": "GREEN",
                "owner": "org-a",
            }
        ],
        relationships=[
            {
                "id": "tg-1",
                "type": "TARGETED",
                "from_id": "inc-1",
                "to_id": "def-1",
                "tlp": "GREEN",
                "owner": "org-a",
            }
        ],
    )
    outsider, owner = VIEWERS["outsider_red"], VIEWERS["a_amber"]
    # The incident reaches the outsider at the region only, through a derived tie.
    seen = await links(store, "inc-1", outsider, AS_OF)
    assert {(r["type"], r["other_id"], r["derived"]) for r in seen} == {
        ("TARGETED", "def-1", False),
        ("OCCURRED_IN", "ter-1", True),
    }
    assert "inc-1" not in {r["other_id"] for r in await links(store, "ter-2", outsider, AS_OF)}
    assert {r["type"] for r in await links(store, "inc-1", owner, AS_OF)} == {
        "TARGETED",
        "OCCURRED_IN",
    }
    page = {
        "kinds": [],
        "date_from": None,
        "date_to": None,
        "perpetrator": None,
        "target": None,
        "offset": 0,
        "first": 10,
    }

    async def listed(territory: str, viewer: Viewer) -> list[str]:
        rows = await store.read_within("incidents_page", territory, **page, **viewer.params())
        return list(rows[0]["ids"])

    assert await listed("ter-2", outsider) == []  # the village
    assert await listed("ter-1", outsider) == ["inc-1"]  # the region is coarse enough
    assert await listed("ter-2", owner) == ["inc-1"]
