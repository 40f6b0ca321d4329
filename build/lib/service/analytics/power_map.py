"""The power map of a territory: every actor present, classed as visible, hidden or invisible
power with the reasons (docs/methodology.md), their ties, the defenders and organizations
there, and the incidents by kind and year."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from service.access import Viewer
from service.analytics.projection import ActorNetwork, project
from service.analytics.questions import logged_question
from service.analytics.scope import territory_scope
from service.analytics.weights import PowerMapWeights, load_weights
from service.store import Row, Store


@dataclass(frozen=True)
class ActorPower:
    actor: str
    power: str  # VISIBLE, HIDDEN or INVISIBLE: the strongest that applies
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class PowerMap:
    actors: tuple[ActorPower, ...]
    ties: tuple[Row, ...]
    defenders: tuple[str, ...]
    organizations: tuple[str, ...]
    incidents: tuple[tuple[str, str, int], ...]  # (year, kind, count)


def classify(
    network: ActorNetwork, actor_id: str, narrative_incidents: set[str], weights: PowerMapWeights
) -> ActorPower:
    """Hidden where it holds covert ties; invisible where it shapes narratives; else visible."""
    actor = network.actors[actor_id]
    hidden = [
        f"{t['type']} {t['target'] if t['source'] == actor_id else t['source']}"
        for t in network.ties
        if actor_id in (t["source"], t["target"]) and network.covert(t)
    ]
    invisible = []
    if actor["kind"] in weights.narrative_kinds:
        invisible.append(f"a {actor['kind'].replace('_', ' ')} shapes what is said of defenders")
    stigmatizing = sorted(i["id"] for i in actor["incidents"] if i["id"] in narrative_incidents)
    if stigmatizing:
        invisible.append("stigmatization attributed: " + ", ".join(stigmatizing))
    visible = []
    if actor["sector"] == "state":
        visible.append(f"formal authority ({actor['kind'].replace('_', ' ')})")
    controls = [p["territory"] for p in actor["presence"] if p["type"] == "CONTROLS"]
    if controls and actor["public"]:
        visible.append("openly controls " + ", ".join(sorted(controls)))
    for power, reasons in (("HIDDEN", hidden), ("INVISIBLE", invisible), ("VISIBLE", visible)):
        if reasons:
            return ActorPower(actor_id, power, tuple(sorted(hidden) + invisible + visible))
    return ActorPower(actor_id, "VISIBLE", ("present, no formal or covert power seen",))


@logged_question
async def power_map(
    store: Store,
    viewer: Viewer,
    territory: str,
    as_of: dt.date,
    weights: PowerMapWeights | None = None,
) -> PowerMap:
    w = weights or load_weights().power_map
    day = as_of.isoformat()
    params = viewer.params()
    network = await project(store, viewer, territory, day)
    scope = await territory_scope(store, viewer, territory)
    present = await store.read("present_in_territory", scope=scope, as_of=day, **params)
    counts = await store.read("incident_counts", scope=scope, as_of=day, **params)
    ids = sorted({i["id"] for a in network.actors.values() for i in a["incidents"]})
    narrative = {
        r["record"]["id"]
        for r in await store.read("records_by_ids", ids=ids, **params)
        if r["record"].get("kind") in w.narrative_incidents
    }
    by_label: dict[str, list[str]] = defaultdict(list)
    for row in present:
        by_label[row["label"]].append(row["id"])
    return PowerMap(
        actors=tuple(classify(network, a, narrative, w) for a in sorted(network.actors)),
        ties=tuple(network.ties),
        defenders=tuple(by_label["Defender"]),
        organizations=tuple(by_label["Organization"]),
        incidents=tuple((r["year"], r["kind"], int(r["count"])) for r in counts),
    )
