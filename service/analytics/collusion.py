"""The collusion network: covert ties between state and non-state actors, its communities and
the brokers between them, as a graph view ready for Cytoscape.js, D3 or Sigma."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from service.access import Viewer
from service.analytics.cache import cached
from service.analytics.offload import run_off_loop
from service.analytics.projection import ActorNetwork, project
from service.analytics.questions import logged_question
from service.analytics.weights import CovertDefaults, load_weights
from service.errors import TooExpensive
from service.i18n import gettext
from service.store import Store

# networkx cannot be interrupted once it runs, so the size of the view bounds its cost instead:
# greedy modularity takes about 2 s at 3,000 actors and 14 s at 10,000 (a 2-core machine), and
# exact betweenness grows with actors x ties (minutes over the whole graph at --scale 100).
MAX_ACTORS = 3_000
# Above this many actors betweenness is estimated from this many source actors (Brandes and
# Pich's sampling, rescaled by networkx), drawn with a fixed seed: the same answer every time.
EXACT_BETWEENNESS_ACTORS = 500
PIVOTS = 200


@dataclass(frozen=True)
class ViewNode:
    id: str
    label: str
    name: str
    group: int  # community
    score: float  # betweenness: how much of the network passes through it


@dataclass(frozen=True)
class ViewEdge:
    id: str
    source: str
    target: str
    type: str
    confidence: float


@dataclass(frozen=True)
class GraphView:
    nodes: tuple[ViewNode, ...]
    edges: tuple[ViewEdge, ...]
    brokers: tuple[str, ...]  # actors tied into more than one community, most central first


@logged_question
async def collusion_network(
    store: Store,
    viewer: Viewer,
    territory: str | None,
    as_of: str,
    covert_defaults: CovertDefaults | None = None,
) -> GraphView:
    """The collusion view of the actors the viewer may see in the territory on `as_of`, cached
    like the projection it rests on (service/analytics/cache.py)."""
    defaults = covert_defaults or load_weights().covert_defaults

    async def view() -> GraphView:
        network = await project(store, viewer, territory, as_of)
        return await run_off_loop(None, collusion_view, network, defaults)  # communities: CPU

    question = ("collusion_network", territory, as_of, defaults.model_dump_json())
    return await cached(store, viewer, question, view)


def collusion_view(network: ActorNetwork, defaults: CovertDefaults | None = None) -> GraphView:
    """Covert ties whose ends are one state and one non-state actor."""
    defaults = defaults or load_weights().covert_defaults
    edges = tuple(
        ViewEdge(t["id"], t["source"], t["target"], t["type"], float(t["confidence"] or 0.0))
        for t in network.ties
        if network.covert(t, defaults)
        and {network.sector(t["source"]), network.sector(t["target"])} == {"state", "non_state"}
    )
    graph: nx.Graph[str] = nx.Graph()
    for edge in sorted(edges, key=lambda e: e.id):  # a fixed order: the same communities every time
        graph.add_edge(edge.source, edge.target, weight=edge.confidence)
    if graph.number_of_nodes() == 0:
        return GraphView((), (), ())
    if graph.number_of_nodes() > MAX_ACTORS:
        raise TooExpensive(
            gettext(
                "the collusion network holds {count} actors, more than {limit}: "
                "ask for a territory",
                count=f"{graph.number_of_nodes():,}",
                limit=f"{MAX_ACTORS:,}",
            )
        )
    communities = sorted(
        (sorted(c) for c in nx.community.greedy_modularity_communities(graph, weight="weight")),
        key=lambda c: (-len(c), c[0]),
    )
    group = {actor: i for i, members in enumerate(communities) for actor in members}
    sampled = graph.number_of_nodes() > EXACT_BETWEENNESS_ACTORS
    centrality = nx.betweenness_centrality(
        graph, k=PIVOTS if sampled else None, normalized=True, seed=0
    )
    brokers = sorted(
        (a for a in graph if len({group[n] for n in graph[a]} | {group[a]}) > 1),
        key=lambda a: (-centrality[a], a),
    )
    nodes = tuple(
        ViewNode(a, "Actor", network.actors[a]["name"], group[a], round(centrality[a], 6))
        for a in sorted(graph)
    )
    return GraphView(nodes, edges, tuple(brokers))
