"""A reader asking for every field the model gives a record, through every way to reach it: a
defender's name (`sensitive: true` in the model) never comes back to a viewer who may not see
it, whatever fields the types built from the model gain. Over HTTP with real keys, on both
databases."""

from __future__ import annotations

import json

from graphql import GraphQLObjectType, get_named_type, is_leaf_type
from service.access import Role, Tlp
from service.api.schema import schema
from service.keys import create_key
from service.store import Store
from tests.support.graphql_client import app_client, post_graphql
from tests.support.tables import load_rows
from tests.test_access import ORGS

NAME = "Nombre Inventado Siete"


def every_leaf(type_name: str) -> str:
    """A selection of every field of a type that takes no arguments and is a leaf."""
    found = schema._schema.get_type(type_name)
    assert isinstance(found, GraphQLObjectType)
    return " ".join(
        name
        for name, field in found.fields.items()
        if not field.args and is_leaf_type(get_named_type(field.type))
    )


async def test_a_defenders_name_reaches_no_one_who_may_not_see_it(store: Store) -> None:
    await load_rows(
        store,
        organizations=ORGS,
        defenders=[
            {"id": "def-7", "pseudonym": "Defensora Ceiba", "name": NAME, "tlp": "GREEN",
             "owner": "org-a", "country": "HN"}
        ],
        territories=[
            {"id": "ter-hn", "name": "Honduras", "kind": "country", "tlp": "CLEAR",
             "owner": "org-a"}
        ],
        relationships=[
            {"id": "rel-7", "type": "OPERATES_IN", "from_id": "def-7", "to_id": "ter-hn",
             "tlp": "GREEN", "owner": "org-a"}
        ],
    )  # fmt: skip
    fields = every_leaf("Defender")
    query = f"""{{
      defender(id: "def-7") {{ {fields} }}
      node(id: "def-7") {{ ... on Defender {{ {fields} }} }}
      defenders {{ edges {{ node {{ {fields} }} }} }}
      search(text: "Ceiba") {{ ... on Defender {{ {fields} }} }}
      territory(id: "ter-hn") {{
        links {{ edges {{ node {{ other {{ ... on Defender {{ {fields} }} }} }} }} }}
      }}
    }}"""
    outsider = (await create_key(store, "org-b", Role.READER, Tlp.RED)).key
    owner = (await create_key(store, "org-a", Role.READER, Tlp.AMBER)).key
    async with app_client(store) as http:
        refused = await post_graphql(http, outsider, query)
        allowed = await post_graphql(http, owner, query)
    assert "errors" not in refused and "errors" not in allowed, (refused, allowed)
    assert refused["data"]["defender"]["name"] == "Defensora Ceiba"
    assert NAME not in json.dumps(refused), refused
    # The same query does reach the name where it may: the test can fail.
    assert allowed["data"]["defender"]["name"] == NAME
    assert json.dumps(allowed).count(NAME) >= 3, allowed
