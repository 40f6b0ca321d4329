"""The actor network a viewer may see in a territory on a date, projected for the analytics.

Two statements, whatever the size: the actors present (with their places and attributed
incidents), then the relationships among them. Both databases hand over the same projection,
so every score computed on it in Python is the same on both.
"""

from __future__ import annotations

from dataclasses import dataclass

from service.access import Viewer
from service.analytics.cache import cached
from service.analytics.scope import territory_scope
from service.store import Row, Store

# Covert by nature; the other covert types are covert where their actor is not public.
ALWAYS_COVERT = frozenset({"COLLUDES_WITH"})
COVERT_WHEN_HIDDEN = frozenset({"INFILTRATES", "FUNDS", "COMMANDS"})


@dataclass(frozen=True)
class ActorNetwork:
    actors: dict[str, Row]  # id -> actor row (sector, kind, public, presence, incidents)
    ties: list[Row]  # id, type, source, target, confidence, mode

    def covert(self, tie: Row) -> bool:
        """Hidden power: collusion always; infiltration, funding, command by a non-public actor."""
        if tie["type"] in ALWAYS_COVERT:
            return True
        return tie["type"] in COVERT_WHEN_HIDDEN and not self.actors[tie["source"]]["public"]

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
    found = (
        await store.read("actor_ties", ids=sorted(actors), as_of=as_of, **params) if actors else []
    )
    return ActorNetwork(actors, [tie for tie in found if tie["target"] in actors])
