"""Build small interchange tables in code, for hand-made test graphs."""

from __future__ import annotations

from typing import Any

import pandas as pd

from service.ingest.load import LoadReport, load_tables
from service.store import Store


def tables(**files: list[dict[str, Any]]) -> dict[str, pd.DataFrame]:
    """`tables(actors=[{...}], relationships=[...])` -> {"actors.csv": DataFrame of text}."""
    out = {}
    for name, rows in files.items():
        frame = pd.DataFrame(rows).fillna("")
        out[f"{name}.csv"] = frame.map(lambda v: ";".join(v) if isinstance(v, list) else str(v))
    return out


async def load_rows(store: Store, **files: list[dict[str, Any]]) -> LoadReport:
    return await load_tables(store, tables(**files), batch_size=100)
