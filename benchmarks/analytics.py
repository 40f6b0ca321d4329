"""Power analytics benchmark: p50/p95 of each analytics field and the service's memory.

Generates a dataset (`--scale`), loads it into a fresh embedded FalkorDB (or a Neo4j 5 with
`--backend neo4j`), then times each field as the API runs it (the same service functions,
in-process, for one viewer: an international NGO cleared for RED) over several runs, for
territories drawn from the data. For influencePaths it also times networkx alone on the
subgraph it read (benchmarks/influence_hub.py, which also runs alone on both databases).

    python benchmarks/analytics.py --scale 10 --runs 5

Each field is timed right after a write (the graph version moved on, so the analytics cache
cannot answer: what the first dashboard after any write pays) and then warm (the same question
again, nothing changed since). `--keep DIR` keeps the generated data and the loaded database
between runs; `--statements` shows which Cypher statements each field spent its time in.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
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
from service.analytics.collusion import collusion_network
from service.analytics.power_map import power_map
from service.analytics.protection_gaps import protection_gaps
from service.analytics.risk import at_risk_defenders
from service.analytics.shadow_power import shadow_power
from service.analytics.weights import load_weights
from service.config import Settings
from service.errors import QueryTimeout
from service.generate import write_dataset
from service.ingest.load import LoadReport, load_folder
from service.metrics import STATEMENT_SECONDS
from service.store import Store, embedded_server, open_store

sys.path.insert(0, str(Path(__file__).resolve().parent))
from influence_hub import hub_id, hub_paths, paths_ratio  # the influence part: its benchmark's
from measures import percentile, rows

AS_OF = dt.date(2026, 11, 1)


def statement_totals() -> dict[str, tuple[float, float]]:
    """Statement name -> (calls, seconds) so far, from the service's own metric."""
    totals: dict[str, list[float]] = {}
    for metric in STATEMENT_SECONDS.collect():
        for sample in metric.samples:
            name = sample.labels["statement"]
            if sample.name.endswith("_count"):
                totals.setdefault(name, [0.0, 0.0])[0] += sample.value
            elif sample.name.endswith("_sum"):
                totals.setdefault(name, [0.0, 0.0])[1] += sample.value
    return {name: (calls, seconds) for name, (calls, seconds) in totals.items()}


def statement_profile(before: dict[str, tuple[float, float]], runs: int) -> str:
    """The statements a field ran since `before`, slowest first: ms per run."""
    now = statement_totals()
    spent = {
        name: (seconds - before.get(name, (0, 0))[1]) * 1000 / runs
        for name, (_, seconds) in now.items()
        if seconds > before.get(name, (0, 0))[1]
    }
    top = sorted(spent.items(), key=lambda item: -item[1])[:6]
    return ", ".join(f"{name} {ms:.0f}" for name, ms in top)


Field = tuple[Callable[[], Any], Callable[[Any], Awaitable[Any]]]  # (draw a question, ask it)


async def timed(store: Store, field: Field, runs: int) -> tuple[list[float], list[float]]:
    """Milliseconds per call: right after a write (the graph version moved on, so the analytics
    cache, service/analytics/cache.py, cannot answer), then the same question again, warm."""
    draw, ask = field
    after_write, warm = [], []
    for _ in range(runs):
        question = draw()
        await store.write("bump_graph_version")  # what any write does to the caches
        for times in (after_write, warm):
            started = time.perf_counter()
            await ask(question)
            times.append((time.perf_counter() - started) * 1000)
    return after_write, warm


