"""The territories a territory-scoped analytics question covers, computed once per question."""

from __future__ import annotations

from service.access import Viewer
from service.analytics.cache import cached
from service.store import Store


async def territory_scope(store: Store, viewer: Viewer, territory: str | None) -> list[str] | None:
    """The ids of `territory` and of those below it that the viewer may see (None: the whole
    graph). Several reads of one question share it, cached like the results built on it, so
    the PART_OF walk runs once until the graph changes."""
    if territory is None:
        return None
    return await cached(
        store,
        viewer,
        ("territory_scope", territory),
        lambda: store.territory_scope(territory, viewer.grants),
    )
