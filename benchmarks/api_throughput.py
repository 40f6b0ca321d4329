"""API throughput: the GraphQL API against bare FastAPI endpoints that run the same Cypher.

Two questions, each asked over HTTP with a fixed number of concurrent clients:

- actor: `actor(id)` with its first 20 links and `other { id name }` at the end of each;
- incidents: the first 20 `incidents` in a region and the territories below it.

Each goes to `tejido serve` (GraphQL, with an API key) and to `benchmarks/bare_app.py` (plain
JSON endpoints that run the same statements through the same `Store` with the same viewer's
parameters, no GraphQL, no key look-up). Both servers run on loopback over one embedded
database loaded with a generated dataset. For every scenario the script reports requests per
second and p50/p95 latency, medians over several runs, and the ratios GraphQL/bare of
throughput and of p50: the ratios are what we track. Every response must be a 200 without
`errors`; any failure fails the benchmark.

    python benchmarks/api_throughput.py [--scale 10] [--concurrency 8] [--requests 2000]
        [--warmup 200] [--runs 3] [--json]

Everything runs in temporary folders and stops by itself; the load generator shares the
machine with both servers and the database, so compare ratios, not absolute numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx
from measures import rows

from service.generate import write_dataset

HERE = Path(__file__).resolve().parent
TARGETS = ("graphql", "bare")
SCENARIOS = ("actor", "incidents")
N_ACTORS, N_REGIONS = 200, 20
CLEARANCE = "RED"
START_TIMEOUT_S = 120.0  # for a server to answer /healthz
STOP_TIMEOUT_S = 60.0  # for a server to stop after SIGTERM (the database flushes its files)
LOAD_TIMEOUT_S = 1800.0  # for `tejido load`
REQUEST_TIMEOUT_S = 30.0
# High enough that the benchmark measures the API, not the per-key rate limit (600/minute by
# default: a faster server answered 429 within the first run).
UNLIMITED = "100000000/minute"
PASS_TIMEOUT_S = 600.0  # for one pass of requests against one server

ACTOR_QUERY = """
query ActorLinks($id: ID!) {
  actor(id: $id) {
    id name sector kind country aliases tlp
    links(first: 20) {
      totalCount
      edges { node { id type direction confidence validFrom validTo tlp other { id name } } }
    }
  }
}"""
INCIDENTS_QUERY = """
query Incidents($territory: ID!) {
  incidents(filter: {territory: $territory}, first: 20) {
    totalCount
    edges { node { id name kind date severity verified tlp } }
  }
}"""
GRAPHQL = {"actor": (ACTOR_QUERY, "id"), "incidents": (INCIDENTS_QUERY, "territory")}


@dataclass(frozen=True)
class Inputs:
    """What the requests ask about, picked from the generated CSV files."""

    org: str
    actors: list[str]
    regions: list[str]


@dataclass(frozen=True)
class Pass:
    """One timed pass of requests against one server."""

    seconds: float
    latencies: list[float]
    failures: list[str]

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds


@dataclass(frozen=True)
class Summary:
    """Medians over the runs of one scenario against one server."""

    scenario: str
    target: str
    rps: float
    p50_ms: float
    p95_ms: float


# --- the dataset and the database ----------------------------------------------------------


def _spread(ids: list[str], n: int) -> list[str]:
    """n ids spread evenly over the sorted list, always the same ones."""
    ids = sorted(ids)
    return ids[:: max(1, len(ids) // n)][:n]


def pick_inputs(folder: Path) -> Inputs:
    """CLEAR/GREEN actors and regions (every viewer sees them), and the organization that owns
    the most incidents (so that its RED clearance matters)."""
    public = {"CLEAR", "GREEN"}
    actors = [r["id"] for r in rows(folder, "actors.csv") if r["tlp"] in public]
    regions = [
        r["id"]
        for r in rows(folder, "territories.csv")
        if r["kind"] == "region" and r["tlp"] in public
    ]
    owners = Counter(r["owner"] for r in rows(folder, "incidents.csv"))
    orgs = {r["id"] for r in rows(folder, "organizations.csv")}
    org = min((o for o in orgs if o in owners), key=lambda o: (-owners[o], o))
    return Inputs(org, _spread(actors, N_ACTORS), _spread(regions, N_REGIONS))


def _tejido() -> str:
    beside = Path(sys.executable).with_name("tejido")
    found = str(beside) if beside.exists() else shutil.which("tejido")
    if found is None:
        raise SystemExit("the `tejido` command is not installed (pip install -e .)")
    return found


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "TEJIDO_GRAPH_URI"}
    return {**env, "TEJIDO_DATA_DIR": str(data_dir), **extra}


def _run(args: list[str], env: dict[str, str], timeout: float) -> str:
    done = subprocess.run(  # noqa: S603 - our own command, no shell
        args, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args[1:3])} failed ({done.returncode}):\n{done.stderr}")
    return done.stdout


def prepare(folder: Path, data_dir: Path, org: str) -> str:
    """Load the folder into a fresh embedded database; a reader key of `org` cleared for RED."""
    tejido, env = _tejido(), _env(data_dir)
    started = time.perf_counter()
    _run([tejido, "load", str(folder), "--no-progress"], env, LOAD_TIMEOUT_S)
    say(f"loaded in {time.perf_counter() - started:.1f} s")
    out = _run(
        [tejido, "keys", "create", "--org", org, "--role", "reader", "--clearance", CLEARANCE],
        env,
        120,
    )
    return out.strip().splitlines()[-1]


# --- the two servers -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{url} exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=1).status_code == 200:
                return
        time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {START_TIMEOUT_S:.0f} s; see {log}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()  # uvicorn stops gracefully; `tejido serve` then stops the database
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def server(
    args: list[str], env: dict[str, str], port: int, log: Path, health: str = "/healthz"
) -> Iterator[str]:
    """Run a server until the block ends; yields its base URL once `health` answers 200."""
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - our own commands, no shell
            args, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(process, f"{base}{health}", log)
        yield base
    finally:
        _stop(process)


@contextlib.contextmanager
def servers(data_dir: Path, key: str, logs: Path) -> Iterator[dict[str, str]]:
    """`tejido serve` (it owns the embedded database) and the bare app attached to it."""
    graphql_port, bare_port = free_port(), free_port()
    serve = [_tejido(), "serve", "--host", "127.0.0.1", "--port", str(graphql_port)]
    serve_env = _env(data_dir, TEJIDO_RATE_LIMIT=UNLIMITED)
    with server(serve, serve_env, graphql_port, logs / "serve.log") as graphql:
        db_port = json.loads((data_dir / "server.json").read_text())["port"]
        bare_args = [sys.executable, str(HERE / "bare_app.py"), "--port", str(bare_port)]
        bare_args += ["--key", key]
        bare_env = _env(data_dir, TEJIDO_GRAPH_URI=f"falkordb://127.0.0.1:{db_port}")
        with server(bare_args, bare_env, bare_port, logs / "bare.log") as bare:
            yield {"graphql": graphql, "bare": bare}


# --- requests ------------------------------------------------------------------------------

Send = Callable[[httpx.AsyncClient, str], Awaitable[httpx.Response]]


def sender(target: str, scenario: str) -> Send:
    """How to ask one scenario's question about one id of one server."""
    if target == "graphql":
        query, name = GRAPHQL[scenario]
        return lambda client, value: client.post(
            "/graphql", json={"query": query, "variables": {name: value}}
        )
    if scenario == "actor":
        return lambda client, value: client.get(f"/bare/actor/{value}")
    return lambda client, value: client.get("/bare/incidents", params={"territory": value})


