"""Attacks on the pseudonym rule (issue group 3): a viewer who may not read a defender's name
never learns a place finer than the region that would locate the defender, whichever read,
analytics, count or evidence list it asks.

The graph: country > region > municipality > community. A GREEN defender of org B (so org A's
viewers see the record by its pseudonym only) works in the community; an incident against her
happened there; an armed group controls only that community. Org A's AMBER analyst is the
attacker; org B's own analyst shows that the fine places are really there. Both databases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest

from service.access import Role, Tlp
from service.keys import create_key
from service.store import Store
from tests.support.graphql_client import Api, serve_api
from tests.support.tables import load_rows

TODAY = dt.date.today().isoformat()
FINE = {"ter-mun", "ter-vil"}
ORGS = [
    {"id": org, "name": name, "kind": "ngo", "tlp": "GREEN", "owner": org}
    for org, name in [("org-a", "Colectivo Alfa"), ("org-b", "Colectivo Beta")]
]
TERRITORIES = [
    {"id": "ter-co", "name": "País Uno", "kind": "country", "iso": "CO"},
    {"id": "ter-reg", "name": "Región Dos", "kind": "region", "parent_id": "ter-co"},
    {"id": "ter-mun", "name": "Municipio Tres", "kind": "municipality", "parent_id": "ter-reg"},
    {"id": "ter-vil", "name": "Vereda Cuatro", "kind": "community", "parent_id": "ter-mun"},
]
RELATIONSHIPS = [
    ("rel-op", "OPERATES_IN", "def-p", "ter-vil", {}),
    ("rel-ctl", "CONTROLS", "act-g", "ter-vil", {"degree": "0.9"}),
    ("rel-tg", "TARGETED", "inc-p", "def-p", {}),
]


@pytest.fixture
async def api(store: Store) -> AsyncIterator[Api]:
    await load_rows(
        store,
        organizations=ORGS,
        territories=[{**t, "tlp": "GREEN", "owner": "org-b"} for t in TERRITORIES],
        actors=[
            {
                "id": "act-g",
                "name": "Grupo Armado Ficticio",
                "sector": "non_state",
                "kind": "paramilitary",
                "tlp": "GREEN",
                "owner": "org-b",
            },
        ],
        defenders=[
            {
                "id": "def-p",
                "pseudonym": "Guayacán",
                "name": "Nombre Inventado Cinco",
                "tlp": "GREEN",
                "owner": "org-b",
            },
        ],
        incidents=[
            {
                "id": "inc-p",
                "kind": "threat",
                "date": TODAY,
                "severity": "4",
                "territory_id": "ter-vil",
                "tlp": "GREEN",
                "owner": "org-b",
            },
        ],
        relationships=[
            {
                "id": i,
                "type": t,
                "from_id": a,
                "to_id": b,
                "tlp": "GREEN",
                "owner": "org-b",
                **extra,
            }
            for i, t, a, b, extra in RELATIONSHIPS
        ],
    )
    keys = {
        "attacker": (await create_key(store, "org-a", Role.ANALYST, Tlp.AMBER)).key,
        "owner": (await create_key(store, "org-b", Role.ANALYST, Tlp.AMBER)).key,
    }
    async with serve_api(store, keys) as served:
        yield served


LINKS = """query($id: ID!) { node(id: $id) { links(first: 100) { edges { node {
  id type other { id } } } } } }"""


async def _links(api: Api, who: str, record: str, query: str = LINKS) -> list[dict[str, Any]]:
    node = (await api.data(who, query, id=record))["node"]
    return [e["node"] for e in node["links"]["edges"]]


async def test_the_defenders_links_reach_the_region_not_the_village(api: Api) -> None:
    mine = {link["other"]["id"] for link in await _links(api, "owner", "def-p")}
    assert "ter-vil" in mine  # the fine place is really there
    seen = await _links(api, "attacker", "def-p")
    places = {link["other"]["id"] for link in seen if link["type"] == "OPERATES_IN"}
    assert places == {"ter-reg"}, seen
    derived = LINKS.replace("id type", "id type derived")
    flagged = await _links(api, "attacker", "def-p", derived)
    assert all(link["derived"] for link in flagged if link["type"] == "OPERATES_IN")
    assert "rel-op" not in {link["id"] for link in seen}


async def test_the_village_and_municipality_do_not_list_her_or_her_incident(api: Api) -> None:
    for place in FINE:
        others = {link["other"]["id"] for link in await _links(api, "attacker", place)}
        assert not others & {"def-p", "inc-p"}, (place, others)
    incident = {link["other"]["id"] for link in await _links(api, "attacker", "inc-p")}
    assert not incident & FINE, incident


async def test_lists_and_analytics_of_a_municipality_leave_her_out(api: Api) -> None:
    query = """query($t: ID!) {
      incidents(filter: {territory: $t}) { totalCount edges { node { id } } }
      atRiskDefenders(territory: $t) { defender { id } factors { name evidence } }
      protectionGaps(territory: $t) { defenders { defender { id } } territories { territory { id } } }
      powerMap(territory: $t) { incidentCounts { count } defenders { id } } }"""
    owner = await api.data("owner", query, t="ter-mun")
    assert owner["incidents"]["totalCount"] == 1
    assert [d["defender"]["id"] for d in owner["atRiskDefenders"]] == ["def-p"]
    assert sum(c["count"] for c in owner["powerMap"]["incidentCounts"]) == 1
    seen = await api.data("attacker", query, t="ter-mun")
    assert seen["incidents"]["totalCount"] == 0, seen
    assert seen["atRiskDefenders"] == [], seen
    assert seen["protectionGaps"]["defenders"] == []
    assert seen["protectionGaps"]["territories"] == []
    assert seen["powerMap"]["incidentCounts"] == [], seen
    assert seen["powerMap"]["defenders"] == []


async def test_the_region_places_her_there_and_nowhere_finer(api: Api) -> None:
    query = """query($t: ID!) {
      incidents(filter: {territory: $t}) { totalCount }
      atRiskDefenders(territory: $t) { defender { id } factors { name evidence } }
      powerMap(territory: $t) { defenders { id } } }"""
    seen = await api.data("attacker", query, t="ter-reg")
    assert seen["incidents"]["totalCount"] == 1
    assert [d["defender"]["id"] for d in seen["atRiskDefenders"]] == ["def-p"]
    assert [d["id"] for d in seen["powerMap"]["defenders"]] == ["def-p"]
    # The armed group controls only her village: naming it would place her there.
    evidence = {e for f in seen["atRiskDefenders"][0]["factors"] for e in f["evidence"]}
    assert "act-g" not in evidence, seen
    owner = await api.data("owner", query, t="ter-reg")
    owner_evidence = {e for f in owner["atRiskDefenders"][0]["factors"] for e in f["evidence"]}
    assert "act-g" in owner_evidence


async def test_sharing_the_name_opens_the_village_and_withdrawing_closes_it(api: Api) -> None:
    share = """mutation($input: DefenderInput!) { upsertDefender(input: $input) { __typename } }"""
    base = {"id": "def-p", "pseudonym": "Guayacán", "tlp": "GREEN"}
    await api.data("owner", share, input={**base, "sharedWith": ["org-a"]})
    # GREEN records are not shared by list; the name of a GREEN record is AMBER: shared now.
    places = {link["other"]["id"] for link in await _links(api, "attacker", "def-p")}
    assert "ter-vil" in places, places
    await api.data("owner", share, input={**base, "sharedWith": []})
    places = {link["other"]["id"] for link in await _links(api, "attacker", "def-p")}
    assert not places & FINE, places
