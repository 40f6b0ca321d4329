"""Influence paths: the strongest chains of relationships between two records.

Strength of a path = product of its relationships' confidences, so the strongest path is the
shortest one under weight -log(confidence). The search runs in Python (networkx, Yen's k
shortest simple paths) on a subgraph projected from the database as the viewer sees it: both
databases hand over the same subgraph, so they give the same answer, and nothing the viewer may
not see is ever in it. The projection expands from both ends, ceil(k/2) hops from the source and
floor(k/2) from the target, which holds every path of at most k hops.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import networkx as nx

from service.access import Viewer
from service.errors import InvalidInput, Problem
from service.store import Row, Store

# Influence runs along these from start to end only; every other type is followed both ways.
DIRECTED = frozenset({"COMMANDS", "FUNDS", "INFILTRATES", "CONTROLS", "HAS_INTEREST_IN"})
MAX_HOPS = 6
MAX_PROJECTED_EDGES = 200_000  # beyond this the question is too broad: narrow types or hops
MAX_CANDIDATES = 5_000  # paths looked at before giving up on finding `first` short enough
LINKS_PER_RECORD = 100_000


@dataclass(frozen=True)
class Hop:
    id: str
    type: str
    start: str  # the record the hop leaves from, in the path's direction
    end: str
    confidence: float
    sources: tuple[str, ...]


@dataclass(frozen=True)
class InfluencePath:
    strength: float
    hops: tuple[Hop, ...]


async def expand(
    store: Store,
    viewer: Viewer,
    start: str,
    depth: int,
    types: list[str],
    as_of: str,
    field: str = "maxHops",
) -> dict[str, Row]:
    """Every visible relationship within `depth` hops of `start`, by id (`field` names the
    argument to blame when there are too many)."""
    edges: dict[str, Row] = {}
    seen, frontier = {start}, [start]
    for _ in range(depth):
        if not frontier:
            break
        rows = await store.read(
            "links_of_many", ids=frontier, types=types, direction="BOTH", as_of=as_of,
            offset=0, first=LINKS_PER_RECORD, **viewer.params(),
        )  # fmt: skip
        nxt = []
        for row in rows:
            for link in row["links"]:
                edges[link["id"]] = {**link, "source": row["source"]}
                if link["other_id"] not in seen:
                    seen.add(link["other_id"])
                    nxt.append(link["other_id"])
        if len(edges) > MAX_PROJECTED_EDGES:
            problem = "too many relationships in reach; use fewer hops or types"
            raise InvalidInput([Problem("query", None, field, problem)])
        frontier = nxt
    return edges


def _graph(edges: dict[str, Row]) -> nx.DiGraph[str]:
    """A directed graph keeping, per ordered pair, the most confident relationship."""
    graph: nx.DiGraph[str] = nx.DiGraph()
    for edge in edges.values():
        here, there = edge["source"], edge["other_id"]
        start, end = (here, there) if edge["direction"] == "OUT" else (there, here)
        pairs = [(start, end)] if edge["type"] in DIRECTED else [(start, end), (end, start)]
        confidence = float(edge.get("confidence") or 0.0)
        if confidence <= 0:
            continue  # a claim with no confidence carries no influence
        for u, v in pairs:
            current = graph.get_edge_data(u, v)
            if (
                current is None
                or confidence > current["confidence"]
                or (confidence == current["confidence"] and edge["id"] < current["edge"]["id"])
            ):
                graph.add_edge(u, v, weight=-math.log(confidence), confidence=confidence, edge=edge)
    return graph


def _hop(graph: nx.DiGraph[str], start: str, end: str) -> Hop:
    data = graph.edges[start, end]
    edge = data["edge"]
    sources = tuple(edge.get("sources") or ())
    return Hop(edge["id"], edge["type"], start, end, data["confidence"], sources)


def strongest_paths(
    graph: nx.DiGraph[str], source: str, target: str, max_hops: int, first: int
) -> list[InfluencePath]:
    """The `first` strongest simple paths of at most `max_hops` hops, strongest first."""
    if source not in graph or target not in graph:
        return []
    found: list[InfluencePath] = []
    candidates = nx.shortest_simple_paths(graph, source, target, weight="weight")
    try:
        for nodes in itertools.islice(candidates, MAX_CANDIDATES):
            if len(nodes) - 1 > max_hops:
                continue
            hops = tuple(_hop(graph, u, v) for u, v in itertools.pairwise(nodes))
            found.append(InfluencePath(math.prod(h.confidence for h in hops), hops))
            if len(found) == first:
                break
    except nx.NetworkXNoPath:  # both ends in the projection, but not connected one way
        return []
    return found


async def influence_paths(
    store: Store,
    viewer: Viewer,
    source: str,
    target: str,
    as_of: str,
    max_hops: int = 4,
    first: int = 3,
    types: list[str] | None = None,
) -> list[InfluencePath]:
    """The strongest chains from `source` to `target` that the viewer may see on `as_of`."""
    if not 1 <= max_hops <= MAX_HOPS:
        raise InvalidInput([Problem("query", None, "maxHops", f"must be between 1 and {MAX_HOPS}")])
    if source == target:
        return []
    near_source = await expand(store, viewer, source, (max_hops + 1) // 2, types or [], as_of)
    near_target = await expand(store, viewer, target, max_hops // 2, types or [], as_of)
    return strongest_paths(_graph(near_source | near_target), source, target, max_hops, first)
