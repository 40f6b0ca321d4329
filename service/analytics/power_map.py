"""The power map of a territory: every actor present, classed as visible, hidden or invisible
power with the reasons (docs/methodology.md), their ties, the defenders and organizations
there, and the incidents by kind and year."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from service.access import Viewer
from service.analytics.cache import cached
from service.analytics.projection import ActorNetwork, accountable, project
from service.analytics.questions import logged_question
from service.analytics.risk import Factor
from service.analytics.scope import territory_scope
from service.analytics.weights import CovertDefaults, PowerMapWeights, load_weights
from service.store import Row, Store

POWERS = ("HIDDEN", "INVISIBLE", "VISIBLE")  # the order a map lists them in
UNCLASSIFIED = "UNCLASSIFIED"


@dataclass(frozen=True)
class ActorPower:
    actor: str
    powers: tuple[str, ...]  # every class the evidence gives, in POWERS order; may be empty
    reasons: tuple[Factor, ...]  # each with its class as `term`

    @property
    def power(self) -> str:
        """The first class it holds, or UNCLASSIFIED: never VISIBLE by default."""
        return self.powers[0] if self.powers else UNCLASSIFIED


@dataclass(frozen=True)
class PowerMap:
    actors: tuple[ActorPower, ...]
    ties: tuple[Row, ...]
    defenders: tuple[str, ...]
    organizations: tuple[str, ...]
    incidents: tuple[tuple[str, str, int], ...]  # (year, kind, count)


def _confidence(row: Row) -> float:
    return float(row["confidence"] or 0.0)


def _tie_reasons(network: ActorNetwork, actor_id: str, defaults: CovertDefaults) -> list[Factor]:
    """Covert ties: collusion at either end, funding, command and infiltration from the actor."""
    reasons = []
    for tie in network.ties_of(actor_id):
        mine = tie["source"] == actor_id or (
            tie["type"] == "COLLUDES_WITH" and tie["target"] == actor_id
        )
        if not mine or not network.covert(tie, defaults):
            continue
        other = tie["target"] if tie["source"] == actor_id else tie["source"]
        code = "infiltration" if tie["type"] == "INFILTRATES" else "covert_tie"
        params = (("type", tie["type"]),)
        reasons.append(Factor(code, "HIDDEN", _confidence(tie), 1.0, (other, tie["id"]), params))
    return reasons


def _place_reasons(network: ActorNetwork, actor_id: str, defaults: CovertDefaults) -> list[Factor]:
    """Control of territory: covert (hidden power) or acknowledged (visible power)."""
    reasons = []
    for place in network.actors[actor_id]["presence"]:
        if place["type"] not in ("CONTROLS", "DISPUTES"):
            continue
        hidden = network.covert_presence(actor_id, place, defaults)
        if not hidden and place["type"] != "CONTROLS":
            continue  # an open dispute is no authority
        code, power = ("covert_control", "HIDDEN") if hidden else ("open_control", "VISIBLE")
        evidence = (place["territory"], place["id"])
        params = (("type", place["type"]),)
        reasons.append(Factor(code, power, _confidence(place), 1.0, evidence, params))
    return reasons


def _incident_reasons(actor: Row, kinds: dict[str, str], w: PowerMapWeights) -> list[Factor]:
    """Violence by an actor not openly accountable (hidden); stigmatization (invisible)."""
    reasons = []
    violent = sorted(
        i["id"] for i in actor["incidents"] if kinds.get(i["id"]) in w.violent_incidents
    )
    if violent and not accountable(actor):
        params = (("count", len(violent)),)
        reasons.append(
            Factor("unaccountable_violence", "HIDDEN", len(violent), 1.0, tuple(violent), params)
        )
    narrative = sorted(
        i["id"] for i in actor["incidents"] if kinds.get(i["id"]) in w.narrative_incidents
    )
    if narrative:
        params = (("count", len(narrative)),)
        reasons.append(
            Factor("stigmatization", "INVISIBLE", len(narrative), 1.0, tuple(narrative), params)
        )
    return reasons


def classify(
    network: ActorNetwork,
    actor_id: str,
    kinds: dict[str, str],
    weights: PowerMapWeights,
    defaults: CovertDefaults,
) -> ActorPower:
    """Every class the evidence gives the actor, each with its reasons (docs/methodology.md);
    `kinds` are the kinds of the incidents attributed to it, by id."""
    actor = network.actors[actor_id]
    reasons = [
        *_tie_reasons(network, actor_id, defaults),
        *_place_reasons(network, actor_id, defaults),
        *_incident_reasons(actor, kinds, weights),
    ]
    kind = (("kind", actor["kind"]),)
    if actor["kind"] in weights.narrative_kinds:
        reasons.append(Factor("narrative_actor", "INVISIBLE", 1.0, 1.0, (actor_id,), kind))
    if actor["sector"] == "state":
        reasons.append(Factor("formal_authority", "VISIBLE", 1.0, 1.0, (actor_id,), kind))
    reasons.sort(key=lambda r: (POWERS.index(r.term), -r.contribution, r.code, r.evidence))
    powers = tuple(p for p in POWERS if any(r.term == p for r in reasons))
    return ActorPower(actor_id, powers, tuple(reasons))


@logged_question
async def power_map(
    store: Store,
    viewer: Viewer,
    territory: str,
    as_of: dt.date,
    weights: PowerMapWeights | None = None,
    covert_defaults: CovertDefaults | None = None,
    exits: frozenset[str] | None = None,
) -> PowerMap:
    """`exits`: the statuses that take a defender off the map (killed, disappeared). Cached
    like the projection it rests on (service/analytics/cache.py)."""
    w = weights or load_weights().power_map
    defaults = covert_defaults or load_weights().covert_defaults
    gone = exits if exits is not None else load_weights().risk.victims.statuses
    question = (
        "power_map",
        territory,
        as_of.isoformat(),
        w.model_dump_json(),
        defaults.model_dump_json(),
        tuple(sorted(gone)),
    )
    return await cached(
        store,
        viewer,
        question,
        lambda: _power_map(store, viewer, territory, as_of, w, defaults, gone),
    )


async def _power_map(
    store: Store,
    viewer: Viewer,
    territory: str,
    as_of: dt.date,
    w: PowerMapWeights,
    defaults: CovertDefaults,
    gone: frozenset[str],
) -> PowerMap:
    day = as_of.isoformat()
    params = viewer.params()
    network = await project(store, viewer, territory, day)
    scope = await territory_scope(store, viewer, territory)
    present = await store.read("present_in_territory", scope=scope, as_of=day, **params)
    counts = await store.read("incident_counts", scope=scope, as_of=day, **params)
    kinds = {i["id"]: i["kind"] for a in network.actors.values() for i in a["incidents"]}
    by_label: dict[str, list[str]] = defaultdict(list)
    for row in present:
        if row["status"] not in gone:  # killed and disappeared: in `victims`, not working here
            by_label[row["label"]].append(row["id"])
    return PowerMap(
        actors=tuple(classify(network, a, kinds, w, defaults) for a in sorted(network.actors)),
        ties=tuple(network.ties),
        defenders=tuple(by_label["Defender"]),
        organizations=tuple(by_label["Organization"]),
        incidents=tuple((r["year"], r["kind"], int(r["count"])) for r in counts),
    )
