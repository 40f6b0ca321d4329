"""influencePaths at a hub: p50/p95 on each database, and the ratio to networkx alone.

Generates a `--profile hub` dataset (one actor with 750+ ties in a few thousand records at
`--scale 3`), loads it into a fresh embedded FalkorDB and/or a Neo4j 5 (tests/support/
neo4j_server.py: TEJIDO_TEST_NEO4J_URI, Docker, or the Maven-built launcher), then asks
influencePaths (maxHops 4, first 3, as an international NGO cleared for RED) between the hub and
`--runs` other actors, the hub at either end in turn, each call cold (the graph version is moved
on first, so no cache answers). For the same pairs it times networkx alone on the subgraph that
influencePaths read: a DiGraph built from the same arcs, searched by the same best-first
enumeration; the ratio of medians says what reading costs beyond that. Beside it, networkx alone
on the hop-complete subgraph (every relationship within a hops of one end and b of the other,
a + b = maxHops: what a search that does not prune by weight must load, and what influencePaths
read before).

    python benchmarks/influence_hub.py --scale 3 --runs 20 --backend both

`benchmarks/analytics.py --profile hub` prints the same hub line for FalkorDB.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import random
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.support.neo4j_server

from measures import percentile, rows

from service.access import Role, Tlp, Viewer
from service.analytics import influence_paths as paths_module
from service.analytics.influence_search import TieGraph, strongest_paths
from service.analytics.offload import WorkBudget
from service.config import Settings
from service.generate import write_dataset
from service.ingest.load import load_folder
from service.store import Store, embedded_server, open_store

AS_OF = "2026-11-01"
HOPS, FIRST = 4, 3


def hub_id(folder: Path) -> str:
    """The record with the most relationships: the hub of `--profile hub`."""
    degree: dict[str, int] = {}
    for r in rows(folder, "relationships.csv"):
        for end in (r["from_id"], r["to_id"]):
            degree[end] = degree.get(end, 0) + 1
    return max(degree, key=lambda i: (degree[i], i))


def networkx_alone(graph: TieGraph, source: str, target: str) -> float:
    """Milliseconds for networkx to build the same subgraph from its arcs and search it."""
    arcs = [(u, v, arc) for u, near in graph.succ.items() for v, arc in near.items()]
    budget = WorkBudget(paths_module.MAX_SEARCH_STEPS, "influencePaths")
    started = time.perf_counter()
    copy: nx.DiGraph[str] = nx.DiGraph()
    copy.add_edges_from(arcs)
    strongest_paths(copy, source, target, HOPS, FIRST, budget)
    return (time.perf_counter() - started) * 1000


async def hop_complete(store: Store, viewer: Viewer, source: str, target: str) -> TieGraph:
    """Every visible relationship within a hops of `source` or b of `target`, a + b = HOPS, each
    hop from the end with fewer records to read: the subgraph a program that does not prune by
    weight must load to be sure of the answer (what influencePaths read before it did)."""
    graph, budget = TieGraph(), WorkBudget(math.inf, "influencePaths")
    frontier, seen = {source: [source], target: [target]}, {source: {source}, target: {target}}
    for _ in range(HOPS):
        end = min((source, target), key=lambda e: len(set(frontier[e]) - graph.read))
        records = [r for r in frontier[end] if r not in graph.read]
        ties = await store.read(
            "influence_ties", ids=records, types=[], as_of=AS_OF, first=10**7, **viewer.params()
        )
        graph.add(records, ties, budget)
        grown = []
        for record in frontier[end]:
            for other in [*graph.succ.get(record, {}), *graph.pred.get(record, {})]:
                if other not in seen[end]:
                    seen[end].add(other)
                    grown.append(other)
        frontier[end] = grown
    return graph


async def paths_ratio(
    store: Store, viewer: Viewer, pairs: list[tuple[str, str]]
) -> tuple[float, float]:
    """Median ms of influencePaths, and of networkx alone on the subgraph it read."""
    ours, alone = [], []
    for source, target in pairs:
        started = time.perf_counter()
        await paths_module.influence_paths(store, viewer, source, target, AS_OF)
        ours.append((time.perf_counter() - started) * 1000)
        budget = WorkBudget(paths_module.MAX_SEARCH_STEPS, "influencePaths")
        reach = await paths_module.read_reach(
            store, viewer, source, target, HOPS, FIRST, [], AS_OF, budget
        )
        alone.append(networkx_alone(reach.graph, source, target))
    return statistics.median(ours), statistics.median(alone)


async def hub_paths(
    store: Store, viewer: Viewer, hub: str, rng: random.Random, runs: int, actors: list[str]
) -> None:
    """influencePaths with the hub at one end (either end, alternately), each call cold:
    p50/p95, statements and relationships read per call, and the ratio to networkx alone."""
    others = rng.sample([a for a in actors if a != hub], runs)
    pairs = [(hub, o) if i % 2 else (o, hub) for i, o in enumerate(others)]
    times, statements, read, found = [], [], [], 0
    for source, target in pairs:
        await store.write("bump_graph_version")
        before = store.round_trips
        started = time.perf_counter()
        paths = await paths_module.influence_paths(store, viewer, source, target, AS_OF)
        times.append((time.perf_counter() - started) * 1000)
        statements.append(store.round_trips - before)
        found += bool(paths)
        budget = WorkBudget(paths_module.MAX_SEARCH_STEPS, "influencePaths")
        reach = await paths_module.read_reach(
            store, viewer, source, target, HOPS, FIRST, [], AS_OF, budget
        )
        read.append(len(reach.graph.ties))
    ours, alone = await paths_ratio(store, viewer, pairs)
    complete = [
        networkx_alone(await hop_complete(store, viewer, source, target), source, target)
        for source, target in pairs
    ]
    print(
        f"influencePaths at the hub {hub} ({len(pairs)} pairs, {found} with paths): "
        f"p50 {statistics.median(times):.1f} ms, p95 {percentile(times, 0.95):.1f} ms; "
        f"{statistics.median(statements):.0f} statements and "
        f"{statistics.median(read):.0f} relationships read per call (medians); "
        f"ratio to networkx alone on the same subgraph {ours / max(alone, 1e-6):.1f} "
        f"({ours:.1f} / {alone:.1f} ms); networkx alone on the hop-complete subgraph "
        f"(a hops from one end, b from the other, a + b = {HOPS}, unpruned) "
        f"{statistics.median(complete):.1f} ms: ratio {ours / statistics.median(complete):.2f}"
    )


@contextlib.asynccontextmanager
async def database(backend: str, tmp: Path) -> AsyncIterator[Store]:
    """A fresh, empty store on `backend`."""
    if backend == "falkordb":
        settings = Settings(data_dir=tmp / "db")
        with embedded_server(settings) as address:
            settings = settings.model_copy(
                update={"graph_uri": f"falkordb://{address.host}:{address.port}"}
            )
            async with open_store(settings) as store:
                yield store
        return
    from tests.support.backends import clear, neo4j_settings
    from tests.support.neo4j_server import neo4j_server

    with neo4j_server() as server:
        async with open_store(neo4j_settings(server)) as store:
            await clear(store)
            yield store


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=3)
    parser.add_argument("--runs", type=int, default=20, help="pairs, each asked once, cold")
    parser.add_argument("--backend", choices=("falkordb", "neo4j", "both"), default="both")
    args = parser.parse_args()
    backends = ("falkordb", "neo4j") if args.backend == "both" else (args.backend,)
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
        folder = Path(tmp) / "data"
        write_dataset(folder, scale=args.scale, seed=7, profile="hub")
        orgs = [r["id"] for r in rows(folder, "organizations.csv") if r["kind"] == "ingo"]
        viewer = Viewer(orgs[0], Role.READER, Tlp.RED)
        actors = [r["id"] for r in rows(folder, "actors.csv")]
        for backend in backends:
            async with database(backend, Path(tmp) / backend) as store:
                report = await load_folder(store, folder, 5000, atomic_rows=0)
                print(
                    f"{backend}, --scale {args.scale} --profile hub: {sum(report.rows.values())} rows loaded"
                )
                hub = hub_id(folder)
                # Warm-up: each statement planned once (Neo4j plans a new statement in up to a
                # second on a busy machine), with pairs the timed ones do not draw from.
                for other in actors[:4]:
                    await paths_module.influence_paths(store, viewer, hub, other, AS_OF)
                    await paths_module.influence_paths(store, viewer, other, hub, AS_OF)
                rest = [a for a in actors[4:] if a != hub]
                await hub_paths(store, viewer, hub, random.Random(7), args.runs, rest)


if __name__ == "__main__":
    asyncio.run(main())
