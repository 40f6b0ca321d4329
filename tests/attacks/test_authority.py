"""Attacks on authority (issue group 1): an analyst's write access never extends who it is.

Two organizations and a network; an AMBER defender shared with the network. An analyst of A
tries to make itself a member through `link`, to name itself the holder of B's case, to write a
match; a membership that A wrote about itself must give it nothing; only the network's admins
admit, and a removal takes effect on the next request. Every test runs on both databases.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from service.access import Role, Tlp
from service.keys import create_key
from service.store import Store
from tests.support.graphql_client import Api, serve_api
from tests.support.tables import load_rows

ORGS = [
    {"id": "org-a", "name": "Colectivo Alfa", "kind": "ngo", "tlp": "GREEN", "owner": "org-a"},
    {"id": "org-b", "name": "Colectivo Beta", "kind": "ngo", "tlp": "GREEN", "owner": "org-b"},
    {"id": "net-n", "name": "Red Norte", "kind": "network", "tlp": "GREEN", "owner": "net-n"},
]
HIDDEN_NAME = "Nombre Ficticio Resguardado"
NODE = "query($id: ID!) { node(id: $id) { id name } }"
LINK = """mutation($input: LinkInput!) { link(input: $input) {
  __typename ... on Linked { id } ... on InputErrors { errors { field message } } } }"""
ADMIT = """mutation($org: ID!) { admitToNetwork(organization: $org) {
  __typename ... on Linked { id } ... on InputErrors { errors { field message } } } }"""
REMOVE = """mutation($net: ID!, $org: ID!) {
  removeFromNetwork(network: $net, organization: $org) { ended } }"""
VIEWER = "{ viewer { networks } }"


@pytest.fixture
async def api(store: Store) -> AsyncIterator[Api]:
    await load_rows(
        store,
        organizations=ORGS,
        defenders=[
            {
                "id": "def-net",
                "pseudonym": "Ceiba",
                "name": HIDDEN_NAME,
                "tlp": "AMBER",
                "owner": "org-b",
                "shared_with": "net-n",
            },
        ],
        cases=[
            {
                "id": "case-a",
                "reference": "A-1",
                "holder_id": "org-a",
                "tlp": "GREEN",
                "owner": "org-a",
            },
            {
                "id": "case-b",
                "reference": "B-1",
                "holder_id": "org-b",
                "tlp": "AMBER",
                "owner": "org-b",
                "shared_with": "org-a",
            },
        ],
    )
    keys = {}
    for who, org, role in [
        ("a_analyst", "org-a", Role.ANALYST),
        ("a_admin", "org-a", Role.ADMIN),
        ("a_reader", "org-a", Role.READER),
        ("n_admin", "net-n", Role.ADMIN),
        ("n_analyst", "net-n", Role.ANALYST),
    ]:
        keys[who] = (await create_key(store, org, role, Tlp.RED)).key
    async with serve_api(store, keys) as served:
        yield served


def _link(kind: str, start: str, end: str) -> dict[str, object]:
    return {"input": {"type": kind, "fromId": start, "toId": end, "tlp": "GREEN"}}


async def _sees_secret(api: Api, who: str) -> bool:
    node = (await api.data(who, NODE, id="def-net"))["node"]
    return node is not None and node["name"] == HIDDEN_NAME


async def test_an_analyst_cannot_link_its_organization_into_a_network(api: Api) -> None:
    result = (await api.data("a_analyst", LINK, **_link("MEMBER_OF", "org-a", "net-n")))["link"]
    assert result["__typename"] == "InputErrors", result
    assert result["errors"][0]["field"] == "type"
    assert not await _sees_secret(api, "a_reader")
    assert (await api.data("a_reader", VIEWER))["viewer"]["networks"] == []


async def test_a_membership_the_member_wrote_about_itself_grants_nothing(
    api: Api, store: Store
) -> None:
    # As if written before the rule, or by a careless load: a claim, not an admission.
    await load_rows(
        store,
        relationships=[
            {
                "id": "rel-claim",
                "type": "MEMBER_OF",
                "from_id": "org-a",
                "to_id": "net-n",
                "tlp": "GREEN",
                "owner": "org-a",
            },
        ],
    )
    assert (await api.data("a_reader", VIEWER))["viewer"]["networks"] == []
    assert not await _sees_secret(api, "a_reader")


async def test_only_the_networks_admins_admit_and_removal_takes_effect(api: Api) -> None:
    refused = await api.call("n_analyst", ADMIT, org="org-a")
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    not_a_network = (await api.data("a_admin", ADMIT, org="org-b"))["admitToNetwork"]
    assert not_a_network["__typename"] == "InputErrors"
    assert not await _sees_secret(api, "a_reader")

    admitted = (await api.data("n_admin", ADMIT, org="org-a"))["admitToNetwork"]
    assert admitted["__typename"] == "Linked", admitted
    assert (await api.data("a_reader", VIEWER))["viewer"]["networks"] == ["net-n"]
    assert await _sees_secret(api, "a_reader")

    # The admission cannot be ended through `unlink` by the network's analysts either.
    unlink = """mutation($record: ID!, $link: ID!) { unlink(record: $record, link: $link) {
      __typename } }"""
    result = await api.data("n_analyst", unlink, record="net-n", link=admitted["id"])
    assert result["unlink"]["__typename"] == "InputErrors"
    assert await _sees_secret(api, "a_reader")

    ended = await api.data("a_admin", REMOVE, net="net-n", org="org-a")  # the member leaves
    assert ended["removeFromNetwork"]["ended"] == 1
    assert not await _sees_secret(api, "a_reader")
    assert (await api.data("a_reader", VIEWER))["viewer"]["networks"] == []


async def test_outsiders_cannot_remove_a_member(api: Api) -> None:
    await api.data("n_admin", ADMIT, org="org-a")
    refused = await api.call("a_analyst", REMOVE, net="net-n", org="org-a")
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await _sees_secret(api, "a_reader")


@pytest.mark.parametrize(
    ("kind", "start", "end"),
    [("HELD_BY", "case-b", "org-a"), ("SAME_AS", "case-a", "case-b")],
)
async def test_holders_and_matches_are_not_links(api: Api, kind: str, start: str, end: str) -> None:
    result = (await api.data("a_analyst", LINK, **_link(kind, start, end)))["link"]
    assert result["__typename"] == "InputErrors", result
    assert result["errors"][0]["field"] == "type"
