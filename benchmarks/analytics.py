"""Power analytics benchmark: p50/p95 of each analytics field and the service's memory.

Generates a dataset (`--scale`), loads it into a fresh embedded FalkorDB (or a Neo4j with
`--backend neo4j`), then times each field as the API runs it (the same service functions,
in-process, for one viewer: an international NGO cleared for RED) over several runs, for
territories drawn from the data. For influencePaths it also times networkx alone on the
subgraph it read (benchmarks/influence_hub.py, which also runs alone on both databases).

    python benchmarks/analytics.py --scale 10 --runs 5

Every timed call is cold (the cache is bypassed by moving the graph version on); one line shows
a repeated question answered from the cache.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import datetime as dt
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import psutil

from service.access import Role, Tlp, Viewer
from service.analytics import influence_paths as paths_module
from service.analytics.collusion import collusion_view
from service.analytics.power_map import power_map
from service.analytics.projection import project
from service.analytics.protection_gaps import protection_gaps
from service.analytics.risk import at_risk_defenders
from service.analytics.shadow_power import shadow_power
from service.analytics.weights import load_weights
from service.config import Settings
from service.errors import QueryTimeout
from service.generate import write_dataset
from service.ingest.load import load_folder
from service.store import Store, embedded_server, open_store

sys.path.insert(0, str(Path(__file__).resolve().parent))
from influence_hub import hub_paths, paths_ratio  # the influence part: shared with its benchmark

AS_OF = dt.date(2026, 11, 1)


def rows(folder: Path, file: str) -> list[dict[str, str]]:
    with (folder / file).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def hub_id(folder: Path) -> str:
    """The record with the most relationships: the hub of `--profile hub`."""
    degree: dict[str, int] = {}
    for r in rows(folder, "relationships.csv"):
        for end in (r["from_id"], r["to_id"]):
            degree[end] = degree.get(end, 0) + 1
    return max(degree, key=lambda i: (degree[i], i))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def timed(store: Store, work: Callable[[], Awaitable[Any]], runs: int) -> list[float]:
    """Milliseconds per call, each cold: the graph version is moved on first, so the analytics
    cache (service/analytics/cache.py) cannot answer."""
    times = []
    for _ in range(runs):
        await store.write("bump_graph_version")
        started = time.perf_counter()
        await work()
        times.append((time.perf_counter() - started) * 1000)
    return times


async def run(store: Store, folder: Path, runs: int, hub: str | None = None) -> None:
    rng = random.Random(7)
    orgs = [r["id"] for r in rows(folder, "organizations.csv") if r["kind"] == "ingo"]
    viewer = Viewer(orgs[0], Role.READER, Tlp.RED)
    regions = [r["id"] for r in rows(folder, "territories.csv") if r["kind"] == "region"]
    colluding = [
        r
        for r in rows(folder, "relationships.csv")
        if r["type"] == "COLLUDES_WITH" and r["tlp"] in ("CLEAR", "GREEN")
    ]
    weights = load_weights()

    def region() -> str:
        return rng.choice(regions)

    async def collusion() -> None:
        collusion_view(await project(store, viewer, region(), AS_OF.isoformat()))

    fields: dict[str, Callable[[], Awaitable[Any]]] = {
        "shadowPower(territory)": lambda: shadow_power(
            store, viewer, AS_OF, region(), weights=weights
        ),
        "atRiskDefenders(territory)": lambda: at_risk_defenders(
            store, viewer, AS_OF, region(), weights=weights.risk
        ),
        "atRiskDefenders(all)": lambda: at_risk_defenders(
            store, viewer, AS_OF, None, weights=weights.risk
        ),
        "collusionNetwork(territory)": collusion,
        "powerMap(territory)": lambda: power_map(store, viewer, region(), AS_OF),
        "protectionGaps(territory)": lambda: protection_gaps(
            store, viewer, AS_OF, weights.risk, region()
        ),
        "influencePaths(maxHops=4)": lambda: paths_module.influence_paths(
            store,
            viewer,
            *(lambda r: (r["from_id"], r["to_id"]))(rng.choice(colluding)),
            AS_OF.isoformat(),
        ),
    }
    print(f"{'field':<30} {'p50 ms':>9} {'p95 ms':>9}   ({runs} runs)")
    for name, work in fields.items():
        try:
            await work()  # warm-up
            times = await timed(store, work, runs)
        except QueryTimeout:
            print(f"{name:<30} over the {store.read_timeout_s:.0f} s statement budget")
            continue
        print(f"{name:<30} {statistics.median(times):>9.1f} {percentile(times, 0.95):>9.1f}")
    same_region = regions[0]
    await shadow_power(store, viewer, AS_OF, same_region, weights=weights)
    started = time.perf_counter()
    await shadow_power(store, viewer, AS_OF, same_region, weights=weights)
    print(
        f"shadowPower(territory) again, from the cache: {(time.perf_counter() - started) * 1000:.1f} ms"
    )
    pairs = [(r["from_id"], r["to_id"]) for r in rng.sample(colluding, min(runs, len(colluding)))]
    ours, alone = await paths_ratio(store, viewer, pairs)
    print(
        f"influencePaths {ours:.1f} ms vs networkx alone on the subgraph it read {alone:.1f} ms: ratio {ours / max(alone, 1e-6):.1f}"
    )
    if hub is not None:
        await hub_paths(
            store, viewer, hub, rng, runs, [r["id"] for r in rows(folder, "actors.csv")]
        )


def memory_report(database_pid: int | None) -> None:
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    line = f"service process: peak RSS {peak_mb:.0f} MB"
    if database_pid:
        line += f"; database process RSS {psutil.Process(database_pid).memory_info().rss / 2**20:.0f} MB"
    print(line)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=10)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--profile",
        choices=("standard", "hub"),
        default="standard",
        help="hub: one actor with 750+ ties at --scale 3; influencePaths is also timed from it",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
        folder = Path(tmp) / "data"
        counts = write_dataset(folder, scale=args.scale, seed=7, profile=args.profile)
        settings = Settings(data_dir=Path(tmp) / "db")
        with embedded_server(settings) as address:
            settings = settings.model_copy(
                update={"graph_uri": f"falkordb://{address.host}:{address.port}"}
            )
            async with open_store(settings) as store:
                report = await load_folder(store, folder, 5000, atomic_rows=0)
                print(
                    f"scale {args.scale}: {sum(counts.values())} rows loaded in {report.seconds:.0f} s"
                )
                await run(
                    store, folder, args.runs, hub_id(folder) if args.profile == "hub" else None
                )
            import json

            pid = json.loads((settings.data_dir / "server.json").read_text())["pid"]
            memory_report(pid)


if __name__ == "__main__":
    asyncio.run(main())
