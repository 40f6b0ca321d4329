"""Build small interchange tables in code, for hand-made test graphs."""

from __future__ import annotations

from typing import Any

import pandas as pd

from service.access import Viewer
from service.ingest.load import LoadReport, load_tables
from service.store import Store


def tables(**files: list[dict[str, Any]]) -> dict[str, pd.DataFrame]:
    """`tables(actors=[{...}], relationships=[...])` -> {"actors.csv": DataFrame of text}."""
    out = {}
    for name, rows in files.items():
        if not rows:
            continue
        frame = pd.DataFrame(rows).fillna("")
        out[f"{name}.csv"] = frame.map(lambda v: ";".join(v) if isinstance(v, list) else str(v))
    return out


async def load_rows(store: Store, **files: list[dict[str, Any]]) -> LoadReport:
    return await load_tables(store, tables(**files), batch_size=100)


async def record(store: Store, record_id: str, viewer: Viewer) -> dict[str, Any] | None:
    """The record as `viewer` sees it through the API's statement, or None."""
    rows = await store.read("records_by_ids", ids=[record_id], **viewer.params())
    return rows[0]["record"] if rows else None


async def links(
    store: Store, record_id: str, viewer: Viewer, as_of: str, types: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """Every link of a record that `viewer` sees on `as_of` (one page of up to 1000)."""
    rows = await store.read(
        "links_of_many",
        ids=[record_id],
        types=list(types),
        direction="BOTH",
        as_of=as_of,
        offset=0,
        first=1000,
        **viewer.params(),
    )
    return rows[0]["links"] if rows else []
