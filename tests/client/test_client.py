"""The researchers' client against the real service on the seed: frames, graphs and errors are
what the API answers for that key, no more."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from service.access import Role, Tlp
from service.client import ClientError, TejidoClient
from service.keys import create_key
from tests.support.embed_server import serve_app

ORG = "org-000037"  # the seed's NGO whose analyst `make run` prints a key for
ACTORS_PAGE = """
query Actors($after: String) {
  actors(first: 25, after: $after) {
    totalCount
    edges { node { id name sector kind } }
    pageInfo { hasNextPage endCursor }
  }
}"""


@pytest.fixture
def served(seeded_graph: Any) -> Iterator[str]:
    with serve_app(seeded_graph.settings) as base:
        yield f"{base}/graphql"


async def client_for(seeded_graph: Any, url: str, clearance: Tlp) -> TejidoClient:
    key = await create_key(seeded_graph.store, ORG, Role.ANALYST, clearance, note="client test")
    return TejidoClient(url, key.key, lang="en")


async def test_frames_hold_every_page_and_only_what_the_key_sees(
    seeded_graph: Any, served: str
) -> None:
    with (
        await client_for(seeded_graph, served, Tlp.RED) as red,
        await client_for(seeded_graph, served, Tlp.GREEN) as green,
    ):
        total = red.execute(ACTORS_PAGE)["actors"]["totalCount"]
        everything = red.frame_all(ACTORS_PAGE)
        assert total > 25, "the seed must need several pages for this test to mean anything"
        assert len(everything) == total == everything["id"].nunique()
        assert {"id", "name", "sector", "kind"} <= set(everything.columns)
        first_page = red.frame(ACTORS_PAGE)
        assert list(first_page["id"]) == list(everything["id"][:25])
        fewer = green.frame_all(ACTORS_PAGE)
        assert set(fewer["id"]) < set(everything["id"])


async def test_graphs_from_a_network_and_from_paths(seeded_graph: Any, served: str) -> None:
    with await client_for(seeded_graph, served, Tlp.RED) as red:
        answer = red.operation("CollusionNetwork", territory="ter-000001")
        view = answer["collusionNetwork"]
        network = red.graph(answer)
        assert view["edges"], "the seed's collusion network is empty: nothing would be tested"
        assert network.number_of_nodes() == len(view["nodes"])
        assert network.number_of_edges() == len(view["edges"])
        edge = view["edges"][0]
        assert network.edges[edge["source"], edge["target"], edge["id"]]["type"] == edge["type"]

        paths = red.operation("InfluencePaths", **{"from": "act-000001", "to": "act-000021"})
        graph = red.graph(paths)
        hops = [hop for path in paths["influencePaths"] for hop in path["hops"]]
        assert hops, "no influence path on the seed: nothing would be tested"
        for hop in hops:
            assert graph.has_edge(hop["from"]["id"], hop["to"]["id"])


async def test_errors_say_what_went_wrong(seeded_graph: Any, served: str) -> None:
    with await client_for(seeded_graph, served, Tlp.RED) as red:
        with pytest.raises(ClientError, match="nosuchfield"):
            red.execute("{ nosuchfield }")
        with pytest.raises(ClientError, match="Nope"):
            red.operation("Nope")
    with (
        TejidoClient(served, "tjd_0000_nope", lang="en") as stranger,
        pytest.raises(ClientError, match="API key"),
    ):
        stranger.execute("{ counts { label count } }")
