"""Load throughput: `tejido load` against the database's own best on the same rows.

The same generated folder is written twice per run into fresh graphs: once through the loader
(read CSV, validate every cell and reference, look ids up, UNWIND batches) and once as the raw
UNWIND batches alone, with no reading or validation: what the database itself can take. The
ratio of the two is what we track; medians over several runs, because machines are noisy.

    python benchmarks/load_throughput.py --scale 10 --runs 3 [--backend falkordb|neo4j]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

from service.config import Settings
from service.generate import write_dataset
from service.ingest.csv_format import read_folder
from service.ingest.load import load_folder, lookup_known, plan_steps
from service.ingest.validate import Plan, Validator
from service.model import load_model
from service.store import Store, embedded_server, open_store

# The repository root, for tests.support.neo4j_server.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


@contextlib.contextmanager
def database(backend: str, data_dir: Path) -> Iterator[Settings]:
    if backend == "falkordb":
        settings = Settings(data_dir=data_dir)
        with embedded_server(settings) as address:
            yield settings.model_copy(
                update={"graph_uri": f"falkordb://{address.host}:{address.port}"}
            )
        return
    from tests.support.neo4j_server import neo4j_server  # the Maven-built Neo4j

    with neo4j_server() as server:
        auth = server.auth
        yield Settings(graph_uri=server.uri, neo4j_password=auth[1] if auth else None)


@contextlib.asynccontextmanager
async def fresh(settings: Settings, name: str) -> AsyncIterator[Store]:
    async with open_store(settings.model_copy(update={"graph_name": name})) as store:
        while (await store.write("delete_some", limit=50_000))[0]["deleted"]:
            pass
        yield store


async def plan_for(store: Store, folder: Path) -> Plan:
    validator = Validator(load_model(), read_folder(folder, load_model()))
    return validator.plan(await lookup_known(store, validator.ids_to_look_up()))


async def one_run(
    settings: Settings, folder: Path, batch: int, run: int
) -> tuple[float, float, int]:
    async with fresh(settings, f"bench_loader_{run}") as store:
        started = time.perf_counter()
        report = await load_folder(store, folder, batch, atomic_rows=0)
        loader = time.perf_counter() - started
    async with fresh(settings, f"bench_raw_{run}") as store:
        steps = plan_steps(
            await plan_for(store, folder), batch, dt.datetime.now(dt.UTC).isoformat()
        )
        started = time.perf_counter()
        for step in steps:  # one transaction per batch, as the loader does at this size
            await store.write_all([step])
        raw = time.perf_counter() - started
    return loader, raw, sum(report.rows.values())


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--backend", choices=["falkordb", "neo4j"], default="falkordb")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
        folder = Path(tmp) / "data"
        write_dataset(folder, scale=args.scale, seed=7)
        with database(args.backend, Path(tmp) / "db") as settings:
            results = [
                await one_run(settings, folder, args.batch_size, i) for i in range(args.runs)
            ]
    loader = statistics.median(r[0] for r in results)
    raw = statistics.median(r[1] for r in results)
    rows = results[0][2]
    print(f"backend {args.backend}, scale {args.scale}, {rows} rows, batches of {args.batch_size}")
    print(f"tejido load: median {loader:.2f} s ({rows / loader:,.0f} rows/s) over {args.runs} runs")
    print(f"raw UNWIND:  median {raw:.2f} s ({rows / raw:,.0f} rows/s)")
    print(f"ratio load/raw: {loader / raw:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
