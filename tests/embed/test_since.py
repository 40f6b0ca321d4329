"""The "since" mode of the embed views: what began or happened between two days is marked
`new`, computed from what the viewer may see, on both databases."""

from __future__ import annotations

import datetime as dt

from service.access import Role, Tlp, Viewer
from service.embed.views import build_view, view_json
from service.store import Store
from tests.support.watch_world import leaks, load_world

A = Viewer("org-a", Role.READER, Tlp.RED)
SINCE, AS_OF = dt.date(2024, 1, 1), dt.date(2024, 6, 30)


async def test_new_ties_are_marked_since_a_day(store: Store) -> None:
    await load_world(store)
    graph = await build_view(store, "neighbourhood", {"id": "act-police"}, A, AS_OF)
    body = view_json(graph, "neighbourhood", {"id": "act-police"}, AS_OF, Tlp.RED, SINCE)
    new = {e["id"] for e in body["edges"] if e["new"]}
    assert new == {"rel-collusion"} and body["since"] == "2024-01-01"
    assert leaks(body) == []
    plain = view_json(graph, "neighbourhood", {"id": "act-police"}, AS_OF, Tlp.RED)
    assert not any(e["new"] for e in plain["edges"]) and plain["since"] is None
