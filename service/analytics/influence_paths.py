"""Influence paths: the strongest chains of relationships between two records.

Strength of a path = product of its relationships' confidences, so the strongest path is the
shortest one under weight -log(confidence). The search runs in Python on a subgraph projected
from the database as the viewer sees it: both databases hand over the same subgraph, so they
give the same answer, and nothing the viewer may not see is ever in it. The projection grows
from both ends, a hops from the source and b from the target with a + b = k, which holds every
path of at most k hops; each hop goes to the end whose frontier is smaller, so that a hub at
one end is expanded once (its own ties), never two hops deep (which, from a hub, is the graph).

The search is a best-first enumeration of simple paths of at most k hops (A* over partial
paths): a partial path is ranked by its weight plus the least weight of any walk of the hops it
has left from its end to the target, so complete paths come out strongest first and a partial
path that cannot reach the target in time is never extended. networkx's Yen-style
`shortest_simple_paths` knows no hop limit: on the seed it went through thousands of longer
paths, each costing a shortest-path search, for minutes. The search runs off the event loop
under a work budget (service/analytics/offload.py).
"""

from __future__ import annotations

import heapq
import itertools
import math
from dataclasses import dataclass

import networkx as nx

from service.access import Viewer
from service.analytics.offload import WorkBudget, run_off_loop
from service.analytics.questions import logged_question
from service.errors import InvalidInput, Problem, TooExpensive
from service.i18n import N_, gettext
from service.store import Row, Store

# Influence runs along these from start to end only; every other type is followed both ways.
DIRECTED = frozenset({"COMMANDS", "FUNDS", "INFILTRATES", "CONTROLS", "HAS_INTEREST_IN"})
MAX_HOPS = 6
MAX_PATHS = 100
MAX_PROJECTED_EDGES = 200_000  # beyond this the question is too broad: narrow types or hops
# Relationships looked at by one search (building the graph, bounding, extending paths): a few
# seconds of Python at most. maxHops 6, first 100 between two hubs takes about 17k on the seed
# and 150k at --scale 10; a record whose paths must all come back through one cut record (a clique
# behind it) can take millions, and gets TOO_EXPENSIVE.
MAX_SEARCH_STEPS = 1_000_000
ADVICE = N_("ask for fewer maxHops, fewer paths (first) or fewer types")


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
    """Every visible relationship within `depth` hops of `start`, by id. Past
    MAX_PROJECTED_EDGES, `TooExpensive` naming `field` (the argument that sets `depth`); no
    record may bring more than what is left of that budget, so one hub cannot flood a read."""
    edges: dict[str, Row] = {}
    seen, frontier = {start}, [start]
    for _ in range(depth):
        if not frontier:
            break
        room = MAX_PROJECTED_EDGES - len(edges) + 1  # one more than fits: enough to tell
        rows = await store.read(
            "links_of_many",
            ids=frontier,
            types=types,
            direction="BOTH",
            as_of=as_of,
            offset=0,
            first=room,
            **viewer.params(),
        )
        nxt = []
        for row in rows:
            for link in row["links"]:
                edges[link["id"]] = {**link, "source": row["source"]}
                if link["other_id"] not in seen:
                    seen.add(link["other_id"])
                    nxt.append(link["other_id"])
        if len(edges) > MAX_PROJECTED_EDGES:
            raise TooExpensive(
                gettext(
                    "more than {most} relationships in reach: use a smaller {field} or fewer types",
                    most=f"{MAX_PROJECTED_EDGES:,}",
                    field=field,
                )
            )
        frontier = nxt
    return edges


async def project(
    store: Store,
    viewer: Viewer,
    source: str,
    target: str,
    max_hops: int,
    types: list[str],
    as_of: str,
) -> dict[str, Row]:
    """Every visible relationship within a hops of `source` or b hops of `target`, a + b =
    `max_hops`, by id: every path of at most `max_hops` hops lies in it. Each hop grows the end
    with fewer records left to read on its frontier (the source on a tie), and no record is read
    twice: a record one end reached is not read again when the other end reaches it (a hub next
    to both ends is read once). Past MAX_PROJECTED_EDGES, `TooExpensive`."""
    edges: dict[str, Row] = {}
    near: dict[str, set[str]] = {}  # record read -> the records its relationships reach
    seen = {source: {source}, target: {target}}
    frontier = {source: [source], target: [target]}

    def unread(end: str) -> list[str]:
        return [i for i in frontier[end] if i not in near]

    for _ in range(max_hops):
        live = [end for end in (source, target) if frontier[end]]
        if not live:
            break
        end = min(live, key=lambda e: len(unread(e)))
        if ids := unread(end):
            await _read_links(store, viewer, ids, types, as_of, edges, near)
        grown = []
        for record in frontier[end]:
            for other in sorted(near.get(record, ())):
                if other not in seen[end]:
                    seen[end].add(other)
                    grown.append(other)
        frontier[end] = grown
    return edges


