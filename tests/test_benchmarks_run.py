"""Every benchmark under benchmarks/ runs, at a small scale, in the normal suite: a benchmark
that nothing runs breaks unnoticed (`make bench-analytics` once crashed on a renamed function).

Nothing here asserts a timing (speed targets live in benchmarks/README commands); each run
must only end with exit code 0 and print its results. Each starts its own servers and
databases in temporary folders, as the README commands do.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.db  # they start databases of their own

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT_S = 600

RUNS = {
    "api_throughput": ["--scale", "0.05", "--requests", "20", "--warmup", "5", "--runs", "1"],
    "analytics": ["--scale", "0.1", "--runs", "2"],
    "analytics-hub": ["--scale", "0.5", "--runs", "2", "--profile", "hub"],
    "influence_hub": ["--scale", "0.5", "--runs", "2", "--backend", "falkordb"],
    "load_throughput": ["--scale", "0.05", "--runs", "1"],
    "mixed_load": ["--scale", "0.1", "--seconds", "3", "--dashboards", "2", "--whole-graph"],
    "xref": ["--scales", "0.05", "--runs", "1"],
    "stall": ["--concurrency", "2", "--deadline", "300"],
}
# What each prints when it got to the end.
EXPECTED = {
    "api_throughput": "GraphQL/bare actor",
    "analytics": "influencePaths",
    "analytics-hub": "influencePaths at the hub",
    "influence_hub": "influencePaths at the hub",
    "load_throughput": "",
    "mixed_load": "service RSS after the whole-graph views",
    "xref": "",
    "stall": "",
    "peer_bench": "tejido-neo4j/peer collusion",
    "embed_render": "",
}


def run(script: str, args: list[str]) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / f"{script}.py"), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    assert done.returncode == 0, f"{script} exited {done.returncode}:\n{done.stderr[-3000:]}"
    return done.stdout


@pytest.mark.parametrize("name", sorted(RUNS))
def test_benchmark_runs(name: str) -> None:
    out = run(name.split("-")[0], RUNS[name])
    assert out.strip(), f"{name} printed no results"
    assert EXPECTED[name] in out, out


@pytest.mark.slow
def test_analytics_benchmark_runs_on_neo4j() -> None:
    # The suite's own Neo4j (tests/support/neo4j_server.py), started again by the benchmark.
    out = run("analytics", ["--scale", "0.1", "--runs", "1", "--backend", "neo4j"])
    assert "on Neo4j" in out and EXPECTED["analytics"] in out, out


@pytest.mark.slow
def test_peer_benchmark_runs() -> None:
    # Node and npm are there wherever the suite runs (the Cypher linter needs them); the
    # benchmark installs the peer from benchmarks/peer/package-lock.json, and drives it with
    # wrk where installed, else with its Python load generator.
    out = run("peer_bench", ["--scale", "0.05", "--seconds", "1", "--rounds", "1"])
    assert EXPECTED["peer_bench"] in out, out


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium is not installed")
def test_embed_benchmark_runs() -> None:
    # The benchmark acts for org-000037, which --scale 1 has.
    out = run("embed_render", ["--scale", "1", "--nodes", "50", "--runs", "1"])
    assert out.strip()