async def run(
    store: Store,
    folder: Path,
    runs: int,
    hub: str | None = None,
    profile: bool = False,
    only: tuple[str, ...] = (),
) -> None:
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

    def whole() -> None:
        return None

    def pair() -> tuple[str, str]:
        r = rng.choice(colluding)
        return r["from_id"], r["to_id"]

    fields: dict[str, Field] = {}
    for scope, draw in (("territory", region), ("all", whole)):
        fields |= {
            f"shadowPower({scope})": (
                draw,
                lambda t: shadow_power(store, viewer, AS_OF, t, weights=weights),
            ),
            f"atRiskDefenders({scope})": (
                draw,
                lambda t: at_risk_defenders(store, viewer, AS_OF, t, weights=weights.risk),
            ),
            f"collusionNetwork({scope})": (
                draw,
                lambda t: collusion_network(store, viewer, t, AS_OF.isoformat()),
            ),
            f"protectionGaps({scope})": (
                draw,
                lambda t: protection_gaps(store, viewer, AS_OF, weights.risk, t),
            ),
        }
    fields["powerMap(territory)"] = (region, lambda t: power_map(store, viewer, t, AS_OF))
    fields["influencePaths(maxHops=4)"] = (
        pair,
        lambda p: paths_module.influence_paths(store, viewer, *p, AS_OF.isoformat()),
    )
    print(f"{'':<30} {'after a write':>19} {'warm':>19}")
    print(f"{'field':<30} {'p50 ms':>9} {'p95 ms':>9} {'p50 ms':>9} {'p95 ms':>9}   ({runs} runs)")
    for name, field in fields.items():
        if only and not any(part in name for part in only):
            continue
        try:
            await field[1](field[0]())  # warm-up: the database's own caches
            before = statement_totals()
            after_write, warm = await timed(store, field, runs)
        except QueryTimeout:
            print(f"{name:<30} over the {store.read_timeout_s:.0f} s statement budget")
            continue
        print(
            f"{name:<30} {statistics.median(after_write):>9.1f} {percentile(after_write, 0.95):>9.1f}"
            f" {statistics.median(warm):>9.1f} {percentile(warm, 0.95):>9.1f}"
        )
        if profile:
            print(f"    statements, ms per run: {statement_profile(before, runs)}")
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
    parser.add_argument(
        "--keep",
        type=Path,
        help="a folder to keep the generated data and the loaded database in between runs "
        "(generated and loaded on the first run only; use one folder per scale and profile)",
    )
    parser.add_argument(
        "--backend",
        choices=("falkordb", "neo4j"),
        default="falkordb",
        help="neo4j: a Neo4j 5 as the test suite starts one (tests/support/neo4j_server.py: "
        "TEJIDO_TEST_NEO4J_URI, else Docker, else the Maven-built launcher), loaded on every run",
    )
    parser.add_argument(
        "--fields",
        nargs="*",
        default=[],
        help="time only the fields whose row names contain one of these, e.g. 'shadowPower(all)'",
    )
    parser.add_argument(
        "--statements",
        action="store_true",
        help="print, under each field, the Cypher statements it ran, slowest first",
    )
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        if args.keep is not None:
            args.keep.mkdir(parents=True, exist_ok=True)
            base = args.keep
        else:
            base = Path(
                stack.enter_context(tempfile.TemporaryDirectory(ignore_cleanup_errors=True))
            )
        await measure(base, args)


async def measure(base: Path, args: argparse.Namespace) -> None:
    folder = base / "data"
    if not folder.exists():
        write_dataset(folder, scale=args.scale, seed=7, profile=args.profile)
    hub = hub_id(folder) if args.profile == "hub" else None
    if args.backend == "neo4j":
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.support
        from tests.support.backends import neo4j_settings
        from tests.support.neo4j_server import neo4j_server

        with neo4j_server() as neo4j:  # a fresh one each run: its data is not kept
            async with open_store(neo4j_settings(neo4j)) as store:
                report = await load_folder(store, folder, 5000)
                print(f"scale {args.scale} on Neo4j ({neo4j.how}): {loaded_line(report)}")
                await run(store, folder, args.runs, hub, args.statements, tuple(args.fields))
        memory_report(None)
        return
    loaded = base / "loaded"
    settings = Settings(data_dir=base / "db")
    with embedded_server(settings) as address:
        settings = settings.model_copy(
            update={"graph_uri": f"falkordb://{address.host}:{address.port}"}
        )
        async with open_store(settings) as store:
            if not loaded.exists():
                report = await load_folder(store, folder, 5000, atomic_rows=0)
                print(f"scale {args.scale} on the embedded FalkorDB: {loaded_line(report)}")
                loaded.write_text(str(args.scale))
            else:
                print(
                    f"scale {loaded.read_text()} on the embedded FalkorDB, loaded before in {base}"
                )
            await run(store, folder, args.runs, hub, args.statements, tuple(args.fields))
        pid = json.loads((settings.data_dir / "server.json").read_text())["pid"]
        memory_report(pid)


def loaded_line(report: LoadReport) -> str:
    return f"{sum(report.rows.values())} rows loaded in {report.seconds:.0f} s"


if __name__ == "__main__":
    asyncio.run(main())
