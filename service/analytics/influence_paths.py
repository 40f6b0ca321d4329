"""Influence paths: the strongest chains of relationships between two records.

Strength of a path = product of its relationships' confidences. The search runs in Python on
the relationships read from the database as the viewer sees them (cypher/read/influence_ties*:
the access rule on every record and relationship, inside the Cypher), so both databases give
the same answer and nothing the viewer may not see is ever in it. What is read holds every path
of at most maxHops hops, and little else: the records around each end, one statement per hop
for a whole frontier, and then only the relationships where the two frontiers meet
(service/analytics/influence_search.py says why that is enough); a hub at one end is read once,
never two hops deep. The few hops returned get their sources in one more statement. The
searching runs off the event loop under a work budget (service/analytics/offload.py).
"""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass

from service.access import Viewer
from service.analytics.influence_search import Found, Projection, TieGraph, strongest_paths
from service.analytics.offload import WorkBudget, run_off_loop
from service.analytics.questions import logged_question
from service.errors import InvalidInput, Problem, TooExpensive
from service.i18n import N_, gettext
from service.store import Row, Store

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


async def _read_ties(
    store: Store,
    viewer: Viewer,
    reach: Projection,
    types: list[str],
    as_of: str,
    statement: str,
    **records: list[str],
) -> list[Row]:
    """The visible relationships `statement` reads for `records` (influence_ties or
    influence_ties_between); `TooExpensive` past MAX_PROJECTED_EDGES in all."""
    room = MAX_PROJECTED_EDGES - len(reach.graph.ties)
    rows = await store.read(
        statement, types=types, as_of=as_of, first=room + 1, **records, **viewer.params()
    )
    if sum(len(row["ties"]) for row in rows) > room:  # one more than fits: enough to tell
        raise TooExpensive(
            gettext(
                "more than {most} relationships in reach: use a smaller {field} or fewer types",
                most=f"{MAX_PROJECTED_EDGES:,}",
                field="maxHops",
            )
        )
    return rows


async def _paths(
    store: Store, viewer: Viewer, found: list[Found], graph: TieGraph
) -> list[InfluencePath]:
    """The paths found, each hop with the sources the viewer may open (one statement for all)."""
    steps = [
        (u, v, graph.succ[u][v]) for path in found for u, v in itertools.pairwise(path.records)
    ]
    rows = await store.read(
        "influence_hop_sources",
        ids=[arc["id"] for _, _, arc in steps],
        starts=[u for u, _, _ in steps],
        ends=[v for _, v, _ in steps],
        **viewer.params(),
    )
    sources = {row["id"]: tuple(row["sources"] or ()) for row in rows}
    paths = []
    for path in found:
        hop_list = tuple(
            Hop(arc["id"], arc["type"], u, v, arc["confidence"], sources.get(arc["id"], ()))
            for u, v in itertools.pairwise(path.records)
            for arc in [graph.succ[u][v]]
        )
        paths.append(InfluencePath(math.prod(h.confidence for h in hop_list), hop_list))
    return paths


async def read_reach(
    store: Store,
    viewer: Viewer,
    source: str,
    target: str,
    max_hops: int,
    first: int,
    types: list[str],
    as_of: str,
    budget: WorkBudget,
) -> Projection:
    """The visible relationships that hold the `first` strongest paths of at most `max_hops`
    hops from `source` to `target`: a round of reading per hop from one end or the other, then
    the middle hop (service/analytics/influence_search.py)."""
    reach = Projection(source, target, max_hops, first)
    read = functools.partial(_read_ties, store, viewer, reach, types, as_of)
    while (end := reach.next_end()) is not None:
        records = reach.unread(end)
        rows = await read("influence_ties", ids=records) if records else []
        await run_off_loop(budget, reach.grow, end, records, rows, budget)
    if not reach.complete:
        mine, theirs = sorted(await run_off_loop(budget, reach.middle, budget), key=len)
        rows = await read("influence_ties_between", ids=mine, others=theirs) if mine else []
        await run_off_loop(budget, reach.add_middle, rows, budget)
    return reach


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
    budget = WorkBudget(MAX_SEARCH_STEPS, "influencePaths", ADVICE)
    reach = await read_reach(
        store, viewer, source, target, max_hops, first, types or [], as_of, budget
    )
    found = await run_off_loop(
        budget, strongest_paths, reach.graph, source, target, max_hops, first, budget
    )
    return await _paths(store, viewer, found, reach.graph)
