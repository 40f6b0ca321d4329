"""Attacks on the audit log and on ids (issue 11, group 4), on both databases.

An attacker holds an ordinary key. It must not learn, from the audit log or from any list of
ids a record or link carries, the id of a record it may not open; it must not write into the
log what it likes (an operation name of its choosing, a read of a record it was never shown).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest

from service.access import Role, Tlp, Viewer
from service.cypher import load_catalog
from service.keys import create_key
from service.model import INTERNAL, load_model
from service.store import Store
from tests.support.graphql_client import Api, serve_api
from tests.support.tables import load_rows


def row(**values: str) -> dict[str, str]:
    return {"tlp": "GREEN", "owner": "org-a", **values}


# org-a's records at every marking; org-b is the attacker's organization; org-x is an
# organization whose own record is RED (nobody outside it may learn its id).
GRAPH: dict[str, list[dict[str, str]]] = {
    "organizations": [
        {"id": "org-a", "name": "Colectivo A", "kind": "ngo", "tlp": "GREEN", "owner": "org-a"},
        {"id": "org-b", "name": "Colectivo B", "kind": "ngo", "tlp": "GREEN", "owner": "org-b"},
        {"id": "org-x", "name": "Colectivo X", "kind": "ngo", "tlp": "RED", "owner": "org-x"},
    ],
    "sources": [
        row(id="src-open", kind="report", title="Informe público", reliability="B"),
        row(id="src-red", kind="testimony", title="Testimonio", reliability="A", tlp="RED"),
    ],
    "territories": [row(id="ter-r", name="Región Norte", kind="region")],
    "defenders": [
        row(
            id="def-green",
            pseudonym="Defensora Ceiba",
            name="Nombre Ficticio Uno",
            sources="src-open;src-red",
            shared_with="org-b;org-x",
        ),
        row(id="def-amber", pseudonym="Defensor Pino", name="Nombre Ficticio Dos", tlp="AMBER"),
        row(id="def-red", pseudonym="Defensora Nance", name="Nombre Ficticio Tres", tlp="RED"),
    ],
    "incidents": [
        row(id="inc-red", kind="threat", date="2025-03-01", severity="3", tlp="RED"),
    ],
    "cases": [
        row(id="case-amber", reference="EXP-7", holder_id="org-a", tlp="AMBER"),
    ],
    "relationships": [
        row(
            id="rel-op",
            type="OPERATES_IN",
            from_id="def-green",
            to_id="ter-r",
            sources="src-open;src-red",
            shared_with="org-b;org-x",
        ),
        row(id="rel-tg", type="TARGETED", from_id="inc-red", to_id="def-green", tlp="RED"),
    ],
}
HIDDEN_FROM_GREEN = {"def-amber", "def-red", "inc-red", "case-amber", "src-red", "org-x"}


@pytest.fixture
async def api(store: Store) -> AsyncIterator[Api]:
    await load_rows(store, **GRAPH)
    keys = {
        "a_red_analyst": (await create_key(store, "org-a", Role.ANALYST, Tlp.RED)).key,
        "a_red_admin": (await create_key(store, "org-a", Role.ADMIN, Tlp.RED)).key,
        "a_green_admin": (await create_key(store, "org-a", Role.ADMIN, Tlp.GREEN)).key,
        "b_analyst": (await create_key(store, "org-b", Role.ANALYST, Tlp.RED)).key,
    }
    async with serve_api(store, keys) as api:
        yield api


AUDIT = """query ($after: String) {
  auditLog(first: 100, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id organization operation ids keyId } }
  }
}"""


async def audit_log(api: Api, who: str) -> tuple[int, list[dict[str, Any]]]:
    """Every entry `who` may read, page by page, and the total the log claims."""
    entries: list[dict[str, Any]] = []
    after = None
    while True:
        log = (await api.data(who, AUDIT, after=after))["auditLog"]
        entries += [e["node"] for e in log["edges"]]
        if not log["pageInfo"]["hasNextPage"]:
            return log["totalCount"], entries
        after = log["pageInfo"]["endCursor"]


READ_ALL_OF_A = """{
  defenders(first: 100) { edges { node { id } } }
  incidents(first: 100) { edges { node { id } } }
  cases(first: 100) { edges { node { id } } }
}"""


async def test_a_green_admin_never_reads_ids_of_amber_or_red_records_in_the_log(api: Api) -> None:
    await api.data("a_red_analyst", READ_ALL_OF_A)  # one entry naming all of org-a's records
    await api.data("a_red_analyst", '{ node(id: "def-red") { id } }')  # one naming RED only
    total, entries = await audit_log(api, "a_green_admin")
    shown = {i for e in entries for i in e["ids"]}
    assert "def-green" in shown  # the log is there: the GREEN record is named
    assert not shown & HIDDEN_FROM_GREEN
    assert all(e["ids"] for e in entries)  # an entry left with no id is not served ...
    assert total == len(entries) == 1  # ... nor counted
    # The RED-cleared admin of the same organization reads both entries whole.
    total, entries = await audit_log(api, "a_red_admin")
    assert total == 2
    assert {i for e in entries for i in e["ids"]} == {
        "def-green",
        "def-amber",
        "def-red",
        "inc-red",
        "case-amber",
    }


async def test_an_operation_name_of_the_attackers_choosing_never_reaches_the_log(
    api: Api,
) -> None:
    forged = "AdminOfOrgAExportsEverything"
    await api.data("b_analyst", f'query {forged} {{ defender(id: "def-green") {{ pseudonym }} }}')
    # Several operations in one document, the one to run chosen by name; aliases and fragments.
    document = f"""
      query Harmless {{ viewer {{ organization }} }}
      query {forged}2 {{ who: defender(id: "def-green") {{ ...F }} n: node(id: "def-green") {{ id }} }}
      fragment F on Defender {{ pseudonym }}
    """
    response = await api.http.post(
        "/graphql",
        json={"query": document, "operationName": f"{forged}2"},
        headers={"Authorization": f"Bearer {api.keys['b_analyst']}"},
    )
    assert response.status_code == 200 and "errors" not in response.json(), response.text
    _, entries = await audit_log(api, "a_red_admin")
    operations = sorted(e["operation"] for e in entries)
    assert operations == ["query defender", "query defender node"]
    assert not any(forged in e["operation"] or "who" in e["operation"] for e in entries)


async def test_asking_for_records_not_returned_writes_nothing_to_their_owners_log(
    api: Api,
) -> None:
    asks = [
        '{ node(id: "def-red") { id } }',  # hidden from org-b: not returned
        '{ defender(id: "def-amber") { id } }',
        '{ incident(id: "inc-red") { id } }',
        '{ case(id: "case-amber") { id } }',
        '{ case(id: "def-green") { id } }',  # visible, but not a case: not returned either
        '{ incident(id: "def-green") { id } }',
        "{ defenders(first: 100) { totalCount } }",  # a count returns no record
    ]
    for query in asks:
        body = await api.call("b_analyst", query)
        assert "errors" not in body, body
    total, entries = await audit_log(api, "a_red_admin")
    assert (total, entries) == (0, [])


async def test_a_write_is_logged_for_its_real_owner_under_the_servers_name(api: Api) -> None:
    saved = await api.data(
        "a_red_analyst",
        """mutation Innocent ($input: DefenderInput!) {
             upsertDefender(input: $input) { ... on Saved { id } } }""",
        input={"pseudonym": "Defensor Nuevo", "tlp": "RED"},
    )
    new_id = saved["upsertDefender"]["id"]
    _, entries = await audit_log(api, "a_red_admin")
    assert [(e["operation"], e["ids"]) for e in entries] == [("mutation upsertDefender", [new_id])]
    # The GREEN admin may not learn the id of the RED defender from the log.
    assert await audit_log(api, "a_green_admin") == (0, [])


async def test_the_reader_organization_is_withheld_where_it_is_hidden(store: Store) -> None:
    await load_rows(store, **GRAPH)
    x_reader = (await create_key(store, "org-x", Role.READER, Tlp.GREEN)).key
    b_reader = (await create_key(store, "org-b", Role.READER, Tlp.GREEN)).key
    admin = (await create_key(store, "org-a", Role.ADMIN, Tlp.RED)).key
    async with serve_api(store, {"x": x_reader, "b": b_reader, "admin": admin}) as api:
        await api.data("x", '{ defender(id: "def-green") { id } }')
        await api.data("b", '{ defender(id: "def-green") { id } }')
        _, entries = await audit_log(api, "admin")
    assert sorted(str(e["organization"]) for e in entries) == ["None", "org-b"]


def list_of_ref_properties() -> dict[str, str]:
    """Every property of the model that holds a list of ids, and the label they name."""
    model = load_model()
    found = {
        name: prop.ref
        for props in (
            *(label.properties for label in model.labels.values()),
            model.relationship_common,
            *(rel.properties for rel in model.relationship_types.values()),
        )
        for name, prop in props.items()
        if prop.ref and prop.type == "list"
    }
    return {name: ref for name, ref in found.items() if ref is not None}


def _without_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))


def _projections(text: str) -> list[str]:
    """The bodies of the whole-record map projections (`x {.*, ...}`) in a statement."""
    bodies = []
    for start in (m.end() for m in re.finditer(r"\w+ \{\.\*", text)):
        depth, end = 1, start
        while depth:
            depth += {"{": 1, "}": -1}.get(text[end], 0)
            end += 1
        bodies.append(text[start:end])
    return bodies


def test_every_read_filters_the_lists_of_ids_it_returns() -> None:
    # A read may name a list of ids only to look its ids up (UNWIND) or to keep those the
    # viewer may open ([i IN x.list WHERE i IN open_...]); a whole record or link returned
    # (`x {.*}`) replaces each list with its filtered form; nothing returns properties(x).
    lists = list_of_ref_properties()
    # A new list of ids in the model must also go into GRAPH (a hidden id on a visible record
    # and a visible link), so that the tests above show whether the reads filter it.
    assert lists == {"shared_with": "Organization", "sources": "Source"}
    assert all(set(lists) <= set(r) for r in GRAPH["defenders"][:1] + GRAPH["relationships"][:1])
    reads = [s for s in load_catalog().values() if s.kind == "read"]
    checked = 0
    for stmt in reads:
        for dialect, text in stmt.texts.items():
            body = _without_comments(text)
            assert "properties(" not in body, (stmt.name, dialect)
            for projection in _projections(body):
                checked += 1
                missing = [p for p in lists if not re.search(rf"\b{p}: ", projection)]
                assert not missing, (stmt.name, dialect, missing)
            for prop in lists:
                rest = re.sub(rf"\[i IN \w+\.{prop} WHERE i IN open_\w+\]", "", body)
                rest = re.sub(r"^UNWIND .*$", "", rest, flags=re.M)
                assert not re.search(rf"\w\.{prop}\b", rest), (stmt.name, dialect, prop)
    assert checked >= 2  # records_by_ids and links_of_many at least


RECORD_AND_LINKS = """{
  node(id: "def-green") {
    id sources sharedWith
    links { edges { node { id sources } } }
  }
}"""


async def test_lists_of_ids_name_only_records_the_viewer_may_see(api: Api) -> None:
    # As org-b sees it (it cannot open src-red nor org-x's own record) ...
    found = (await api.data("b_analyst", RECORD_AND_LINKS))["node"]
    assert (found["sources"], found["sharedWith"]) == (["src-open"], ["org-b"])
    link = found["links"]["edges"][0]["node"]  # a Link shows no sharedWith in GraphQL
    assert (link["id"], link["sources"]) == ("rel-op", ["src-open"])
    # ... and as the owner sees it, RED-cleared: everything it may open is still listed.
    mine = (await api.data("a_red_analyst", RECORD_AND_LINKS))["node"]
    assert (mine["sources"], mine["sharedWith"]) == (["src-open", "src-red"], ["org-b"])


LABEL_PAGE = """query ($after: String) {
  %s(first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { id sources sharedWith
                   links(first: 100) { pageInfo { hasNextPage endCursor }
                                       edges { node { id sources } } } } }
  }
}"""
MORE_LINKS = """query ($id: ID!, $after: String) {
  node(id: $id) { links(first: 100, after: $after) {
    pageInfo { hasNextPage endCursor } edges { node { id sources } } } }
}"""
LABELS = ("actors", "defenders", "organizations", "territories", "incidents", "cases", "sources")


async def every_page(
    api: Api, query: str, path: tuple[str, ...], after: str | None = None, **variables: Any
) -> list[Any]:
    """The nodes of a connection from `after`, following its cursors to the end."""
    nodes: list[Any] = []
    while True:
        page: Any = await api.data("green", query, after=after, **variables)
        for step in path:
            page = page[step]
        nodes += [e["node"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]


async def test_on_the_seed_no_green_key_reads_an_id_it_cannot_open(seeded: Store) -> None:
    key = (await create_key(seeded, "org-000037", Role.READER, Tlp.GREEN)).key
    records: dict[str, list[dict[str, Any]]] = {}
    links: list[dict[str, Any]] = []
    async with serve_api(seeded, {"green": key}) as api:
        for label in LABELS:
            records[label] = await every_page(api, LABEL_PAGE % label, (label,))
            for record in records[label]:
                links += [e["node"] for e in record["links"]["edges"]]
                if record["links"]["pageInfo"]["hasNextPage"]:
                    links += await every_page(
                        api,
                        MORE_LINKS,
                        ("node", "links"),
                        record["links"]["pageInfo"]["endCursor"],
                        id=record["id"],
                    )
    may_open = {
        "sources": {r["id"] for r in records["sources"]},
        "sharedWith": {r["id"] for r in records["organizations"]},
    }
    items = [r for rows in records.values() for r in rows] + links
    listed = [
        (item["id"], name, i) for item in items for name in may_open for i in item.get(name, [])
    ]
    assert len(listed) > 100  # records and links do cite sources and name organizations
    assert [x for x in listed if x[2] not in may_open[x[1]]] == []


@pytest.mark.usefixtures("api")  # the graph loaded
async def test_a_raw_read_never_returns_a_hidden_id_in_a_list_of_ids(store: Store) -> None:
    # The statements themselves, not only the API: the embed views and analytics read them too.
    # (Access tokens, INTERNAL, name organizations too; every reader strips them.)
    viewer = Viewer("org-b", Role.READER, Tlp.RED)
    records = await store.read("records_by_ids", ids=["def-green"], **viewer.params())
    links = await store.read(
        "links_of_many",
        ids=["def-green"],
        types=[],
        direction="BOTH",
        as_of="2026-01-01",
        offset=0,
        first=100,
        **viewer.params(),
    )
    shown = [r["record"] for r in records] + [link for r in links for link in r["links"]]
    values = [v for item in shown for k, v in item.items() if k not in INTERNAL]
    assert len(shown) == 2 and {"src-open", "org-b"} <= set(map(str, values)) | {
        i for v in values if isinstance(v, list) for i in v
    }
    assert not {i for v in values if isinstance(v, list) for i in v} & HIDDEN_FROM_GREEN
    assert not set(map(str, values)) & HIDDEN_FROM_GREEN
    corroboration = [link["corroboration"] for r in links for link in r["links"]]
    assert corroboration == [1]  # the hidden source is not counted either


SHARE = """mutation ($id: ID!, $orgs: [ID!]!) { shareCase(id: $id, organizations: $orgs) {
  ... on Shared { id sharedWith } ... on InputErrors { errors { field message } } } }"""


async def test_sharing_never_shows_nor_drops_an_organization_the_sharer_cannot_see(
    store: Store,
) -> None:
    case = row(id="case-x", reference="EXP-9", holder_id="org-a", tlp="AMBER", shared_with="org-x")
    await load_rows(store, **{**GRAPH, "cases": [case]})
    keys = {
        "a": (await create_key(store, "org-a", Role.ANALYST, Tlp.RED)).key,
        "x": (await create_key(store, "org-x", Role.READER, Tlp.AMBER)).key,
        "b": (await create_key(store, "org-b", Role.READER, Tlp.AMBER)).key,
    }
    async with serve_api(store, keys) as api:
        shared = (await api.data("a", SHARE, id="case-x", orgs=["org-b"]))["shareCase"]
        assert shared == {"id": "case-x", "sharedWith": ["org-b"]}  # org-x is not named ...
        for who in ("x", "b"):  # ... and still has the case, as org-b now has
            found = await api.data(who, '{ case(id: "case-x") { id sharedWith } }')
            assert found["case"]["id"] == "case-x", who