def problem(response: httpx.Response) -> str | None:
    """What is wrong with a response, or None: a 200 whose data is there, without errors."""
    if response.status_code != 200:
        return f"HTTP {response.status_code}: {response.text[:200]}"
    body = response.json()
    if "errors" in body:
        return f"errors: {json.dumps(body['errors'])[:200]}"
    if "data" in body and None in body["data"].values():
        return f"no data: {response.text[:200]}"
    return None


async def drive(
    client: httpx.AsyncClient, send: Send, values: list[str], count: int, concurrency: int
) -> Pass:
    """`count` requests from `concurrency` clients, cycling through `values`."""
    latencies: list[float] = []
    failures: list[str] = []
    numbers = itertools.count()

    async def one_client() -> None:
        while (i := next(numbers)) < count:
            started = time.perf_counter()
            try:
                response = await send(client, values[i % len(values)])
            except httpx.HTTPError as exc:
                failures.append(f"{type(exc).__name__}: {exc}")
                continue
            latencies.append(time.perf_counter() - started)
            if (wrong := problem(response)) is not None:
                failures.append(wrong)

    started = time.perf_counter()
    async with asyncio.timeout(PASS_TIMEOUT_S):
        await asyncio.gather(*(one_client() for _ in range(concurrency)))
    return Pass(time.perf_counter() - started, latencies, failures)