async def _read_links(
    store: Store,
    viewer: Viewer,
    ids: list[str],
    types: list[str],
    as_of: str,
    edges: dict[str, Row],
    near: dict[str, set[str]],
) -> None:
    """Every visible relationship of the records `ids` into `edges` and `near`."""
    room = MAX_PROJECTED_EDGES - len(edges) + 1  # one more than fits: enough to tell
    rows = await store.read(
        "links_of_many",
        ids=ids,
        types=types,
        direction="BOTH",
        as_of=as_of,
        offset=0,
        first=room,
        **viewer.params(),
    )
    for record in ids:
        near.setdefault(record, set())
    for row in rows:
        for link in row["links"]:
            edges[link["id"]] = {**link, "source": row["source"]}
            near[row["source"]].add(link["other_id"])
    if len(edges) > MAX_PROJECTED_EDGES:
        raise TooExpensive(
            gettext(
                "more than {limit} relationships in reach: use a smaller maxHops or fewer types",
                limit=f"{MAX_PROJECTED_EDGES:,}",
            )
        )


def _graph(edges: dict[str, Row], budget: WorkBudget) -> nx.DiGraph[str]:
    """A directed graph keeping, per ordered pair, the most confident relationship."""
    graph: nx.DiGraph[str] = nx.DiGraph()
    for edge in edges.values():
        budget.spend()
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


def _least_weights(
    graph: nx.DiGraph[str], source: str, target: str, max_hops: int, budget: WorkBudget
) -> list[dict[str, float]]:
    """[r][v]: the least weight of a walk from v to `target` of at most r hops that does not
    pass through `source` (absent: none). A walk may repeat records, so this is a lower bound
    for the simple paths still open to a partial path: what A* needs to rank and prune."""
    least = [{target: 0.0}]
    for _ in range(max_hops):
        before = least[-1]
        now = dict(before)
        for there, rest in before.items():
            for here, data in graph.pred[there].items():
                budget.spend()
                weight = data["weight"] + rest
                if here != source and weight < now.get(here, math.inf):
                    now[here] = weight
        least.append(now)
    return least


def strongest_paths(
    graph: nx.DiGraph[str],
    source: str,
    target: str,
    max_hops: int,
    first: int,
    budget: WorkBudget,
) -> list[InfluencePath]:
    """The `first` strongest simple paths of at most `max_hops` hops, strongest first (ties:
    fewer hops, then ids in order)."""
    if source not in graph or target not in graph:
        return []
    least = _least_weights(graph, source, target, max_hops, budget)
    # (weight so far + least weight still to go, hops, records, weight so far)
    queue: list[tuple[float, int, tuple[str, ...], float]] = [(0.0, 0, (source,), 0.0)]
    found: list[InfluencePath] = []
    while queue and len(found) < first:
        _, hops, nodes, weight = heapq.heappop(queue)
        if nodes[-1] == target:
            steps = tuple(_hop(graph, u, v) for u, v in itertools.pairwise(nodes))
            found.append(InfluencePath(math.prod(h.confidence for h in steps), steps))
            continue
        left = least[max_hops - hops - 1]  # what the hops left after this one can still reach
        for there, data in graph.succ[nodes[-1]].items():
            budget.spend()
            if there in left and there not in nodes:
                so_far = weight + data["weight"]
                heapq.heappush(queue, (so_far + left[there], hops + 1, (*nodes, there), so_far))
    return found


def _search(
    edges: dict[str, Row], source: str, target: str, max_hops: int, first: int, budget: WorkBudget
) -> list[InfluencePath]:
    return strongest_paths(_graph(edges, budget), source, target, max_hops, first, budget)


@logged_question
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
    """The strongest chains from `source` to `target` that the viewer may see on `as_of`;
    `TooExpensive` when the question needs more than one request's share of work."""
    if not 1 <= max_hops <= MAX_HOPS:
        raise InvalidInput(
            [
                Problem(
                    "query", None, "maxHops", gettext("must be between 1 and {most}", most=MAX_HOPS)
                )
            ]
        )
    if not 0 <= first <= MAX_PATHS:
        raise InvalidInput(
            [
                Problem(
                    "query", None, "first", gettext("must be between 0 and {most}", most=MAX_PATHS)
                )
            ]
        )
    if source == target or first == 0:
        return []
    edges = await project(store, viewer, source, target, max_hops, types or [], as_of)
    budget = WorkBudget(MAX_SEARCH_STEPS, "influencePaths", ADVICE)
    return await run_off_loop(budget, _search, edges, source, target, max_hops, first, budget)
