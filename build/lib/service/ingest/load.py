"""Load validated tables into the graph: UNWIND batches, all after validation succeeds."""

from __future__ import annotations

import datetime as dt
import functools
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from service.ingest.csv_format import read_folder
from service.ingest.validate import KnownRecord, Plan, Validator
from service.logs import get_logger, phase
from service.model import load_model
from service.placement import derive_place_access
from service.store.base import Step, Store

log = get_logger(__name__)
Lookup = Callable[[set[str]], Awaitable[dict[str, KnownRecord]]]
LOOKUP_CHUNK = 5000


@dataclass(frozen=True)
class LoadReport:
    rows: dict[str, int]  # per label / relationship type
    written: int
    changed: int  # rows that created a record or changed a property
    seconds: float


async def load_folder(
    store: Store,
    folder: Path,
    batch_size: int,
    progress: Callable[[int], None] | None = None,
    on_plan: Callable[[Plan], None] | None = None,
    atomic_rows: int = 50_000,
) -> LoadReport:
    """Validate a folder in the interchange format and write it all, or raise InvalidInput."""
    tables = read_folder(folder, load_model())
    return await load_tables(store, tables, batch_size, progress, on_plan, atomic_rows)


async def load_tables(
    store: Store,
    tables: dict[str, pd.DataFrame],
    batch_size: int,
    progress: Callable[[int], None] | None = None,
    on_plan: Callable[[Plan], None] | None = None,
    atomic_rows: int = 50_000,
    lookup: Lookup | None = None,
) -> LoadReport:
    """Validate interchange tables (by file name) and write them; nothing is written on error.

    `lookup` finds the records the tables refer to; by default the whole graph (the operator's
    view). The API passes the viewer's, so that a reference to a hidden record reads as a
    reference to nothing.

    Up to `atomic_rows` rows go in one transaction where the database has them (Neo4j); a
    larger load commits batch by batch. Either way validation comes first, so bad data never
    writes anything, and loading is idempotent, so a load cut short by a database failure is
    completed by running it again.
    """
    started = time.perf_counter()
    with phase(log, "load", tables=len(tables)) as loaded:
        plan = await _validate(store, tables, lookup)
        if on_plan:
            on_plan(plan)
        placed = placed_by(plan)
        written, changed = await _write(store, plan, placed, batch_size, progress, atomic_rows)
        # Moving a territory may change the region above every place below it: derive them all.
        await derive_place_access(store, None if "PART_OF" in plan.relationships else placed)
        loaded.update(rows=plan.size, changed=changed)
    return LoadReport(plan.counts(), written, changed, time.perf_counter() - started)


async def _validate(store: Store, tables: dict[str, pd.DataFrame], lookup: Lookup | None) -> Plan:
    with phase(log, "validation", tables=len(tables)) as validated:
        validator = Validator(load_model(), tables)
        look_up = lookup or functools.partial(lookup_known, store)
        plan = validator.plan(await look_up(validator.ids_to_look_up()))
        validated["rows"] = plan.size
    return plan


async def _write(
    store: Store,
    plan: Plan,
    placed: list[str],
    batch_size: int,
    progress: Callable[[int], None] | None,
    atomic_rows: int,
) -> tuple[int, int]:
    """Write the plan (after closing the placing ties it may change); (written, changed)."""
    steps = plan_steps(plan, batch_size, now=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    steps.insert(0, ("close_place_ties", {"ids": placed, "types": load_model().place_types}))
    units = [steps] if plan.size <= atomic_rows else [[step] for step in steps]
    written = changed = 0
    with phase(log, "writing", rows=plan.size, statements=len(steps)) as wrote:
        for unit in units:
            for result in (rows[0] for rows in await store.write_all(unit, progress) if rows):
                written += int(result.get("written", 0))
                changed += int(result.get("changed", 0))
        wrote.update(written=written, changed=changed)
    return written, changed


async def lookup_known(store: Store, ids: set[str]) -> dict[str, KnownRecord]:
    """Labels (and, for sources, grades) of the given ids that are already in the graph."""
    ordered = sorted(ids)
    known: dict[str, KnownRecord] = {}
    for i in range(0, len(ordered), LOOKUP_CHUNK):
        for row in await store.operator_read("records_by_id", ids=ordered[i : i + LOOKUP_CHUNK]):
            known[row["id"]] = KnownRecord(row["label"], row["reliability"], row["credibility"])
    return known


def placed_by(plan: Plan) -> list[str]:
    """The records whose placing ties a load may change (service/placement.py): its records,
    the starts of its placing ties and the incidents of its targets."""
    model = load_model()
    ids = {row["id"] for rows in plan.nodes.values() for row in rows}
    for kind, rows in plan.relationships.items():
        if kind in model.place_types or kind == "TARGETED":
            ids.update(row["from_id"] for row in rows)
    return sorted(ids)


def plan_steps(plan: Plan, batch_size: int, now: str) -> list[Step]:
    """UNWIND batches in write order: nodes first, then relationships between them."""
    model = load_model()
    steps: list[Step] = []
    groups: list[tuple[str, list[dict[str, Any]]]] = [
        *((model.labels[label].upsert_statement, rows) for label, rows in plan.nodes.items()),
        *(
            (model.relationship_types[t].upsert_statement, rows)
            for t, rows in plan.relationships.items()
        ),
    ]
    for statement, rows in groups:
        for i in range(0, len(rows), batch_size):
            steps.append((statement, {"rows": rows[i : i + batch_size], "now": now}))
    return steps