def _client(base: str, concurrency: int, key: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=base,
        headers={"Authorization": f"Bearer {key}"},
        timeout=REQUEST_TIMEOUT_S,
        limits=httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency),
    )


async def _answer(client: httpx.AsyncClient, target: str, scenario: str, value: str) -> Any:
    response = await sender(target, scenario)(client, value)
    if (wrong := problem(response)) is not None:
        raise SystemExit(f"{target} {scenario} {value}: {wrong}")
    body = response.json()
    return body["data"][scenario] if target == "graphql" else body


async def same_answers(bases: dict[str, str], key: str, inputs: Inputs) -> None:
    """Both servers see the same records for the same question, or the comparison is void."""
    async with _client(bases["graphql"], 1, key) as gql, _client(bases["bare"], 1, key) as bare:
        actor_id, region = inputs.actors[0], inputs.regions[0]
        links = (await _answer(gql, "graphql", "actor", actor_id))["links"]
        bare_links = (await _answer(bare, "bare", "actor", actor_id))["links"]
        page = await _answer(gql, "graphql", "incidents", region)
        bare_page = await _answer(bare, "bare", "incidents", region)
    seen = {
        "graphql": (
            links["totalCount"],
            [e["node"]["id"] for e in links["edges"]],
            page["totalCount"],
            [e["node"]["id"] for e in page["edges"]],
        ),
        "bare": (
            bare_links["total"],
            [i["id"] for i in bare_links["items"]],
            bare_page["total"],
            [i["id"] for i in bare_page["items"]],
        ),
    }
    if seen["graphql"] != seen["bare"]:
        raise SystemExit(f"the servers disagree on {actor_id} / {region}: {seen}")
    say(
        f"both servers agree: {actor_id} has {seen['bare'][0]} links, {region} has "
        f"{seen['bare'][2]} incidents"
    )


async def measure(
    bases: dict[str, str], key: str, inputs: Inputs, args: argparse.Namespace
) -> dict[tuple[str, str], list[Pass]]:
    """Every run measures every scenario on both servers, interleaved so drift hits all."""
    values = {"actor": inputs.actors, "incidents": inputs.regions}
    passes: dict[tuple[str, str], list[Pass]] = {}
    clients = {t: _client(bases[t], args.concurrency, key) for t in TARGETS}
    try:
        for run in range(args.runs):
            for scenario, target in itertools.product(SCENARIOS, TARGETS):
                send, client = sender(target, scenario), clients[target]
                warm = await drive(client, send, values[scenario], args.warmup, args.concurrency)
                timed = await drive(client, send, values[scenario], args.requests, args.concurrency)
                passes.setdefault((scenario, target), []).append(timed)
                say(f"run {run + 1}/{args.runs} {scenario:<9} {target:<7} {timed.rps:7.1f} rps")
                if failures := warm.failures + timed.failures:
                    kinds = Counter(failures).most_common(3)
                    raise SystemExit(
                        f"{len(failures)} failed requests ({scenario}, {target}): {kinds}"
                    )
    finally:
        for client in clients.values():
            await client.aclose()
    return passes


