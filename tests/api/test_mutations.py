"""Mutations and the audit log over HTTP with real keys, on both backends."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest

from service.access import Role, Tlp
from service.keys import create_key
from service.store import Store
from tests.support.graphql_client import Api, serve_api
from tests.support.tables import load_rows

ORGS = [
    {"id": o, "name": f"Org {o}", "kind": "ngo", "tlp": "GREEN", "owner": o}
    for o in ("org-a", "org-b")
]
BASE = {
    "organizations": ORGS,
    "territories": [
        {"id": "ter-1", "name": "Región Uno", "kind": "region", "tlp": "GREEN", "owner": "org-a"}
    ],
    "actors": [
        {
            "id": "act-1",
            "name": "Policía Uno",
            "sector": "state",
            "kind": "police",
            "tlp": "GREEN",
            "owner": "org-a",
        },
        {
            "id": "act-2",
            "name": "Cártel Dos",
            "sector": "non_state",
            "kind": "organized_crime",
            "tlp": "GREEN",
            "owner": "org-b",
        },
        {
            "id": "act-hidden",
            "name": "Oculto",
            "sector": "non_state",
            "kind": "other",
            "tlp": "RED",
            "owner": "org-b",
        },
    ],
    "defenders": [
        {
            "id": "def-1",
            "pseudonym": "Defensora Roble",
            "name": "Nombre Inventado Uno",
            "tlp": "GREEN",
            "owner": "org-a",
        }
    ],
}


@pytest.fixture
async def api(store: Store) -> AsyncIterator[Api]:
    await load_rows(store, **BASE)
    keys = {
        "a_analyst": (await create_key(store, "org-a", Role.ANALYST, Tlp.RED)).key,
        "a_reader": (await create_key(store, "org-a", Role.READER, Tlp.RED)).key,
        "a_admin": (await create_key(store, "org-a", Role.ADMIN, Tlp.RED)).key,
        "b_analyst": (await create_key(store, "org-b", Role.ANALYST, Tlp.RED)).key,
        "b_admin": (await create_key(store, "org-b", Role.ADMIN, Tlp.RED)).key,
    }
    async with serve_api(store, keys) as api:
        yield api


UPSERT_ACTOR = """mutation ($input: ActorInput!) {
  upsertActor(input: $input) {
    __typename
    ... on Saved { id node { id name tlp owner } }
    ... on InputErrors { errors { field message } }
  }
}"""


async def test_a_reader_may_not_write(api: Api) -> None:
    body = await api.call(
        "a_reader",
        UPSERT_ACTOR,
        input={"name": "X", "sector": "state", "kind": "police", "tlp": "GREEN"},
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert body["data"] is None


async def test_an_analyst_creates_and_changes_own_records(api: Api) -> None:
    new = {"name": "Juzgado Tercero", "sector": "state", "kind": "judiciary", "tlp": "AMBER"}
    saved = (await api.data("a_analyst", UPSERT_ACTOR, input=new))["upsertActor"]
    assert saved["__typename"] == "Saved"
    assert saved["node"] == {
        "id": saved["id"],
        "name": "Juzgado Tercero",
        "tlp": "AMBER",
        "owner": "org-a",
    }
    changed = await api.data(
        "a_analyst", UPSERT_ACTOR, input={**new, "id": saved["id"], "name": "Juzgado 3º"}
    )
    assert changed["upsertActor"]["node"]["name"] == "Juzgado 3º"
    # org-b cannot see org-a's AMBER actor: for them it does not exist.
    other = await api.data("b_analyst", UPSERT_ACTOR, input={**new, "id": saved["id"]})
    assert other["upsertActor"]["errors"] == [
        {"field": "id", "message": f"'{saved['id']}' names no actor"}
    ]


async def test_bad_input_comes_back_as_user_errors(api: Api) -> None:
    bad = {"name": "X", "sector": "state", "kind": "organized_crime", "tlp": "GREEN"}
    result = (await api.data("a_analyst", UPSERT_ACTOR, input=bad))["upsertActor"]
    assert result["__typename"] == "InputErrors"
    assert result["errors"][0]["field"] == "kind"
    visible = await api.data("a_analyst", "{ actors { totalCount } }")
    assert visible["actors"]["totalCount"] == 2  # act-1 and act-2; act-hidden is RED of org-b


async def test_another_organizations_record_cannot_be_changed(api: Api) -> None:
    theirs = {
        "id": "act-2",
        "name": "Renamed",
        "sector": "non_state",
        "kind": "organized_crime",
        "tlp": "GREEN",
    }
    result = (await api.data("a_analyst", UPSERT_ACTOR, input=theirs))["upsertActor"]
    assert result["errors"][0]["message"] == "only your organization's own records can be changed"
    hidden = {**theirs, "id": "act-hidden"}
    result = (await api.data("a_analyst", UPSERT_ACTOR, input=hidden))["upsertActor"]
    assert result["errors"] == [{"field": "id", "message": "'act-hidden' names no actor"}]


RECORD_INCIDENT = """mutation ($input: IncidentInput!) {
  recordIncident(input: $input) {
    __typename
    ... on Saved { id node { id ... on Incident { kind date }
                    links { totalCount edges { node { type attribution other { id } } } } } }
    ... on InputErrors { errors { field message } }
  }
}"""


async def test_record_incident_writes_everything_or_nothing(api: Api) -> None:
    incident = {
        "kind": "threat",
        "date": "2025-03-14",
        "severity": 4,
        "tlp": "GREEN",
        "territoryId": "ter-1",
        "perpetrators": [{"actor": "act-1", "attribution": "alleged"}],
        "targets": ["def-1"],
    }
    saved = (await api.data("a_analyst", RECORD_INCIDENT, input=incident))["recordIncident"]
    links = {(e["node"]["type"], e["node"]["other"]["id"]) for e in saved["node"]["links"]["edges"]}
    assert links == {("PERPETRATED_BY", "act-1"), ("TARGETED", "def-1"), ("OCCURRED_IN", "ter-1")}
    # A perpetrator the analyst may not see reads as one that does not exist, and nothing is written.
    hidden = {**incident, "perpetrators": [{"actor": "act-hidden", "attribution": "alleged"}]}
    failed = (await api.data("a_analyst", RECORD_INCIDENT, input=hidden))["recordIncident"]
    assert failed["errors"] == [{"field": "to_id", "message": "'act-hidden' names no actor"}]
    count = await api.data("a_analyst", "{ incidents { totalCount } }")
    assert count["incidents"]["totalCount"] == 1


LINK = """mutation ($input: LinkInput!) { link(input: $input) {
  __typename ... on Linked { id type } ... on InputErrors { errors { field message } } } }"""
UNLINK = """mutation ($record: ID!, $link: ID!, $on: Date) { unlink(record: $record, link: $link, on: $on) {
  __typename ... on Linked { id type } ... on InputErrors { errors { field message } } } }"""
LINKS_OF = """query ($id: ID!, $asOf: Date) { node(id: $id) { links(asOf: $asOf, types: ["COLLUDES_WITH"]) {
  edges { node { id mode } } } } }"""


async def test_link_and_unlink_keep_the_history(api: Api) -> None:
    made = await api.data(
        "a_analyst",
        LINK,
        input={
            "type": "COLLUDES_WITH",
            "fromId": "act-1",
            "toId": "act-2",
            "mode": "protection",
            "confidence": 0.7,
            "validFrom": "2024-01-01",
            "tlp": "GREEN",
        },
    )
    link_id = made["link"]["id"]
    today = dt.date.today()
    now = await api.data("a_reader", LINKS_OF, id="act-1")
    assert [e["node"] for e in now["node"]["links"]["edges"]] == [
        {"id": link_id, "mode": "protection"}
    ]
    # Someone else cannot end it.
    theirs = await api.data("b_analyst", UNLINK, record="act-1", link=link_id)
    assert theirs["unlink"]["__typename"] == "InputErrors"
    ended = await api.data(
        "a_analyst", UNLINK, record="act-1", link=link_id, on=str(today - dt.timedelta(days=1))
    )
    assert ended["unlink"] == {"__typename": "Linked", "id": link_id, "type": "COLLUDES_WITH"}
    assert (await api.data("a_reader", LINKS_OF, id="act-1"))["node"]["links"]["edges"] == []
    before = await api.data("a_reader", LINKS_OF, id="act-1", asOf="2025-06-01")
    assert len(before["node"]["links"]["edges"]) == 1


OPEN_CASE = """mutation ($input: CaseInput!) { openCase(input: $input) {
  __typename ... on Saved { id } ... on InputErrors { errors { field message } } } }"""
SHARE = """mutation ($id: ID!, $orgs: [ID!]!) { shareCase(id: $id, organizations: $orgs) {
  __typename ... on Shared { id sharedWith } ... on InputErrors { errors { field message } } } }"""
CASE = (
    """query ($id: ID!) { case(id: $id) { reference links(types: ["CONCERNS"]) { totalCount } } }"""
)


async def test_a_shared_case_becomes_visible_with_its_links(api: Api) -> None:
    opened = await api.data(
        "a_analyst",
        OPEN_CASE,
        input={
            "reference": "EXP-2025-001",
            "status": "open",
            "tlp": "AMBER",
            "concerns": ["def-1"],
        },
    )
    case_id = opened["openCase"]["id"]
    assert (await api.data("b_analyst", CASE, id=case_id))["case"] is None
    shared = await api.data("a_analyst", SHARE, id=case_id, orgs=["org-b"])
    assert shared["shareCase"]["sharedWith"] == ["org-b"]
    seen = (await api.data("b_analyst", CASE, id=case_id))["case"]
    assert seen == {"reference": "EXP-2025-001", "links": {"totalCount": 1}}
    refused = await api.data("b_analyst", SHARE, id=case_id, orgs=["org-b"])
    assert refused["shareCase"]["__typename"] == "InputErrors"


AUDIT = "{ auditLog(first: 50) { totalCount edges { node { organization operation ids keyId } } } }"


async def test_reading_a_defender_is_audited_for_the_owner_admins(api: Api) -> None:
    await api.data("b_analyst", 'query LookAtDefender { defender(id: "def-1") { pseudonym } }')
    log = (await api.data("a_admin", AUDIT))["auditLog"]
    entries = [e["node"] for e in log["edges"]]
    assert {
        "organization": "org-b",
        "operation": "query defender",
        "ids": ["def-1"],
    }.items() <= entries[0].items()
    # The reader's own organization's admin sees nothing about org-a's defender ...
    assert (await api.data("b_admin", AUDIT))["auditLog"]["totalCount"] == 0
    # ... and only admins may read the log at all.
    body = await api.call("a_analyst", AUDIT)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
