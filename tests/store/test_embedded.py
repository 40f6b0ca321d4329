"""The embedded FalkorDB: persistence, a second process attaching, recovery after kill -9."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from service.config import Settings
from service.store import open_store
from service.store.embedded import EmbeddedFalkorDB
from tests.support.tables import load_rows

# Each test starts an embedded FalkorDB of its own, which conftest cannot see in the fixtures.
pytestmark = pytest.mark.db

ORG = {"id": "org-a", "name": "Colectivo Uno", "kind": "ngo", "tlp": "GREEN", "owner": "org-a"}
ACTORS = [
    {
        "id": f"act-{i}",
        "name": f"Actor {i}",
        "sector": "state",
        "kind": "police",
        "tlp": "GREEN",
        "owner": "org-a",
    }
    for i in range(25)
]

# A process that owns the embedded database, loads a little, says so and waits to be killed.
OWNER_SCRIPT = """
import asyncio, sys, time
from service.config import Settings
from service.store import open_store
from tests.support.tables import load_rows
from tests.store.test_embedded import ACTORS, ORG

async def main():
    async with open_store(Settings(data_dir=sys.argv[1])) as store:
        await load_rows(store, organizations=[ORG], actors=ACTORS)
        print("LOADED", flush=True)
        time.sleep(600)

asyncio.run(main())
"""


async def count_actors(settings: Settings) -> int:
    async with open_store(settings) as store:
        rows = await store.operator_read("count_labels")
        return next((r["count"] for r in rows if r["label"] == "Actor"), 0)


def start_owner(data_dir: Path) -> subprocess.Popen[str]:
    owner = subprocess.Popen(
        [sys.executable, "-c", OWNER_SCRIPT, str(data_dir)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
    )
    assert owner.stdout is not None
    line = owner.stdout.readline().strip()
    if line != "LOADED":
        owner.kill()
        pytest.fail(f"the owner process did not load: {line!r}")
    return owner


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead for our purposes.
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(")")[1].split()[0] == "Z")


async def test_data_survives_a_clean_restart(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    async with open_store(settings) as store:
        await load_rows(store, organizations=[ORG], actors=ACTORS)
    assert not (tmp_path / "owner.lock").read_text()  # the lock file holds nothing but a lock
    assert await count_actors(settings) == len(ACTORS)


async def test_a_second_process_attaches_to_the_running_database(tmp_path: Path) -> None:
    owner = start_owner(tmp_path)
    try:
        server_pid = json.loads((tmp_path / "server.json").read_text())["pid"]
        assert await count_actors(Settings(data_dir=tmp_path)) == len(ACTORS)
        # Attaching and leaving did not stop the owner's server.
        assert pid_alive(server_pid)
    finally:
        owner.kill()
        owner.wait()


@pytest.mark.slow
async def test_kill_9_of_the_owner_loses_nothing_and_leaves_no_stale_lock(tmp_path: Path) -> None:
    owner = start_owner(tmp_path)
    server_pid = json.loads((tmp_path / "server.json").read_text())["pid"]
    await asyncio.sleep(1.5)  # the append-only file is flushed every second
    owner.send_signal(signal.SIGKILL)
    owner.wait()
    # The server follows its parent (parent-death signal) and shuts down cleanly.
    deadline = time.monotonic() + 30
    while pid_alive(server_pid) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    assert not pid_alive(server_pid)
    # A new process takes over the data directory at once: no stale lock to clear by hand.
    started = time.monotonic()
    server = EmbeddedFalkorDB(tmp_path, max_query_ms=10_000)
    server.start()
    try:
        assert server.owner
        assert time.monotonic() - started < 30
    finally:
        server.stop()
    assert await count_actors(Settings(data_dir=tmp_path)) == len(ACTORS)


async def test_a_read_budget_longer_than_the_write_budget_still_reads(tmp_path: Path) -> None:
    # The embedded database refuses a statement asking for more time than its ceiling; the
    # ceiling was the write budget alone, so this setting failed every read.
    settings = Settings(data_dir=tmp_path, read_timeout_s=60, write_timeout_s=10)
    async with open_store(settings) as store:
        await load_rows(store, organizations=[ORG], actors=ACTORS[:3])
        rows = await store.operator_read("count_labels")
        assert next(r["count"] for r in rows if r["label"] == "Actor") == 3
