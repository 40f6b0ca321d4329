"""Peer benchmark: Tejido's GraphQL against the official Neo4j GraphQL Library on one Neo4j.

One Neo4j 5 (tests/support/neo4j_server.py: the Maven-built launcher, or TEJIDO_TEST_NEO4J_URI)
is loaded with `tejido generate --scale N`. Over it run `tejido serve` (a reader key of the
organization with the most incidents, cleared for RED: access control on) and the peer,
`@neo4j/graphql` 7 on Apollo Server (benchmarks/peer/, no access control). Beside them, `tejido
serve` on the embedded FalkorDB loaded with the same folder. Two questions, each in both APIs:

- collusion: 50 actors with their collusion ties and the territories they control;
- deeper: 50 actors -> the incidents attributed to them -> the defenders those targeted.

One load generator drives all three servers: wrk (2 threads, --connections, --seconds per
round) when it is installed, else a Python asyncio client over httpx (printed on the first
line). A warm-up round, then --rounds rounds in which the servers alternate; the table gives
medians over the rounds and the ratio Tejido/peer of throughput and of p50 within this one run
(the machine is shared: compare ratios, not absolute numbers). Every server's answer is checked
once before timing, and any non-200 or GraphQL error during a round fails the benchmark.

    python benchmarks/peer_bench.py [--scale 10] [--seconds 20] [--rounds 3] [--connections 8]
        [--baseline /path/to/other/checkout/.venv/bin/tejido]

`--baseline` adds a fourth server, another checkout's `tejido serve` over the same Neo4j and
key, so that a change is measured against what it changes in one run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests.support.neo4j_server
sys.path.insert(0, str(HERE))  # api_throughput's helpers

from api_throughput import (  # noqa: E402
    UNLIMITED,
    _env,
    _run,
    _tejido,
    free_port,
    pick_inputs,
    say,
    server,
)

from service.generate import write_dataset  # noqa: E402

PEER_DIR = HERE / "peer"
LOAD_TIMEOUT_S = 1800.0
PEER_HEALTH = "/?query=%7B__typename%7D"

TEJIDO = {
    "collusion": """{ actors(first: 50) { edges { node { id name
  links(types: ["COLLUDES_WITH", "CONTROLS"], direction: OUT) {
    edges { node { id type other { id name } } } } } } } }""",
    "deeper": """{ actors(first: 50) { edges { node { id name
  links(types: ["PERPETRATED_BY"], direction: IN) { edges { node { id other { id name
    links(types: ["TARGETED"], direction: OUT) { edges { node { id other { id name } } } }
  } } } } } } } }""",
}
PEER = {
    "collusion": "{ actors(limit: 50) { id name colludesWith { id name } controls { id name } } }",
    "deeper": "{ actors(limit: 50) { id name perpetrated { id name targeted { id name } } } }",
}
QUESTIONS = tuple(TEJIDO)


@dataclass(frozen=True)
class Round:
    rps: float
    p50_ms: float
    p95_ms: float


# --- servers --------------------------------------------------------------------------------


def npm_ci() -> None:
    """The peer's packages, exactly as package-lock.json pins them (once)."""
    if (PEER_DIR / "node_modules" / "@neo4j" / "graphql").is_dir():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("the peer needs Node.js and npm (make tools)")
    say("npm ci in benchmarks/peer")
    subprocess.run(  # noqa: S603 - npm, no shell
        [npm, "ci", "--no-audit", "--no-fund"], cwd=PEER_DIR, check=True, capture_output=True
    )


def load(folder: Path, env: dict[str, str], org: str) -> str:
    """Load `folder` where `env` points; a RED reader key of `org`."""
    tejido = _tejido()
    started = time.perf_counter()
    _run([tejido, "load", str(folder), "--no-progress"], env, LOAD_TIMEOUT_S)
    say(
        f"loaded into {env.get('TEJIDO_GRAPH_URI', 'FalkorDB')} in {time.perf_counter() - started:.0f} s"
    )
    args = [tejido, "keys", "create", "--org", org, "--role", "reader", "--clearance", "RED"]
    return _run(args, env, 120).strip().splitlines()[-1]


@contextlib.contextmanager
def tejido_server(
    env: dict[str, str], logs: Path, name: str, tejido: str | None = None
) -> Iterator[str]:
    port = free_port()
    args = [tejido or _tejido(), "serve", "--host", "127.0.0.1", "--port", str(port)]
    with server(args, {**env, "TEJIDO_RATE_LIMIT": UNLIMITED}, port, logs / f"{name}.log") as url:
        yield f"{url}/graphql"


