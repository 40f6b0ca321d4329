"""Shadow power of actors (docs/methodology.md): how much formal power and territory an actor
reaches through covert relationships, its brokerage between state and non-state actors, its
territorial control and the incidents attributed to it, each discounted by confidence."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from dataclasses import dataclass

from service.access import Viewer
from service.analytics.cache import cached
from service.analytics.offload import WorkBudget, run_off_loop
from service.analytics.projection import ActorNetwork, accountable, project
from service.analytics.questions import logged_question
from service.analytics.risk import Factor, Incident, incident_weight
from service.analytics.weights import Weights, load_weights
from service.store import Row, Store

SHADOW_POWER = "SHADOW_POWER"


@dataclass(frozen=True)
class CovertPath:
    actors: tuple[str, ...]
    ties: tuple[str, ...]
    strength: float  # product of confidences, discounted per hop beyond the first
    links: tuple[Row, ...] = ()  # the ties themselves: id, type, source, target, confidence


@dataclass(frozen=True)
class ShadowPower:
    actor: str
    score: float
    covert_reach: float
    brokerage: float
    territorial_control: float
    attributed_incidents: float
    evidence: tuple[CovertPath, ...]
    terms: tuple[Factor, ...] = ()  # the four components: score = the sum of contributions


def _covert_steps(network: ActorNetwork, weights: Weights) -> dict[str, list[tuple[str, Row]]]:
    """Where covert power flows: collusion both ways, the other covert types one way."""
    steps: dict[str, list[tuple[str, Row]]] = defaultdict(list)
    for tie in network.ties:
        if not network.covert(tie, weights.covert_defaults):
            continue
        steps[tie["source"]].append((tie["target"], tie))
        if tie["type"] == "COLLUDES_WITH":
            steps[tie["target"]].append((tie["source"], tie))
    return steps


def covert_reach(
    network: ActorNetwork,
    steps: dict[str, list[tuple[str, Row]]],
    actor: str,
    weights: Weights,
) -> tuple[float, list[CovertPath]]:
    """Sum over the state actors reached covertly (along `steps`) of the best discounted path
    to each."""
    w = weights.shadow_power
    best: dict[str, CovertPath] = {}
    frontier = [CovertPath((actor,), (), 1.0)]
    for hop in range(1, w.max_hops + 1):
        nxt = []
        for path in frontier:
            for target, tie in steps.get(path.actors[-1], []):
                if target in path.actors:
                    continue
                factor = float(tie["confidence"] or 0.0) * (w.distance_discount if hop > 1 else 1.0)
                step = CovertPath(
                    (*path.actors, target),
                    (*path.ties, tie["id"]),
                    path.strength * factor,
                    (*path.links, tie),
                )
                nxt.append(step)
                if network.sector(target) == "state" and (
                    target not in best or step.strength > best[target].strength
                ):
                    best[target] = step
        frontier = nxt
    paths = sorted(best.values(), key=lambda p: (-p.strength, p.actors))
    return sum(p.strength for p in paths), paths


@dataclass(frozen=True)
class _Ties:
    """The ties indexed once per ranking: looking them over per actor was quadratic (40 s for
    the whole graph at --scale 10)."""

    direct: set[frozenset[str]]  # pairs with a tie of any kind
    covert: dict[str, dict[str, float]]  # actor -> covert neighbour -> best confidence

    @classmethod
    def of(cls, network: ActorNetwork, weights: Weights) -> _Ties:
        direct: set[frozenset[str]] = set()
        covert: dict[str, dict[str, float]] = defaultdict(dict)
        for tie in network.ties:
            ends = (tie["source"], tie["target"])
            direct.add(frozenset(ends))
            if network.covert(tie, weights.covert_defaults) and ends[0] != ends[1]:
                confidence = float(tie["confidence"] or 0.0)
                for here, there in (ends, ends[::-1]):
                    covert[here][there] = max(covert[here].get(there, 0.0), confidence)
        return cls(direct, covert)


def brokerage(network: ActorNetwork, ties: _Ties, actor: str) -> tuple[float, list[str]]:
    """Pairs of a state and a non-state actor that only this actor ties together covertly
    (they have no tie of any kind with each other), each weighted by the two covert ties'
    confidences; and the actors of those pairs."""
    neighbours = ties.covert.get(actor, {})
    direct = ties.direct
    total, brokered = 0.0, set[str]()
    for u, v in itertools.combinations(sorted(neighbours), 2):
        if {network.sector(u), network.sector(v)} == {"state", "non_state"} and frozenset(
            (u, v)
        ) not in direct:
            total += neighbours[u] * neighbours[v]
            brokered.update((u, v))
    return total, sorted(brokered)


def territorial_control(
    network: ActorNetwork, actor_id: str, weights: Weights
) -> tuple[float, list[str]]:
    """Covert control (a dispute at `dispute`) x degree x confidence, summed; and the places."""
    total, places = 0.0, []
    for place in network.actors[actor_id]["presence"]:
        share = {"CONTROLS": 1.0, "DISPUTES": weights.shadow_power.dispute}.get(place["type"], 0.0)
        if not share or not network.covert_presence(actor_id, place, weights.covert_defaults):
            continue
        degree = place["degree"] if place["degree"] is not None else 1.0
        total += share * float(degree) * float(place["confidence"] or 0.0)
        places.append(place["territory"])
    return total, places


def attributed_incidents(actor: Row, as_of: dt.date, weights: Weights) -> tuple[float, list[str]]:
    """Incidents attributed to an actor that is not openly accountable, weighted; their ids."""
    if accountable(actor):
        return 0.0, []
    by_attribution = weights.shadow_power.attribution
    total = sum(
        incident_weight(Incident(i["id"], int(i["severity"]), i["date"], True), as_of, weights.risk)
        * by_attribution.get(i["attribution"] or "suspected", 0.0)
        for i in actor["incidents"]
    )
    return total, [i["id"] for i in actor["incidents"]]


def rank(
    network: ActorNetwork, as_of: dt.date, weights: Weights, budget: WorkBudget | None = None
) -> list[ShadowPower]:
    """Every actor by shadow power; `budget`, if given, is charged one step per actor."""
    w = weights.shadow_power
    steps, ties = _covert_steps(network, weights), _Ties.of(network, weights)
    ranked = []
    for actor_id, actor in network.actors.items():
        if budget is not None:
            budget.spend()
        reach, paths = covert_reach(network, steps, actor_id, weights)
        broker, brokered = brokerage(network, ties, actor_id)
        control, places = territorial_control(network, actor_id, weights)
        incidents, attributed = attributed_incidents(actor, as_of, weights)
        reached = tuple(p.actors[-1] for p in paths)
        terms = (
            Factor("covert_reach", SHADOW_POWER, reach, w.reach, reached, (("count", len(paths)),)),
            Factor("brokerage", SHADOW_POWER, broker, w.brokerage, tuple(brokered)),
            Factor("territorial_control", SHADOW_POWER, control, w.territory, tuple(places)),
            Factor(
                "attributed_incidents",
                SHADOW_POWER,
                incidents,
                w.incidents,
                tuple(attributed),
                (("count", len(attributed)),),
            ),
        )
        total = sum(term.contribution for term in terms)
        if total <= 0:  # no hidden component: not hidden power (docs/methodology.md)
            continue
        ranked.append(
            ShadowPower(actor_id, total, reach, broker, control, incidents, tuple(paths[:5]), terms)
        )
    ranked.sort(key=lambda s: (-s.score, s.actor))
    return ranked


@logged_question
async def shadow_power(
    store: Store,
    viewer: Viewer,
    as_of: dt.date,
    territory: str | None = None,
    first: int = 20,
    weights: Weights | None = None,
) -> list[ShadowPower]:
    """Actors present in the territory, by shadow power, strongest first; the ranking is cached
    like the projection it rests on (service/analytics/cache.py)."""
    w = weights or load_weights()

    async def ranking() -> list[ShadowPower]:
        network = await project(store, viewer, territory, as_of.isoformat())
        budget = WorkBudget.cancellable("shadowPower")
        return await run_off_loop(budget, rank, network, as_of, w, budget)

    question = ("shadow_power", territory, as_of.isoformat(), w.model_dump_json())
    return (await cached(store, viewer, question, ranking))[:first]
