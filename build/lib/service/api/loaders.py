"""DataLoaders: every nested field is fetched for all parents at once, one statement each."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from strawberry.dataloader import DataLoader

from service.access import Viewer
from service.api.types.links import LinkKey
from service.api.types.records import Node, node_from_row
from service.store import Row, Store


def record_loader(store: Store, viewer: Viewer) -> DataLoader[str, Node | None]:
    # Loading is not reading: the audit log notes only what a field returns (api/audit.py).
    async def load(ids: list[str]) -> list[Node | None]:
        rows = await store.read("records_by_ids", ids=list(dict.fromkeys(ids)), **viewer.params())
        found = {row["record"]["id"]: node_from_row(row) for row in rows}
        return [found.get(i) for i in ids]

    return DataLoader(load_fn=load)


def link_loader(store: Store, viewer: Viewer) -> DataLoader[LinkKey, tuple[int, list[Row]]]:
    async def load(keys: list[LinkKey]) -> list[tuple[int, list[Row]]]:
        # Keys that differ only by record share one statement.
        groups: dict[tuple[tuple[str, ...], str, str, int, int], list[str]] = defaultdict(list)
        for key in keys:
            groups[(key.types, key.direction, key.as_of, key.offset, key.first)].append(key.id)
        pages: dict[LinkKey, tuple[int, list[Row]]] = {}
        for (types, direction, as_of, offset, first), ids in groups.items():
            rows = await store.read(
                "links_of_many",
                ids=sorted(set(ids)),
                types=list(types),
                direction=direction,
                as_of=as_of,
                offset=offset,
                first=first,
                **viewer.params(),
            )
            for row in rows:
                key = LinkKey(row["source"], types, direction, as_of, offset, first)
                pages[key] = (int(row["total"]), row["links"])
        return [pages.get(key, (0, [])) for key in keys]

    return DataLoader(load_fn=load)


def holders_loader(store: Store, viewer: Viewer) -> DataLoader[str, list[Row]]:
    """Case id -> the other organizations that hold a case confirmed as the same."""

    async def load(ids: list[str]) -> list[list[Row]]:
        today = dt.datetime.now(dt.UTC).date().isoformat()  # whose case it is, today
        rows = await store.read(
            "also_held_by", ids=sorted(set(ids)), today=today, **viewer.params()
        )
        found = {row["case"]: row["holders"] for row in rows}
        return [found.get(i, []) for i in ids]

    return DataLoader(load_fn=load)
