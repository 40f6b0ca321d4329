"""Can one reader key stall the service? influencePaths at its limits, and /healthz meanwhile.

Loads the seed (or a generated `--scale N` dataset) into a fresh embedded database, starts
`tejido serve` on loopback with a reader key cleared for RED, picks the two most connected
public actors, then:

1. asks `influencePaths(maxHops: 6, first: 100)` between them once, alone: what comes back
   (how many paths, or which error code) and how long it takes;
2. asks it `--concurrency` times at once (10 by default) while sampling `/healthz` every
   0.1 s: the latency of each sample (a sample that times out counts as its timeout) and
   how each of the expensive requests ended.

    python benchmarks/stall.py [--scale 10 [--profile hub]] [--concurrency 10] [--deadline 900]
                               [--json]

Everything runs in temporary folders, on loopback, and stops by itself: every request has a
timeout and the whole run a deadline.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_throughput import _env, _tejido, free_port, prepare, say, server
from measures import rows

from service.generate import write_dataset

SEED = Path(__file__).resolve().parents[1] / "seed_data"
SEED_VIEWER = "org-000037"  # the Makefile's first demo organization
PATHS = """query ($from: ID!, $to: ID!, $hops: Int, $first: Int) {
  influencePaths(from: $from, to: $to, maxHops: $hops, first: $first) { strength hops { id } }
}"""
REQUEST_TIMEOUT_S = 600.0  # the old search ran up to 183 s alone
HEALTH_TIMEOUT_S = 5.0
HEALTH_EVERY_S = 0.1


def hubs(folder: Path) -> tuple[str, str]:
    """The two CLEAR or GREEN actors with the most relationships."""
    public = {r["id"] for r in rows(folder, "actors.csv") if r["tlp"] in ("CLEAR", "GREEN")}
    degree: Counter[str] = Counter()
    for row in rows(folder, "relationships.csv"):
        degree.update(end for end in (row["from_id"], row["to_id"]) if end in public)
    (first, _), (second, _) = degree.most_common(2)
    return first, second


def viewer(folder: Path) -> str:
    if folder == SEED:
        return SEED_VIEWER
    return next(r["id"] for r in rows(folder, "organizations.csv") if r["kind"] == "ingo")


def outcome(response: httpx.Response | BaseException) -> str:
    """What a request ended with: `N paths`, an error code, an HTTP status or an exception."""
    if isinstance(response, BaseException):
        return type(response).__name__
    if response.status_code != 200:
        return f"HTTP {response.status_code}"
    body = response.json()
    if body.get("errors"):
        return str(body["errors"][0].get("extensions", {}).get("code", "error"))
    return f"{len(body['data']['influencePaths'])} paths"


async def ask(http: httpx.AsyncClient, variables: dict[str, Any]) -> tuple[float, str]:
    started = time.perf_counter()
    try:
        response: httpx.Response | BaseException = await http.post(
            "/graphql", json={"query": PATHS, "variables": variables}, timeout=REQUEST_TIMEOUT_S
        )
    except httpx.HTTPError as exc:
        response = exc
    return time.perf_counter() - started, outcome(response)


async def sample_health(http: httpx.AsyncClient, until: asyncio.Event) -> list[float]:
    """/healthz latencies, one sample every HEALTH_EVERY_S until `until` is set."""
    latencies: list[float] = []
    while not until.is_set():
        started = time.perf_counter()
        try:
            await http.get("/healthz", timeout=HEALTH_TIMEOUT_S)
            latencies.append(time.perf_counter() - started)
        except httpx.TimeoutException:
            latencies.append(HEALTH_TIMEOUT_S)
        await asyncio.sleep(HEALTH_EVERY_S)
    return latencies


async def measure(
    base: str, key: str, pair: tuple[str, str], concurrency: int, deadline: float
) -> dict[str, Any]:
    variables = {"from": pair[0], "to": pair[1], "hops": 6, "first": 100}
    limits = httpx.Limits(max_connections=concurrency + 2)
    headers = {"Authorization": f"Bearer {key}"}
    async with (
        httpx.AsyncClient(base_url=base, headers=headers, limits=limits) as http,
        httpx.AsyncClient(base_url=base) as health,
    ):
        alone_s, alone = await ask(http, variables)
        say(f"alone: {alone} in {alone_s:.2f} s")
        done = asyncio.Event()
        sampler = asyncio.create_task(sample_health(health, done))
        started = time.perf_counter()
        asks = [asyncio.create_task(ask(http, variables)) for _ in range(concurrency)]
        finished, unfinished = await asyncio.wait(asks, timeout=deadline)
        wall = time.perf_counter() - started
        for task in unfinished:  # the server may go on with them; it is stopped next anyway
            task.cancel()
        done.set()
        samples = await sampler
    results = [task.result() for task in finished]
    results += [(wall, f"unfinished after {deadline:.0f} s")] * len(unfinished)
    return {
        "pair": list(pair),
        "alone": {"seconds": round(alone_s, 3), "outcome": alone},
        "concurrent": {
            "requests": concurrency,
            "wall_seconds": round(wall, 2),
            "slowest_seconds": round(max(s for s, _ in results), 2),
            "outcomes": dict(Counter(o for _, o in results)),
        },
        "healthz": {
            "samples": len(samples),
            "p50_ms": round(statistics.median(samples) * 1000, 1),
            "p95_ms": round(sorted(samples)[int(0.95 * (len(samples) - 1))] * 1000, 1),
            "max_ms": round(max(samples) * 1000, 1),
            "timeouts": sum(s >= HEALTH_TIMEOUT_S for s in samples),
        },
    }


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, help="a generated dataset instead of the seed")
    parser.add_argument(
        "--profile",
        choices=("standard", "hub"),
        default="standard",
        help="with --scale: hub adds one actor tied to nearly everything (tejido generate)",
    )
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument(
        "--deadline", type=float, default=900.0, help="seconds to wait for the concurrent requests"
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="tejido-stall-", ignore_cleanup_errors=True) as tmp:
        folder = SEED
        if args.scale:
            folder = Path(tmp) / "data"
            write_dataset(folder, scale=args.scale, seed=7, profile=args.profile)
        data_dir = Path(tmp) / "db"
        key = prepare(folder, data_dir, viewer(folder))
        pair = hubs(folder)
        port = free_port()
        serve = [_tejido(), "serve", "--host", "127.0.0.1", "--port", str(port)]
        with server(serve, _env(data_dir), port, Path(tmp) / "serve.log") as base:
            results = asyncio.run(measure(base, key, pair, args.concurrency, args.deadline))
    results["dataset"] = f"--scale {args.scale} --profile {args.profile}" if args.scale else "seed"
    if args.json:
        print(json.dumps(results, indent=2))
        return
    alone, many, health = results["alone"], results["concurrent"], results["healthz"]
    print(f"influencePaths(maxHops: 6, first: 100) {pair[0]} -> {pair[1]} on {results['dataset']}")
    print(f"  alone: {alone['outcome']} in {alone['seconds']} s")
    print(f"  {many['requests']} at once: {many['outcomes']}, all done in {many['wall_seconds']} s")
    print(
        f"  /healthz meanwhile ({health['samples']} samples): p50 {health['p50_ms']} ms, "
        f"p95 {health['p95_ms']} ms, max {health['max_ms']} ms, {health['timeouts']} timed out"
    )


if __name__ == "__main__":
    main()
