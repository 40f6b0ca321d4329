"""Mixed load: dashboards reading the analytics views while writes arrive, and the service's memory.

`tejido serve` runs alone over an embedded database loaded with `tejido generate --scale N`.
Several dashboard clients (`--dashboards`) each ask, in turn and without pause, the analytics
views of a territory (shadowPower, atRiskDefenders, powerMap, protectionGaps, collusionNetwork,
for a region drawn at random among the `--regions` they watch) with a reader key cleared for RED; meanwhile one writer creates an
actor every `--write-every` seconds with an analyst key of the same organization: an unrelated
write, which still moves the graph version. The script reports the p50/p95 of the reads (all,
and per view), how many writes went in, and the resident memory of the service process alone
(not the database, not this script): at start, after loading the caches, and its peak.

    python benchmarks/mixed_load.py [--scale 10] [--seconds 60] [--dashboards 4]
        [--write-every 1] [--regions 20] [--keep DIR]

`--keep DIR` keeps the generated data and the loaded database in DIR between runs (each write
adds an actor to it: start from a fresh DIR for figures to compare). The dashboards stand for
many people but share one key, so the service runs with its per-key rate limits lifted. Every
response must be a 200 without `errors`; any failure fails the benchmark.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import signal
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx
import psutil
from api_throughput import _env, _run, _tejido, free_port, prepare, server
from measures import percentile, rows

from service.generate import write_dataset

VIEWS = {
    "shadowPower": "shadowPower(territory: $t, first: 10) { rank score actor { id name } }",
    "atRiskDefenders": "atRiskDefenders(territory: $t, first: 10) { score level }",
    "powerMap": "powerMap(territory: $t) { actors { power } ties { id } incidentCounts { count } }",
    "protectionGaps": "protectionGaps(territory: $t, first: 10) { territories { recentIncidents } }",
    "collusionNetwork": "collusionNetwork(territory: $t) { nodes { id group } brokers }",
}
WRITE = """mutation Write($input: ActorInput!) {
  upsertActor(input: $input) { __typename ... on Saved { id } }
}"""
REQUEST_TIMEOUT_S = 60.0


def _problem(response: httpx.Response) -> str | None:
    if response.status_code != 200:
        return f"HTTP {response.status_code}: {response.text[:300]}"
    body = response.json()
    return str(body["errors"])[:500] if body.get("errors") else None


async def views(client: httpx.AsyncClient, region: str, times: dict[str, list[float]]) -> None:
    """Every view of one region, one after the other, as a dashboard shows them."""
    for view, selection in VIEWS.items():
        query = f"query View($t: ID!) {{ {selection} }}"
        started = time.perf_counter()
        response = await client.post("/graphql", json={"query": query, "variables": {"t": region}})
        if (wrong := _problem(response)) is not None:
            raise SystemExit(f"{view}({region}) failed: {wrong}")
        times[view].append((time.perf_counter() - started) * 1000)


async def dashboard(
    client: httpx.AsyncClient,
    regions: list[str],
    rng: random.Random,
    until: float,
    times: dict[str, list[float]],
) -> None:
    """One dashboard: the views of a region drawn at random, again and again until `until`."""
    while time.monotonic() < until:
        await views(client, rng.choice(regions), times)


async def writer(client: httpx.AsyncClient, every: float, until: float) -> int:
    """An actor created every `every` seconds; the number written."""
    written = 0
    while time.monotonic() < until:
        started = time.monotonic()
        actor = {"tlp": "GREEN", "name": f"Mixed load {written}", "sector": "non_state"}
        variables = {"input": {**actor, "kind": "corporation"}}
        response = await client.post("/graphql", json={"query": WRITE, "variables": variables})
        if (wrong := _problem(response)) is not None:
            raise SystemExit(f"the write failed: {wrong}")
        if response.json()["data"]["upsertActor"]["__typename"] != "Saved":
            raise SystemExit(f"the write was refused: {response.text[:500]}")
        written += 1
        await asyncio.sleep(max(0.0, every - (time.monotonic() - started)))
    return written


async def sample_memory(process: psutil.Process, until: float, peak: list[float]) -> None:
    while time.monotonic() < until:
        peak[0] = max(peak[0], process.memory_info().rss / 2**20)
        await asyncio.sleep(0.5)


async def drive(
    base: str, keys: dict[str, str], regions: list[str], args: argparse.Namespace, pid: int
) -> None:
    service = psutil.Process(pid)
    rss = service.memory_info().rss / 2**20
    print(f"service RSS at start: {rss:.0f} MB")

    def client(key: str) -> httpx.AsyncClient:
        headers = {"Authorization": f"Bearer {key}"}
        return httpx.AsyncClient(base_url=base, headers=headers, timeout=REQUEST_TIMEOUT_S)

    async with client(keys["reader"]) as reads, client(keys["analyst"]) as writes:
        warm: dict[str, list[float]] = defaultdict(list)
        for region in regions:  # every view of every region once, so the caches are filled
            await views(reads, region, warm)
        print(
            f"service RSS after one pass over {len(regions)} regions: "
            f"{service.memory_info().rss / 2**20:.0f} MB"
        )
        until = time.monotonic() + args.seconds
        times: dict[str, list[float]] = defaultdict(list)
        peak = [0.0]
        done = await asyncio.gather(
            writer(writes, args.write_every, until),
            sample_memory(service, until, peak),
            *(
                dashboard(reads, regions, random.Random(i), until, times)
                for i in range(args.dashboards)
            ),
        )
    every = [t for found in times.values() for t in found]
    print(
        f"{args.dashboards} dashboards, {args.seconds:.0f} s, {done[0]} writes "
        f"(one every {args.write_every:g} s), scale {args.scale}"
    )
    print(f"{'view':<20} {'reads':>6} {'p50 ms':>9} {'p95 ms':>9}")
    for view, found in sorted(times.items()):
        print(
            f"{view:<20} {len(found):>6} {statistics.median(found):>9.1f} "
            f"{percentile(found, 0.95):>9.1f}"
        )
    print(
        f"{'all reads':<20} {len(every):>6} {statistics.median(every):>9.1f} "
        f"{percentile(every, 0.95):>9.1f}"
    )
    print(f"service RSS peak under load: {peak[0]:.0f} MB (the service process alone)")
    if args.whole_graph:
        async with client(keys["reader"]) as reads:
            await whole_graph(reads, service)


async def whole_graph(client: httpx.AsyncClient, service: psutil.Process) -> None:
    """Each view over the whole graph once (the largest answers the cache holds), then the
    service's memory; a view past the service's time budget is reported, not fatal."""
    for view, selection in VIEWS.items():
        if view == "powerMap":
            continue  # it needs a territory
        query = "query View { " + selection.replace("territory: $t", "territory: null") + " }"
        started = time.perf_counter()
        response = await client.post("/graphql", json={"query": query}, timeout=600)
        wrong = _problem(response)
        outcome = f"failed: {wrong[:120]}" if wrong else "answered"
        seconds = time.perf_counter() - started
        print(f"{view} over the whole graph {outcome} in {seconds:.1f} s")
    rss = service.memory_info().rss / 2**20
    print(f"service RSS after the whole-graph views: {rss:.0f} MB (the service process alone)")


def run(base_dir: Path, args: argparse.Namespace) -> None:
    folder, data_dir, loaded = base_dir / "data", base_dir / "db", base_dir / "loaded"
    if not folder.exists():
        write_dataset(folder, scale=args.scale, seed=7)
    org = next(r["id"] for r in rows(folder, "organizations.csv") if r["kind"] == "ingo")
    every_region = [r["id"] for r in rows(folder, "territories.csv") if r["kind"] == "region"]
    step = max(1, len(every_region) // args.regions)
    regions = every_region[::step][: args.regions]  # the regions the dashboards watch
    tejido, env = _tejido(), _env(data_dir)
    if not loaded.exists():
        reader = prepare(folder, data_dir, org)
        loaded.write_text(str(args.scale))
    else:
        create = [tejido, "keys", "create", "--org", org, "--clearance", "RED"]
        reader = _run(create, env, 120).strip().splitlines()[-1]
    create = [tejido, "keys", "create", "--org", org, "--role", "analyst", "--clearance", "RED"]
    analyst = _run(create, env, 120).strip().splitlines()[-1]
    port = free_port()
    serve = [tejido, "serve", "--host", "127.0.0.1", "--port", str(port)]
    # The dashboards stand for many people: one key here, so its per-key limits are lifted.
    limits = {
        "TEJIDO_RATE_LIMIT": "1000000/minute",
        "TEJIDO_ANALYTICS_RATE_LIMIT": "1000000/minute",
    }
    if args.whole_graph:  # the whole graph at --scale 100 takes longer than the 30 s defaults
        limits |= {"TEJIDO_REQUEST_TIMEOUT_S": "600", "TEJIDO_READ_TIMEOUT_S": "290"}
    with server(serve, env | limits, port, base_dir / "serve.log") as base:
        pid = next(p.pid for p in psutil.Process().children() if "serve" in p.cmdline())
        keys = {"reader": reader, "analyst": analyst}
        asyncio.run(drive(base, keys, regions, args, pid))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=10)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--dashboards", type=int, default=4)
    parser.add_argument("--write-every", type=float, default=1.0)
    parser.add_argument(
        "--regions", type=int, default=20, help="how many regions the dashboards watch"
    )
    parser.add_argument(
        "--whole-graph",
        action="store_true",
        help="then ask each view over the whole graph once and report the memory after",
    )
    parser.add_argument("--keep", type=Path, help="keep the data and the database here")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with contextlib.ExitStack() as stack:
        if args.keep is not None:
            args.keep.mkdir(parents=True, exist_ok=True)
            base_dir = args.keep
        else:
            tmp = tempfile.TemporaryDirectory(prefix="tejido-mixed-", ignore_cleanup_errors=True)
            base_dir = Path(stack.enter_context(tmp))
        run(base_dir, args)


if __name__ == "__main__":
    main()