@contextlib.contextmanager
def peer_server(uri: str, auth: tuple[str, str] | None, logs: Path) -> Iterator[str]:
    node = shutil.which("node")
    if node is None:
        raise SystemExit("the peer needs Node.js (make tools)")
    port = free_port()
    env = {**os.environ, "NEO4J_URI": uri, "PORT": str(port)}
    if auth:
        env |= {"NEO4J_USER": auth[0], "NEO4J_PASSWORD": auth[1]}
    with server(
        [node, str(PEER_DIR / "server.js")], env, port, logs / "peer.log", PEER_HEALTH
    ) as url:
        yield f"{url}/"


# --- load generators ------------------------------------------------------------------------

WRK_SCRIPT = """
wrk.method = "POST"
wrk.body = {body}
wrk.headers["Content-Type"] = "application/json"
{auth}
local threads = {{}}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body)
  if status ~= 200 or string.find(body, '"errors"', 1, true) then bad = bad + 1 end
end
function done(summary, latency, requests)
  local n = 0
  for _, t in ipairs(threads) do n = n + t:get("bad") end
  io.write(string.format("BAD %d\\n", n))
end
"""
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(value) * _UNITS[unit]


def wrk_round(url: str, body: str, key: str | None, seconds: float, connections: int) -> Round:
    auth = f'wrk.headers["Authorization"] = "Bearer {key}"' if key else ""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT.format(body=json.dumps(body), auth=auth))
    try:
        out = subprocess.run(  # noqa: S603 - wrk, no shell
            [
                shutil.which("wrk") or "wrk",
                "-t2",
                f"-c{connections}",
                f"-d{max(1, round(seconds))}s",
                "--timeout",
                "30s",
                "--latency",
                "-s",
                script.name,
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        Path(script.name).unlink()
    bad = int(re.search(r"BAD (\d+)", out).group(1))  # type: ignore[union-attr]
    if bad or "Non-2xx" in out or "Socket errors" in out:
        raise SystemExit(f"{url}: failed requests during the round:\n{out}")
    latency = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)\s*$", out, re.MULTILINE))
    found = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if found is None or "50" not in latency:
        raise SystemExit(f"{url}: no request finished within the round:\n{out}")
    rps = float(found.group(1))
    # wrk prints 50/75/90/99: p95 is not among them, so the table gives its p99 instead.
    return Round(rps, _ms(latency["50"]), _ms(latency["99"]))


async def _python_round(
    url: str, body: str, key: str | None, seconds: float, connections: int
) -> Round:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=connections)
    async with httpx.AsyncClient(headers=headers, timeout=30, limits=limits) as client:

        async def one() -> None:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                response = await client.post(
                    url, content=body, headers={"content-type": "application/json"}
                )
                latencies.append(time.perf_counter() - started)
                if response.status_code != 200 or "errors" in response.json():
                    raise SystemExit(f"{url}: {response.status_code} {response.text[:300]}")

        started = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(connections)))
        elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100)
    return Round(len(latencies) / elapsed, cuts[49] * 1000, cuts[98] * 1000)


def one_round(url: str, query: str, key: str | None, args: argparse.Namespace) -> Round:
    body = json.dumps({"query": query})
    if args.generator == "wrk":
        return wrk_round(url, body, key, args.seconds, args.connections)
    return asyncio.run(_python_round(url, body, key, args.seconds, args.connections))


# --- the run --------------------------------------------------------------------------------


def check_answers(urls: dict[str, str], keys: dict[str, str | None]) -> None:
    """Each server answers each question with data and no error; what each returned, counted."""
    for question in QUESTIONS:
        counts = []
        for target, url in urls.items():
            query = (PEER if target.startswith("peer") else TEJIDO)[question]
            headers = {"Authorization": f"Bearer {keys[target]}"} if keys[target] else {}
            response = httpx.post(url, json={"query": query}, headers=headers, timeout=60)
            body = response.json()
            if response.status_code != 200 or "errors" in body:
                raise SystemExit(
                    f"{target} {question}: {response.status_code} {response.text[:500]}"
                )
            counts.append(f"{target} {len(json.dumps(body)):,} bytes")
        say(f"{question}: " + ", ".join(counts))


