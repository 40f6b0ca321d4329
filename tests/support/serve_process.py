"""`tejido serve` as a real process attached to a graph that outlives it (a test's, on either
database, or examples/escalation's), for the tests that kill it with SIGKILL: it delivers
webhooks to a loopback receiver quickly."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from cryptography.fernet import Fernet

from service.config import Settings
from tests.embed.test_cli import cli_env

START_TIMEOUT_S = 60.0
# The operator's key that seals the webhook secrets of the tests (service/warnings/sealing.py).
SECRET_KEY = Fernet.generate_key().decode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_env(settings: Settings) -> dict[str, str]:
    """The environment of a server (or a command) on the graph of `settings`, delivering fast."""
    env = {k: v for k, v in {**os.environ, **cli_env(settings)}.items() if v is not None}
    return env | {
        "TEJIDO_WEBHOOK_ALLOW": '["127.0.0.1"]',
        "TEJIDO_WEBHOOK_POLL_S": "0.2",
        "TEJIDO_WEBHOOK_BACKOFF_S": "0.2",
        "TEJIDO_WEBHOOK_LEASE_S": "1",
        "TEJIDO_WARNINGS_INTERVAL_S": "0",
        "TEJIDO_SECRET_KEY": SECRET_KEY,
        "TEJIDO_LANGUAGE": "en",
    }


@contextmanager
def serve(settings: Settings, port: int, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A running `tejido serve` on `port`, its output appended to `log`; stopped on exit unless
    the test killed it."""
    command = [str(Path(sys.executable).with_name("tejido")), "serve", "--port", str(port)]
    with log.open("ab") as out:
        process = subprocess.Popen(command, env=serve_env(settings), stdout=out, stderr=out)
    try:
        wait_until(lambda: _healthy(port, process), f"tejido serve did not start (see {log})")
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)


def _healthy(port: int, process: subprocess.Popen[bytes]) -> bool:
    assert process.poll() is None, f"tejido serve exited with {process.returncode}"
    try:
        return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def wait_until(done: Callable[[], bool], message: str, timeout: float = START_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, message
        time.sleep(0.1)
