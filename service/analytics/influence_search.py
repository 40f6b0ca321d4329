"""The search behind influencePaths: which relationships to read, and the strongest paths in them.

Strength of a path = product of its relationships' confidences, so the strongest path is the
shortest one under weight -log(confidence) (never negative: a confidence is at most 1).

Meet in the middle, by hops. A path of at most k hops is s = x0, x1, ..., xL = t with L <= k.
Reading every relationship of the records within a - 1 hops of s and within b - 1 hops of t
(a + b = k - 1 rounds of reading, each round one statement for a whole frontier, given to the
end with fewer records left to read) leaves unknown only a relationship between a record a hops
from s and one b hops from t, both unread: the middle hop of the longest paths. One statement
reads those, between the two frontiers, and drops on the database's side every other
relationship of their records. So a hub at one end is read alone (its own ties, one hop), and
the records around it only where they meet the other end's frontier, never two hops deep (which,
from a hub, is the whole graph). Neither end's walk goes through the other end (a path ends
there), and an end whose frontier runs out has had everything it reaches read: then the middle
is not needed.

The paths come from a best-first enumeration of simple paths of at most k hops (A* over
partial paths): a partial path is ranked by its weight plus the least weight of any walk of the
hops it has left from its end to the target, so complete paths come out strongest first and a
partial path that cannot reach the target in time is never extended. networkx's Yen-style
`shortest_simple_paths` knows no hop limit (on the seed it went through thousands of longer
paths, each costing a shortest-path search, for minutes).

A graph here is anything with `succ` and `pred` mappings (record -> record -> arc) and `in`: a
`TieGraph`, or a networkx DiGraph built from the same arcs (the benchmark compares the two).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from service.analytics.offload import WorkBudget
from service.store import Row

# Influence runs along these from start to end only; every other type is followed both ways.
DIRECTED = frozenset({"COMMANDS", "FUNDS", "INFILTRATES", "CONTROLS", "HAS_INTEREST_IN"})

# Sums of weights taken in different orders may differ in their last bits: a bound keeps
# whatever is within this much of it.
SLACK = 1e-9

Arc = dict[str, Any]  # weight, confidence, id, type: networkx's edge data, so either graph works


class Graph(Protocol):
    @property
    def succ(self) -> Mapping[str, Mapping[str, Arc]]: ...
    @property
    def pred(self) -> Mapping[str, Mapping[str, Arc]]: ...
    def __contains__(self, record: object) -> bool: ...


@dataclass(frozen=True, order=True)
class Found:
    """A path found: its weight (-log of its strength) and its records, in order."""

    weight: float
    records: tuple[str, ...]


def arcs(source: str, tie: list[Any]) -> list[tuple[str, str, Arc]]:
    """The directed arcs a relationship of `source` read by influence_ties gives (`tie`: its id,
    type, whether it leaves `source`, the record at its other end, its confidence): one along
    an influence type, both ways for the others; none for a tie of a record to itself."""
    tie_id, kind, out, there, confidence = tie
    if source == there:
        return []
    start, end = (source, there) if out else (there, source)
    arc = {
        "weight": -math.log(confidence),
        "confidence": float(confidence),
        "id": tie_id,
        "type": kind,
    }
    if kind in DIRECTED:
        return [(start, end, arc)]
    return [(start, end, arc), (end, start, arc)]


def better(new: Arc, current: Arc | None) -> bool:
    """Of two relationships between the same ordered pair, the path keeps the most confident
    (ties: the smaller id), so that both databases give the same answer."""
    return current is None or (-new["confidence"], new["id"]) < (
        -current["confidence"],
        current["id"],
    )


@dataclass
class TieGraph:
    """The visible relationships read so far as a directed graph, keeping per ordered pair the
    most confident one; `read`: the records all of whose relationships are in."""

    succ: dict[str, dict[str, Arc]] = field(default_factory=dict)
    pred: dict[str, dict[str, Arc]] = field(default_factory=dict)
    read: set[str] = field(default_factory=set)
    ties: set[str] = field(default_factory=set)

    def __contains__(self, record: object) -> bool:
        return record in self.succ or record in self.pred

    def add(self, records: Iterable[str], rows: list[Row], budget: WorkBudget) -> None:
        """The relationships `rows` (by record) of the records `records`, now read in full."""
        self.read.update(records)
        for row in rows:
            for tie in row["ties"]:
                budget.spend()
                if tie[0] in self.ties:
                    continue  # read again from its other end
                self.ties.add(tie[0])
                for start, end, arc in arcs(row["source"], tie):
                    if better(arc, self.succ.get(start, {}).get(end)):
                        self.succ.setdefault(start, {})[end] = arc
                        self.pred.setdefault(end, {})[start] = arc


def least_weights(
    graph: Graph, source: str, target: str, max_hops: int, budget: WorkBudget
) -> list[dict[str, float]]:
    """[r][v]: the least weight of a walk from v to `target` of at most r hops that does not
    pass through `source` (absent: none). A walk may repeat records, so
    this is a lower bound for the simple paths still open to a partial path: what A* needs to
    rank and prune."""
    least = [{target: 0.0}]
    for _ in range(max_hops):
        before = least[-1]
        now = dict(before)
        for there, rest in before.items():
            for here, data in graph.pred.get(there, {}).items():
                budget.spend()
                weight = data["weight"] + rest
                if here != source and weight < now.get(here, math.inf):
                    now[here] = weight
        least.append(now)
    return least


def strongest_paths(
    graph: Graph,
    source: str,
    target: str,
    max_hops: int,
    first: int,
    budget: WorkBudget,
) -> list[Found]:
    """The `first` strongest simple paths of at most `max_hops` hops, strongest first (ties:
    fewer hops, then records in order)."""
    if source not in graph or target not in graph:
        return []
    least = least_weights(graph, source, target, max_hops, budget)
    # (weight so far + least weight still to go, hops, records, weight so far)
    queue: list[tuple[float, int, tuple[str, ...], float]] = [(0.0, 0, (source,), 0.0)]
    found: list[Found] = []
    while queue and len(found) < first:
        _, hops, records, weight = heapq.heappop(queue)
        if records[-1] == target:
            found.append(Found(weight, records))
            continue
        left = least[max_hops - hops - 1]  # what the hops left after this one can still reach
        for there, data in graph.succ.get(records[-1], {}).items():
            budget.spend()
            if there in left and there not in records:
                so_far = weight + data["weight"]
                heapq.heappush(queue, (so_far + left[there], hops + 1, (*records, there), so_far))
    return found


class Projection:
    """Which records influencePaths reads, end by end: see the module's docstring."""

    def __init__(self, source: str, target: str, max_hops: int, first: int) -> None:
        self.source, self.target, self.max_hops, self.first = source, target, max_hops, first
        self.graph = TieGraph()
        self.rounds_left = max_hops - 1
        # Per end, the records of its last layer (exactly as many hops away as it has grown),
        # each with the least weight of a walk to it through the layers.
        self.frontier = {source: {source: 0.0}, target: {target: 0.0}}
        self.seen = {source: {source, target}, target: {source, target}}

    def unread(self, end: str) -> list[str]:
        return [record for record in self.frontier[end] if record not in self.graph.read]

    @property
    def complete(self) -> bool:
        """Every relationship of every path is in: an end reaches nothing more (all it reaches
        is read), or the middle hop was read."""
        return not self.frontier[self.source] or not self.frontier[self.target]

    def next_end(self) -> str | None:
        """The end to grow next (fewer records to read; the source on a tie), or None when the
        hops are shared out and only the middle is left."""
        if self.rounds_left == 0 or self.complete:
            return None
        return min((self.source, self.target), key=lambda end: len(self.unread(end)))

    def grow(self, end: str, records: list[str], rows: list[Row], budget: WorkBudget) -> None:
        """One hop further from `end`, with `rows` the relationships of its frontier's unread
        `records`: forward from the source, backward to the target, never through the other
        end."""
        self.graph.add(records, rows, budget)
        arcs = self.graph.succ if end == self.source else self.graph.pred
        grown: dict[str, float] = {}
        for record, weight in self.frontier[end].items():
            for other, arc in arcs.get(record, {}).items():
                budget.spend()
                if other in grown:
                    grown[other] = min(grown[other], weight + arc["weight"])
                elif other not in self.seen[end]:
                    self.seen[end].add(other)
                    grown[other] = weight + arc["weight"]
        self.frontier[end] = grown
        self.rounds_left -= 1

    def middle(self, budget: WorkBudget) -> tuple[list[str], list[str]]:
        """The unread records of the two frontiers whose relationships between them can still
        be the middle hop of one of the `first` strongest paths.

        A path that needs such a relationship runs through the whole of both frontiers' layers,
        so it weighs at least the two walks' least weights, plus its middle hop; the paths that
        need none are all in already. So once `first` of those are found, a pair of records
        whose walks alone weigh more than the last of them cannot make a path that comes
        before it (reading a little more is always safe; SLACK keeps equal weights in)."""
        found = strongest_paths(
            self.graph, self.source, self.target, self.max_hops, self.first, budget
        )
        bound = found[-1].weight + SLACK if len(found) == self.first else math.inf
        here = {r: w for r, w in self.frontier[self.source].items() if r not in self.graph.read}
        there = {r: w for r, w in self.frontier[self.target].items() if r not in self.graph.read}
        if not here or not there:
            return [], []
        here = {r: w for r, w in here.items() if w + min(there.values()) <= bound}
        if not here:
            return [], []
        there = {r: w for r, w in there.items() if min(here.values()) + w <= bound}
        return sorted(here), sorted(there)

    def add_middle(self, rows: list[Row], budget: WorkBudget) -> None:
        self.graph.add((), rows, budget)
        self.frontier = {self.source: {}, self.target: {}}