def measure(
    urls: dict[str, str], keys: dict[str, str | None], args: argparse.Namespace
) -> dict[tuple[str, str], list[Round]]:
    rounds: dict[tuple[str, str], list[Round]] = {}
    for number in range(args.rounds + 1):  # round 0 warms up
        for question in QUESTIONS:
            order = list(urls) if number % 2 else list(reversed(urls))  # alternate who goes first
            for target in order:
                query = (PEER if target.startswith("peer") else TEJIDO)[question]
                result = one_round(urls[target], query, keys[target], args)
                say(
                    f"round {number} {question:<9} {target:<15} {result.rps:8.1f} req/s p50 {result.p50_ms:7.1f} ms"
                )
                if number:
                    rounds.setdefault((question, target), []).append(result)
    return rounds


def report(rounds: dict[tuple[str, str], list[Round]], args: argparse.Namespace) -> None:
    tail = "p99" if args.generator == "wrk" else "p95"
    print(
        f"scale {args.scale}; {args.generator}, {args.connections} connections, {args.seconds:g} s "
        f"per round, median of {args.rounds} rounds after a warm-up round"
    )
    print(f"{'question':<10} {'server':<16} {'req/s':>8} {'p50 ms':>8} {tail + ' ms':>8}")
    medians = {}
    for (question, target), runs in rounds.items():
        m = Round(
            *(statistics.median(getattr(r, f) for r in runs) for f in ("rps", "p50_ms", "p95_ms"))
        )
        medians[question, target] = m
        print(f"{question:<10} {target:<16} {m.rps:>8.1f} {m.p50_ms:>8.1f} {m.p95_ms:>8.1f}")
    for question in QUESTIONS:
        peer = medians[question, "peer-neo4j"]
        for target in sorted({t for q, t in medians if t != "peer-neo4j" and q == question}):
            ours = medians[question, target]
            print(
                f"{target}/peer {question:<9}: throughput {ours.rps / peer.rps:.2f}, "
                f"p50 {ours.p50_ms / peer.p50_ms:.2f}"
            )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=10, help="dataset size (1 = the seed's)")
    parser.add_argument("--seconds", type=float, default=20, help="length of one round")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds after the warm-up")
    parser.add_argument("--connections", type=int, default=8, help="connections at once")
    parser.add_argument(
        "--generator",
        choices=("wrk", "python"),
        default="wrk" if shutil.which("wrk") else "python",
        help="the load generator (default: wrk when installed)",
    )
    parser.add_argument(
        "--baseline",
        help="the `tejido` command of another checkout (e.g. main's), measured beside ours",
    )
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    from tests.support.neo4j_server import neo4j_server

    npm_ci()
    with tempfile.TemporaryDirectory(
        prefix="tejido-peer-bench-", ignore_cleanup_errors=True
    ) as tmp_name:
        tmp = Path(tmp_name)
        folder = tmp / "dataset"
        write_dataset(folder, scale=args.scale)
        org = pick_inputs(folder).org
        with neo4j_server() as neo4j, contextlib.ExitStack() as stack:
            neo4j_env = _env(tmp / "unused", TEJIDO_GRAPH_URI=neo4j.uri)
            if neo4j.password is not None:
                neo4j_env |= {
                    "TEJIDO_NEO4J_USER": neo4j.user or "",
                    "TEJIDO_NEO4J_PASSWORD": neo4j.password,
                }
            falkor_env = _env(tmp / "falkordb")
            keys: dict[str, str | None] = {
                "tejido-neo4j": load(folder, neo4j_env, org),
                "peer-neo4j": None,
                "tejido-falkordb": load(folder, falkor_env, org),
            }
            urls = {
                "tejido-neo4j": stack.enter_context(tejido_server(neo4j_env, tmp, "neo4j")),
                "peer-neo4j": stack.enter_context(peer_server(neo4j.uri, neo4j.auth, tmp)),
                "tejido-falkordb": stack.enter_context(tejido_server(falkor_env, tmp, "falkordb")),
            }
            if args.baseline:  # another checkout's Tejido, with the same key, same Neo4j
                keys["baseline-neo4j"] = keys["tejido-neo4j"]
                urls["baseline-neo4j"] = stack.enter_context(
                    tejido_server(neo4j_env, tmp, "baseline", args.baseline)
                )
            say(f"load generator: {args.generator}; viewer {org} (reader, RED)")
            check_answers(urls, keys)
            rounds = measure(urls, keys, args)
    report(rounds, args)


if __name__ == "__main__":
    main()
