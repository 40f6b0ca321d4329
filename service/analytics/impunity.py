"""Impunity: of the incidents attributed to an actor (or that happened in a territory), how
many reached each stage of a case, as far as the cases the viewer may see tell."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from functools import cache

from service.access import Viewer
from service.analytics.changes import incident_facts
from service.analytics.periods import Period
from service.analytics.scope import territory_scope
from service.model import load_model
from service.store import Store

EARLIEST = dt.date(1900, 1, 1)


@cache
def stages() -> tuple[str, ...]:
    """The case stages, in the order of the Case properties `<stage>_on` in the model."""
    names = load_model().enums["case_stage"]
    props = load_model().labels["Case"].properties
    return tuple(p.removesuffix("_on") for p in props if p.removesuffix("_on") in names)


@dataclass(frozen=True)
class StageCount:
    stage: str
    incidents: int  # incidents documented by at least one case that reached the stage
    first_reached: str | None  # the earliest day a case reached it


@dataclass(frozen=True)
class Impunity:
    incidents: int
    by_attribution: dict[str, int]
    documented: int  # incidents with at least one case the viewer may see
    stages: tuple[StageCount, ...]
    incident_ids: tuple[str, ...]


async def impunity(
    store: Store,
    viewer: Viewer,
    actor: str | None = None,
    territory: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Impunity:
    """Exactly one of `actor` or `territory` (the resolver checks)."""
    low, high = start or EARLIEST, end or dt.datetime.now(dt.UTC).date()
    attribution: Counter[str] = Counter()
    if actor is not None:
        rows = await store.read(
            "incidents_of_actor",
            actor=actor,
            **{"from": low.isoformat(), "to": high.isoformat()},
            **viewer.params(),
        )
        attribution.update(r["attribution"] or "unknown" for r in rows)
    else:
        scope = await territory_scope(store, viewer, territory) or []
        rows = await incident_facts(store, viewer, scope, Period(low, high)) if scope else []
    ids = sorted({r["id"] for r in rows})
    properties = [f"{stage}_on" for stage in stages()]
    cases = await store.read("cases_documenting", ids=ids, stages=properties, **viewer.params())
    reached: dict[str, set[str]] = {s: set() for s in stages()}
    first: dict[str, str] = {}
    for row in cases:
        for stage, day in zip(stages(), row["days"], strict=True):
            if day:
                reached[stage].add(row["incident"])
                first[stage] = min(first.get(stage, day), day)
    return Impunity(
        incidents=len(ids),
        by_attribution=dict(attribution),
        documented=len({r["incident"] for r in cases}),
        stages=tuple(StageCount(s, len(reached[s]), first.get(s)) for s in stages()),
        incident_ids=tuple(ids),
    )
