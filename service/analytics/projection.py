"""The actor network a viewer may see in a territory on a date, projected for the analytics.

Two statements, whatever the size: the actors present (with their places and attributed
incidents), then the relationships among them. Both databases hand over the same projection,
so every score computed on it in Python is the same on both.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from service.access import Viewer
from service.analytics.cache import cached
from service.analytics.scope import territory_scope
from service.analytics.weights import CovertDefaults
from service.store import Row, Store


def covert(kind: str, marked: bool | None, source_public: bool, defaults: CovertDefaults) -> bool:
    """Is a relationship hidden power: its `covert` mark when it has one, else the default
    table (docs/methodology.md, Covert ties)."""
    if marked is not None:
        return bool(marked)
    return kind in defaults.always or (kind in defaults.unless_public and not source_public)


def accountable(actor: Row) -> bool:
    """A state body, or an actor public about itself, answers openly for what it does."""
    return actor["sector"] == "state" or bool(actor["public"])


@dataclass(frozen=True)
class ActorNetwork:
    actors: dict[str, Row]  # id -> actor row (sector, kind, public, presence, incidents)
    ties: list[Row]  # id, type, source, target, confidence, mode, covert

    def covert(self, tie: Row, defaults: CovertDefaults) -> bool:
        """A tie between two actors, as hidden power."""
        public = accountable(self.actors[tie["source"]])
        return covert(tie["type"], tie.get("covert"), public, defaults)

    def covert_presence(self, actor: str, place: Row, defaults: CovertDefaults) -> bool:
        """A presence (CONTROLS, DISPUTES ...) of `actor` in a territory, as hidden power."""
        public = accountable(self.actors[actor])
        return covert(place["type"], place.get("covert"), public, defaults)

    def ties_of(self, actor: str) -> list[Row]:
        """The ties with `actor` at either end, in the network's order: looking an actor's
        ties up in the whole list, actor by actor, was quadratic in a large territory."""
        return self._ties_by_actor.get(actor, [])

    @cached_property
    def _ties_by_actor(self) -> dict[str, list[Row]]:
        index: dict[str, list[Row]] = defaultdict(list)
        for tie in self.ties:
            index[tie["source"]].append(tie)
            if tie["target"] != tie["source"]:
                index[tie["target"]].append(tie)
        return dict(index)

    def sector(self, actor: str) -> str:
        return str(self.actors[actor]["sector"])


async def project(store: Store, viewer: Viewer, territory: str | None, as_of: str) -> ActorNetwork:
    """The projection, cached until the graph changes (service/analytics/cache.py)."""
    return await cached(
        store,
        viewer,
        ("actor_network", territory, as_of),
        lambda: _project(store, viewer, territory, as_of),
    )


async def _project(store: Store, viewer: Viewer, territory: str | None, as_of: str) -> ActorNetwork:
    params = viewer.params()
    scope = await territory_scope(store, viewer, territory)
    rows = await store.read_over("actor_network", scope, as_of=as_of, **params)
    actors = {row["id"]: row for row in rows}
    if scope is None:  # every actor the viewer may see: both ends are among them
        found = await store.read("actor_ties_everywhere", as_of=as_of, **params)
    elif actors:
        found = await store.read("actor_ties", ids=sorted(actors), as_of=as_of, **params)
    else:
        found = []
    return ActorNetwork(actors, [tie for tie in found if tie["target"] in actors])
