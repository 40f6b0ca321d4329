"""Which reads the audit log notes, over HTTP with real keys, on both databases: every
defender, case or incident a response returns, at any depth and through any field (a record
by id, a page, the `Node` interface at the end of a link), and only those; the operation is
the root fields that ran."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from service.access import Role, Tlp
from service.keys import create_key
from service.store import Store
from tests.support.graphql_client import Api, serve_api
from tests.support.tables import load_rows
from tests.test_access import ORGS


def row(**values: Any) -> dict[str, Any]:
    return {"tlp": "GREEN", "owner": "org-a", **values}


GRAPH: dict[str, list[dict[str, Any]]] = {
    "organizations": ORGS,
    "territories": [row(id="ter-1", name="Región Uno", kind="region")],
    "actors": [row(id="act-1", name="Policía Uno", sector="state", kind="police")],
    "incidents": [
        row(id="inc-1", kind="threat", date="2024-03-01", severity="3", territory_id="ter-1"),
    ],
    "defenders": [
        row(id="def-1", pseudonym="Defensora Roble", name="Nombre Inventado Uno"),
        row(id="def-red", pseudonym="Defensora Ceiba", name="Nombre Inventado Dos", tlp="RED"),
    ],
    "relationships": [
        row(id="rel-by", type="PERPETRATED_BY", from_id="inc-1", to_id="act-1"),
        row(id="rel-t1", type="TARGETED", from_id="inc-1", to_id="def-1"),
        # org-b may not see this one: its defender is never returned to org-b, nor noted.
        row(id="rel-t2", type="TARGETED", from_id="inc-1", to_id="def-red", tlp="RED"),
    ],
}

# actors -> their incidents -> the defenders those targeted: records reached only through
# links, as the `Node` interface.
NESTED = """{ actors(first: 10) { edges { node { id name
  links(types: ["PERPETRATED_BY"], direction: IN) { edges { node { other { id
    links(types: ["TARGETED"], direction: OUT) { edges { node { other { id } } } }
  } } } } } } } }"""
AUDIT = "{ auditLog(first: 50) { edges { node { organization operation ids } } } }"


@pytest.fixture
async def api(store: Store) -> AsyncIterator[Api]:
    await load_rows(store, **GRAPH)
    keys = {
        "a_admin": (await create_key(store, "org-a", Role.ADMIN, Tlp.RED)).key,
        "b_reader": (await create_key(store, "org-b", Role.READER, Tlp.GREEN)).key,
    }
    async with serve_api(store, keys) as api:
        yield api


async def entries(api: Api) -> list[tuple[str, str, list[str]]]:
    log = (await api.data("a_admin", AUDIT))["auditLog"]["edges"]
    return sorted(
        (e["node"]["organization"], e["node"]["operation"], e["node"]["ids"]) for e in log
    )


async def test_records_returned_through_links_are_noted_at_every_depth(api: Api) -> None:
    seen = await api.data("b_reader", NESTED)
    incident = seen["actors"]["edges"][0]["node"]["links"]["edges"][0]["node"]["other"]
    assert incident["id"] == "inc-1"
    assert [e["node"]["other"]["id"] for e in incident["links"]["edges"]] == ["def-1"]
    assert await entries(api) == [("org-b", "query actors", ["def-1", "inc-1"])]


async def test_actors_and_counts_alone_note_nothing(api: Api) -> None:
    await api.data("b_reader", "{ actors { edges { node { id links { totalCount } } } } }")
    await api.data("b_reader", "{ incidents { totalCount } defenders { totalCount } }")
    assert await entries(api) == []


async def test_the_operation_is_the_root_fields_that_ran(api: Api) -> None:
    query = """query ($skip: Boolean!) {
      node(id: "inc-1") { id }
      defender(id: "def-1") @skip(if: $skip) { id }
      actors @include(if: $skip) { totalCount }
    }"""
    await api.data("b_reader", query, skip=True)
    await api.data("b_reader", query, skip=False)
    assert await entries(api) == [
        ("org-b", "query actors node", ["inc-1"]),
        ("org-b", "query defender node", ["def-1", "inc-1"]),
    ]


async def test_a_document_sent_again_is_checked_the_same(api: Api) -> None:
    """Documents are parsed and validated once (service/api/documents.py): a document that
    failed fails again, each time with its code, and one that passed runs each time."""
    for _ in range(2):
        bad = await api.call("b_reader", "{ actors { totalCount nope } }")
        assert bad["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        broken = await api.call("b_reader", "{ actors { ")
        assert broken["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
        too_deep = (
            '{ node(id: "x") '
            + "{ links { edges { node { other " * 4
            + "{ id }"
            + " } } } }" * 4
            + " }"
        )
        deep = await api.call("b_reader", too_deep)
        assert deep["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED", deep
        assert (await api.data("b_reader", '{ node(id: "inc-1") { id } }'))["node"] == {
            "id": "inc-1"
        }
