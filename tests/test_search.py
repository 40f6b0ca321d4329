"""Full-text search on both backends: accents, prefixes, and no leak of hidden names."""

from __future__ import annotations

import pytest

from service.access import Tlp, Viewer
from service.search import fulltext_query, search, words
from service.store import Store
from tests.support.tables import load_rows

ORG = {"id": "org-a", "name": "Colectivo Uno", "kind": "ngo", "tlp": "GREEN", "owner": "org-a"}
OWNER = Viewer("org-a", clearance=Tlp.RED)
OUTSIDER = Viewer("org-x", clearance=Tlp.RED)


@pytest.fixture
async def named(store: Store) -> Store:
    await load_rows(
        store,
        organizations=[ORG],
        actors=[
            {
                "id": "act-1",
                "name": "Cártel del Río Sombrío",
                "aliases": "Los Sombríos;CRS",
                "sector": "non_state",
                "kind": "organized_crime",
                "tlp": "GREEN",
                "owner": "org-a",
            },
            {
                "id": "act-2",
                "name": "Policía Municipal de Xalbé",
                "sector": "state",
                "kind": "police",
                "tlp": "RED",
                "owner": "org-a",
            },
        ],
        defenders=[
            {
                "id": "def-1",
                "pseudonym": "Defensora Ceiba 4",
                "name": "Nombre Inventado Peña",
                "tlp": "GREEN",
                "owner": "org-a",
            }
        ],
    )
    return store


async def ids(
    store: Store, viewer: Viewer, text: str, labels: list[str] | None = None
) -> list[str]:
    return [r["id"] for r in await search(store, viewer, text, labels or [], 10)]


async def test_accents_and_case_do_not_matter(named: Store) -> None:
    assert await ids(named, OUTSIDER, "cartel rio") == ["act-1"]
    assert await ids(named, OUTSIDER, "CÁRTEL DEL RÍO") == ["act-1"]


async def test_aliases_and_prefixes_match(named: Store) -> None:
    assert await ids(named, OUTSIDER, "sombri") == ["act-1"]
    assert await ids(named, OUTSIDER, "los sombrios", ["Actor"]) == ["act-1"]
    assert await ids(named, OUTSIDER, "los sombrios", ["Defender"]) == []


async def test_hidden_records_are_not_found(named: Store) -> None:
    assert await ids(named, OUTSIDER, "policia xalbe") == []
    assert await ids(named, OWNER, "policia xalbe") == ["act-2"]


async def test_a_hidden_name_finds_nothing_but_the_pseudonym_does(named: Store) -> None:
    assert await ids(named, OUTSIDER, "nombre inventado pena") == []
    assert await ids(named, OUTSIDER, "ceiba") == ["def-1"]
    rows = await search(named, OWNER, "inventado peña", [], 10)
    assert [(r["id"], r["name"]) for r in rows] == [("def-1", "Nombre Inventado Peña")]
    outsider_view = await search(named, OUTSIDER, "ceiba", [], 10)
    assert outsider_view[0]["name"] == "Defensora Ceiba 4"


def test_user_text_is_reduced_to_plain_words() -> None:
    assert words('Río") OR name:*  AND x') == ["rio", "or", "name", "and"]
    assert fulltext_query("neo4j", "search_text", "Peña Ríos") == "search_text:(pena* AND rios*)"
    assert fulltext_query("falkordb", "search_text", "Peña Ríos") == "@search_text:(pena* rios*)"
    assert fulltext_query("neo4j", "search_text", "¡¿ - !") is None
