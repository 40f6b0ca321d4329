"""The embedded database dies under writes (kill -9): `tejido serve` starts it again within
seconds on the same port, /readyz comes back, and every write it acknowledged is there.
/healthz tells the truth: ok through a short outage, 503 once the database stays away."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from service.access import Role, Tlp
from service.config import Settings
from service.keys import create_key
from service.store import open_store
from service.store.embedded import EmbeddedFalkorDB
from tests.store.test_embedded import ORG
from tests.support.embed_server import serve_app
from tests.support.tables import load_rows

pytestmark = [pytest.mark.db, pytest.mark.slow]

UPSERT = """mutation($input: ActorInput!) { upsertActor(input: $input) {
  __typename ... on Saved { id } ... on InputErrors { errors { field message } } } }"""
RECOVERY_S = 10.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def prepare(data_dir: Path) -> str:
    async with open_store(Settings(data_dir=data_dir)) as store:
        await load_rows(store, organizations=[ORG])
        return (await create_key(store, "org-a", Role.ANALYST, Tlp.RED)).key


async def present(data_dir: Path, ids: list[str]) -> set[str]:
    async with open_store(Settings(data_dir=data_dir)) as store:
        rows = await store.operator_read("records_by_id", ids=ids)
        return {r["id"] for r in rows}


def test_serve_restarts_the_embedded_database_and_loses_no_acknowledged_write(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    key = asyncio.run(prepare(data_dir))
    port = free_port()
    env = {**os.environ, "TEJIDO_DATA_DIR": str(data_dir), "TEJIDO_ENV": "production"}
    env.pop("TEJIDO_GRAPH_URI", None)
    log_file = (tmp_path / "serve.log").open("w")  # a pipe nobody reads would fill and block
    serve = subprocess.Popen(
        [str(Path(sys.executable).parent / "tejido"), "serve", "--port", str(port)],
        env=env,
        stderr=log_file,
    )
    base = f"http://127.0.0.1:{port}"
    acknowledged: list[str] = []
    failed = 0
    stop = threading.Event()

    def write() -> None:
        nonlocal failed
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}) as client:
            i = 0
            while not stop.is_set():
                actor = {
                    "name": f"Actor {i}",
                    "sector": "state",
                    "kind": "police",
                    "tlp": "GREEN",
                }
                i += 1
                try:
                    answer = client.post(
                        "/graphql",
                        json={"query": UPSERT, "variables": {"input": actor}},
                        timeout=10,
                    )
                    saved = answer.json()["data"]["upsertActor"]
                    if saved["__typename"] == "Saved":
                        acknowledged.append(saved["id"])
                        continue
                except (httpx.HTTPError, KeyError, TypeError, ValueError):
                    pass
                failed += 1

    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        writer = threading.Thread(target=write)
        writer.start()
        time.sleep(2)
        old = json.loads((data_dir / "server.json").read_text())
        os.kill(old["pid"], signal.SIGKILL)
        killed_at, written_before = time.monotonic(), len(acknowledged)

        health = []
        new = old
        while time.monotonic() - killed_at < RECOVERY_S:
            health.append(httpx.get(f"{base}/healthz", timeout=2).status_code)
            # SIGKILL lands asynchronously: wait for the new server, not just a /readyz 200.
            new = json.loads((data_dir / "server.json").read_text())
            if (
                new["pid"] != old["pid"]
                and httpx.get(f"{base}/readyz", timeout=2).status_code == 200
            ):
                break
            time.sleep(0.1)
        recovered_in = time.monotonic() - killed_at
        assert recovered_in < RECOVERY_S, "the database did not come back"
        assert set(health) <= {200}, "a short outage is not a reason to restart the service"
        assert new["port"] == old["port"], "the workers' connections find it where it was"
        time.sleep(2)
        stop.set()
        writer.join(timeout=30)
        assert len(acknowledged) > written_before > 0, "writes went on after the restart"
    finally:
        stop.set()
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=60)
        log_file.close()
    log = (tmp_path / "serve.log").read_text()
    assert serve.returncode == 0, log[-2000:]
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    assert any(e["event"] == "embedded database restarted" for e in lines), log[-2000:]
    assert asyncio.run(present(data_dir, acknowledged)) == set(acknowledged)
    print(  # noqa: T201 - the figures the issue asks for, shown with -s
        f"recovered in {recovered_in:.1f} s; {len(acknowledged)} acknowledged writes, all "
        f"there; {failed} refused while it was down"
    )


def test_healthz_turns_unhealthy_when_the_database_stays_away(tmp_path: Path) -> None:
    server = EmbeddedFalkorDB(tmp_path / "data", max_query_ms=300_000)
    address = server.start()
    settings = Settings(
        data_dir=tmp_path / "data",
        graph_uri=f"falkordb://{address.host}:{address.port}",
        unhealthy_after_s=1.0,
    )
    try:
        with serve_app(settings) as base:
            assert httpx.get(f"{base}/healthz").json() == {"status": "ok"}
            server.stop()
            first = httpx.get(f"{base}/healthz")
            assert first.status_code == 200 and first.json()["database"] == "unavailable"
            assert httpx.get(f"{base}/readyz").status_code == 503
            time.sleep(1.2)
            late = httpx.get(f"{base}/healthz")
            assert late.status_code == 503 and late.json()["status"] == "unhealthy"
    finally:
        server.stop()