# --- results -------------------------------------------------------------------------------


def summarize(scenario: str, target: str, passes: list[Pass]) -> Summary:
    def ms(q: int, latencies: list[float]) -> float:
        return statistics.quantiles(latencies, n=100)[q - 1] * 1000

    return Summary(
        scenario,
        target,
        rps=statistics.median(p.rps for p in passes),
        p50_ms=statistics.median(ms(50, p.latencies) for p in passes),
        p95_ms=statistics.median(ms(95, p.latencies) for p in passes),
    )


def ratios(summaries: dict[tuple[str, str], Summary]) -> dict[str, dict[str, float]]:
    """GraphQL/bare per scenario: of throughput (below 1: GraphQL serves fewer) and of p50."""
    out = {}
    for scenario in SCENARIOS:
        gql, bare = summaries[scenario, "graphql"], summaries[scenario, "bare"]
        out[scenario] = {"rps": gql.rps / bare.rps, "p50": gql.p50_ms / bare.p50_ms}
    return out


def print_table(summaries: dict[tuple[str, str], Summary], args: argparse.Namespace) -> None:
    print(
        f"scale {args.scale}, concurrency {args.concurrency}, {args.requests} requests per run "
        f"after {args.warmup} warm-up, median of {args.runs} runs"
    )
    print(f"{'scenario':<10} {'server':<8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for s in summaries.values():
        print(f"{s.scenario:<10} {s.target:<8} {s.rps:>8.1f} {s.p50_ms:>8.2f} {s.p95_ms:>8.2f}")
    for scenario, r in ratios(summaries).items():
        print(f"GraphQL/bare {scenario:<9}: throughput {r['rps']:.2f}, p50 {r['p50']:.2f}")


def say(message: str) -> None:
    """Progress, on stderr: stdout is for the results."""
    print(message, file=sys.stderr, flush=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=10, help="dataset size (1 = the seed's)")
    parser.add_argument("--concurrency", type=int, default=8, help="clients at once")
    parser.add_argument("--requests", type=int, default=2000, help="timed requests per run")
    parser.add_argument("--warmup", type=int, default=200, help="untimed requests before each")
    parser.add_argument("--runs", type=int, default=3, help="runs; medians are reported")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    if min(args.concurrency, args.requests, args.runs) < 1 or args.warmup < 0:
        parser.error("--concurrency, --requests and --runs must be positive, --warmup >= 0")
    return args


def main() -> None:
    args = parse_args()
    # A plain `kill` unwinds like Ctrl-C does, so the servers are stopped on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    # A stopped database can still be writing its last files into the folder as it is removed.
    with tempfile.TemporaryDirectory(prefix="tejido-api-bench-", ignore_cleanup_errors=True) as tmp:
        folder, data_dir = Path(tmp) / "dataset", Path(tmp) / "data"
        write_dataset(folder, scale=args.scale)
        inputs = pick_inputs(folder)
        say(
            f"scale {args.scale} in {folder}; viewer {inputs.org} (reader, {CLEARANCE}), "
            f"{len(inputs.actors)} actors, {len(inputs.regions)} regions"
        )
        key = prepare(folder, data_dir, inputs.org)
        with servers(data_dir, key, Path(tmp)) as bases:
            asyncio.run(same_answers(bases, key, inputs))
            passes = asyncio.run(measure(bases, key, inputs, args))
    summaries = {k: summarize(*k, v) for k, v in passes.items()}
    if args.json:
        results = {"summaries": [asdict(s) for s in summaries.values()]}
        print(json.dumps({"args": vars(args), **results, "ratios": ratios(summaries)}, indent=2))
    else:
        print_table(summaries, args)


if __name__ == "__main__":
    main()
