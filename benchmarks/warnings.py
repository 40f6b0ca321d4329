"""Cost of issue 17: the latency watches add to a write, and `changes` for a region.

Generates a dataset (`--scale`), loads it into a fresh embedded FalkorDB, sets `--watches`
watches across organizations (every kind, on supported defenders, regions and actors), then:

- records `--writes` incidents (each against a supported defender) through the same service
  call as `recordIncident`, timing the write alone and the evaluation of the watches it can make
  fire that follows it (what the mutation adds before it answers: service/warnings/triggers.py,
  reach.py): median and p95 of the added milliseconds, against evaluating every watch of the
  kinds an incident can fire (as before reach.py); then one scheduled pass over every watch,
  and each kind alone;
- times `changes` over the last year for `--runs` regions, cold (the graph version is moved on
  first): p50 and p95.

    python benchmarks/warnings.py --scale 10
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import statistics
import tempfile
import time
from pathlib import Path

from measures import percentile, rows

from service.access import Role, Tlp, Viewer
from service.analytics.changes import changes
from service.analytics.weights import load_weights
from service.config import Settings
from service.edits import record_incident
from service.generate import write_dataset
from service.ingest.load import load_folder
from service.store import Store, embedded_server, open_store
from service.warnings.evaluate import evaluate, firings
from service.warnings.runner import after_write
from service.warnings.triggers import kinds_after_record
from service.warnings.watches import WatchKind, active_watches, check_params, create_watch

UNTIL = dt.date(2026, 11, 1)


async def set_watches(
    store: Store, folder: Path, count: int, rng: random.Random
) -> tuple[list[str], list[str]]:
    """`count` watches of organizations with supported defenders; returns the regions and the
    defenders they may watch."""
    supports = [r for r in rows(folder, "relationships.csv") if r["type"] == "SUPPORTS"]
    defenders = {r["id"] for r in rows(folder, "defenders.csv") if r["tlp"] in ("CLEAR", "GREEN")}
    pairs = [(r["from_id"], r["to_id"]) for r in supports if r["to_id"] in defenders]
    regions = [
        r["id"]
        for r in rows(folder, "territories.csv")
        if r["kind"] == "region" and r["tlp"] in ("CLEAR", "GREEN")
    ]
    kinds = [
        (
            WatchKind.RISK_LEVEL,
            "defender",
            check_params(WatchKind.RISK_LEVEL, "HIGH", None, None, None),
        ),
        (WatchKind.INCIDENT_AGAINST, "defender", {}),
        (WatchKind.COVERT_TIE, "region", {}),
        (
            WatchKind.INCIDENT_COUNT,
            "region",
            check_params(WatchKind.INCIDENT_COUNT, None, "threat", 3, 30),
        ),
        (WatchKind.KILLING_NEARBY, "region", {}),
    ]
    for i in range(count):
        org, defender = rng.choice(pairs)
        kind, subject, params = kinds[i % len(kinds)]
        viewer = Viewer(org, Role.ADMIN, Tlp.RED)
        target = defender if subject == "defender" else rng.choice(regions)
        await create_watch(store, viewer, kind, target, params, "bench")
    return regions, sorted({defender for _org, defender in pairs})


async def run(store: Store, folder: Path, args: argparse.Namespace) -> None:
    rng = random.Random(7)
    weights = load_weights().risk
    regions, defenders = await set_watches(store, folder, args.watches, rng)
    municipalities = [
        r["id"]
        for r in rows(folder, "territories.csv")
        if r["kind"] == "municipality" and r["tlp"] in ("CLEAR", "GREEN")
    ]
    actors = [r["id"] for r in rows(folder, "actors.csv") if r["tlp"] in ("CLEAR", "GREEN")]
    writer = Viewer(rows(folder, "organizations.csv")[0]["id"], Role.ANALYST, Tlp.RED)
    writes, added, every = [], [], []
    kinds = kinds_after_record("Incident")
    for i in range(args.writes):
        incident = {
            "kind": rng.choice(["threat", "attack", "killing"]),
            "severity": 4,
            "date": UNTIL.isoformat(),
            "tlp": "GREEN",
            "territory_id": rng.choice(municipalities),
        }
        perpetrators = [(rng.choice(actors), "alleged")]
        started = time.perf_counter()
        saved = await record_incident(
            store, writer, incident, perpetrators, [rng.choice(defenders)]
        )
        writes.append((time.perf_counter() - started) * 1000)
        # What a write adds (only the watches the incident can reach), against evaluating every
        # watch of the kinds an incident can make fire; in turns, since the first records.
        for turn in (i % 2, 1 - i % 2):
            started = time.perf_counter()
            if turn:
                await after_write(store, weights, None, kinds, saved)
            else:
                await evaluate(store, weights, kinds=kinds)
            (added if turn else every).append((time.perf_counter() - started) * 1000)
    print(f"{args.watches} watches; the write alone: median {statistics.median(writes):.0f} ms")
    print(
        f"evaluating the watches after a write: median {statistics.median(added):.0f} ms, "
        f"p95 {percentile(added, 0.95):.0f} ms ({args.writes} writes); every watch of the "
        f"kinds an incident can fire: median {statistics.median(every):.0f} ms, "
        f"p95 {percentile(every, 0.95):.0f} ms"
    )
    started = time.perf_counter()
    await evaluate(store, weights)
    print(f"a scheduled pass over every watch: {(time.perf_counter() - started) * 1000:.0f} ms")
    by_kind: dict[str, list[float]] = {}
    for watch in await active_watches(store):
        started = time.perf_counter()
        await firings(store, watch, UNTIL, weights)
        by_kind.setdefault(watch.kind.value, []).append((time.perf_counter() - started) * 1000)
    print(
        "one watch alone, median ms by kind: "
        + ", ".join(f"{k} {statistics.median(v):.0f}" for k, v in sorted(by_kind.items()))
    )
    viewer = Viewer(writer.org, Role.READER, Tlp.RED)
    times = []
    for region in rng.sample(regions, min(args.runs, len(regions))):
        await store.write("bump_graph_version")
        started = time.perf_counter()
        await changes(store, viewer, region, UNTIL - dt.timedelta(days=365), UNTIL, weights)
        times.append((time.perf_counter() - started) * 1000)
    print(
        f"changes(region, one year): p50 {percentile(times, 0.5):.0f} ms, "
        f"p95 {percentile(times, 0.95):.0f} ms ({len(times)} regions, cold)"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=10)
    parser.add_argument("--watches", type=int, default=50)
    parser.add_argument("--writes", type=int, default=15)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        write_dataset(folder, scale=args.scale, seed=7)
        settings = Settings(data_dir=Path(tmp) / "db")
        with embedded_server(settings) as address:
            settings = settings.model_copy(
                update={"graph_uri": f"falkordb://{address.host}:{address.port}"}
            )
            async with open_store(settings) as store:
                started = time.perf_counter()
                await load_folder(store, folder, 5000, atomic_rows=0)
                print(f"scale {args.scale}: loaded in {time.perf_counter() - started:.0f} s")
                await run(store, folder, args)


if __name__ == "__main__":
    asyncio.run(main())
