"""A real Neo4j 5 for the test suite, from the cheapest source available.

Order: an external server named by ``TEJIDO_TEST_NEO4J_URI`` (CI services, a developer's own
instance), then a testcontainers ``neo4j:5.26-community`` when a Docker engine answers, then
the in-process Neo4j of ``tests/neo4j`` (built with Maven, run with ``java``), which needs no
Docker at all. When none of these is possible, :class:`Neo4jUnavailable` says why, so that
the conftest can skip with that reason instead of failing.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import queue
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import neo4j

__all__ = ["Neo4jServer", "Neo4jStartError", "Neo4jUnavailable", "neo4j_server"]

NEO4J_IMAGE = "neo4j:5.26-community"
LAUNCHER_DIR = Path(__file__).resolve().parents[1] / "neo4j"
READY_TIMEOUT_SECONDS = 240.0
BUILD_TIMEOUT_SECONDS = 900.0  # a first build downloads ~100 MB of jars from Maven Central
STOP_TIMEOUT_SECONDS = 60.0
BUILD_STAMP = ".tejido-build-stamp"  # in target/: touched after each successful build
CONNECT_TIMEOUT_SECONDS = 60.0
# Extra JVM options for the launcher, split on whitespace (e.g. "-Xmx2g"); they come after the
# defaults, so they win.
JAVA_OPTS_ENV = "TEJIDO_TEST_NEO4J_JAVA_OPTS"
# Sized for a 2-core runner beside FalkorDB: a fixed heap ceiling (far above what the suite's
# graphs need) instead of a quarter of the RAM, and the GC with the fewest threads.
DEFAULT_JAVA_OPTS = ("-Xms256m", "-Xmx1g")
DEFAULT_GC = "-XX:+UseSerialGC"


@dataclass(frozen=True)
class Neo4jServer:
    uri: str
    user: str | None
    password: str | None
    how: str  # "env", "testcontainers" or "maven-launcher"
    startup_seconds: float

    @property
    def auth(self) -> tuple[str, str] | None:
        """What ``neo4j.GraphDatabase.driver(uri, auth=...)`` expects."""
        if self.user is None:
            return None
        return (self.user, self.password or "")


class Neo4jUnavailable(Exception):
    """No way to get a Neo4j here (no URI, no Docker, no java/mvn); ``reason`` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Neo4jStartError(RuntimeError):
    """A Neo4j that should have started did not: a real failure, not a reason to skip."""


@contextlib.contextmanager
def neo4j_server() -> Iterator[Neo4jServer]:
    started = time.monotonic()
    uri = os.environ.get("TEJIDO_TEST_NEO4J_URI")
    if uri:
        user = os.environ.get("TEJIDO_TEST_NEO4J_USER") or None
        password = os.environ.get("TEJIDO_TEST_NEO4J_PASSWORD") or None
        auth = (user, password or "") if user else None
        _wait_for_bolt(uri, auth, CONNECT_TIMEOUT_SECONDS)
        yield Neo4jServer(uri, user, password, "env", time.monotonic() - started)
        return

    if _docker_answers():
        with _testcontainers_server(started) as server:
            yield server
        return

    with _launcher_server(started) as server:
        yield server


# --- Docker -------------------------------------------------------------------------------


def _docker_answers() -> bool:
    # The docker client is installed on machines without an engine, so only a ping tells.
    try:
        import docker  # type: ignore[import-untyped,unused-ignore]

        client = docker.from_env(timeout=2)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:
        return False


@contextlib.contextmanager
def _testcontainers_server(started: float) -> Iterator[Neo4jServer]:
    try:
        from testcontainers.community.neo4j import Neo4jContainer
    except ImportError:  # testcontainers < 4.14 has it at the old place
        from testcontainers.neo4j import Neo4jContainer

    with Neo4jContainer(NEO4J_IMAGE) as container:
        uri = container.get_connection_url()
        user, password = container.username, container.password
        _wait_for_bolt(uri, (user, password), CONNECT_TIMEOUT_SECONDS)
        yield Neo4jServer(uri, user, password, "testcontainers", time.monotonic() - started)


# --- In-process Neo4j from tests/neo4j ------------------------------------------------------


@contextlib.contextmanager
def _launcher_server(started: float) -> Iterator[Neo4jServer]:
    java = shutil.which("java")
    if java is None:
        raise Neo4jUnavailable(
            "no Neo4j: TEJIDO_TEST_NEO4J_URI is unset, no Docker engine answers and there is "
            "no `java` on PATH for the in-process Neo4j of tests/neo4j"
        )
    classpath = _built_classpath()
    extra_opts = os.environ.get(JAVA_OPTS_ENV, "").split()
    # Two GC choices make the JVM refuse to start, so a GC given in the env replaces ours.
    own_gc = (
        []
        if any(o.startswith("-XX:+Use") and o.endswith("GC") for o in extra_opts)
        else [DEFAULT_GC]
    )
    java_opts = [*DEFAULT_JAVA_OPTS, *own_gc, *extra_opts]

    data_dir = Path(tempfile.mkdtemp(prefix="tejido-neo4j-"))
    try:
        # A port picked free can be taken before Neo4j binds it: then try another one.
        for attempt in range(3):
            port = _free_port()
            log_path = data_dir / f"launcher-{attempt}.log"
            cmd = [
                java,
                *java_opts,
                "-cp",
                classpath,
                "tejido.Neo4jLauncher",
                str(port),
                str(data_dir / "home"),
            ]
            with (
                log_path.open("wb") as log,
                subprocess.Popen(
                    cmd,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=log,
                    cwd=data_dir,
                    # Our own teardown stops it; a Ctrl-C for pytest must not kill it mid-test.
                    start_new_session=True,
                ) as proc,
            ):
                try:
                    uri = _wait_for_ready(proc, log_path, port)
                    if uri is None:
                        continue  # port taken: next attempt
                    _wait_for_bolt(uri, None, CONNECT_TIMEOUT_SECONDS)
                    yield Neo4jServer(uri, None, None, "maven-launcher", time.monotonic() - started)
                    return
                finally:
                    _stop(proc)
        raise Neo4jStartError("Neo4j found its free port taken (BindException) 3 times in a row")
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def _built_classpath() -> str:
    """Classpath of the launcher, building tests/neo4j first when it is missing or stale."""
    classpath_file = LAUNCHER_DIR / "target" / "classpath.txt"
    lock_path = LAUNCHER_DIR / "target" / ".build.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    # pytest-xdist workers and concurrent runs share target/: one build at a time, and the
    # others reuse its result once they get the lock.
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if _needs_build(classpath_file):
                _maven_build()
            deps = classpath_file.read_text(encoding="utf-8").strip()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return os.pathsep.join([str(LAUNCHER_DIR / "target" / "classes"), deps])


def _needs_build(classpath_file: Path) -> bool:
    # Our own stamp, because Maven leaves classpath.txt untouched when it would not change.
    stamp = LAUNCHER_DIR / "target" / BUILD_STAMP
    classes = LAUNCHER_DIR / "target" / "classes" / "tejido" / "Neo4jLauncher.class"
    if not (stamp.is_file() and classpath_file.is_file() and classes.is_file()):
        return True
    built = stamp.stat().st_mtime
    sources = [LAUNCHER_DIR / "pom.xml", *(LAUNCHER_DIR / "src").rglob("*.java")]
    if any(source.stat().st_mtime > built for source in sources):
        return True
    # A wiped ~/.m2 (fresh CI cache) leaves a classpath of missing jars.
    jars = classpath_file.read_text(encoding="utf-8").strip().split(os.pathsep)
    return not all(Path(jar).is_file() for jar in jars if jar)


def _maven_build() -> None:
    mvn = shutil.which("mvn")
    if mvn is None:
        raise Neo4jUnavailable(
            "no Neo4j: TEJIDO_TEST_NEO4J_URI is unset, no Docker engine answers and there is "
            "no `mvn` on PATH to build the in-process Neo4j of tests/neo4j"
        )
    try:
        result = subprocess.run(
            [mvn, "-q", "-B", "package", "-DskipTests"],
            cwd=LAUNCHER_DIR,
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise Neo4jStartError(
            f"`mvn package` in {LAUNCHER_DIR} took over {BUILD_TIMEOUT_SECONDS:.0f} s"
        ) from exc
    if result.returncode != 0:
        raise Neo4jStartError(
            f"`mvn package` in {LAUNCHER_DIR} failed ({result.returncode}):\n"
            + _tail(result.stdout + result.stderr)
        )
    (LAUNCHER_DIR / "target" / BUILD_STAMP).touch()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_for_ready(proc: subprocess.Popen[bytes], log_path: Path, port: int) -> str | None:
    """The Bolt URI once the launcher prints READY; None when the port was taken."""
    assert proc.stdout is not None
    lines: queue.Queue[bytes | None] = queue.Queue()
    # A thread, because a pipe read has no timeout; it keeps draining stdout after READY so
    # the launcher can never block on a full pipe.
    threading.Thread(target=_pump, args=(proc.stdout, lines), daemon=True).start()
    other_output: list[str] = []  # the JVM reports bad options on stdout, not stderr

    def failure(what: str) -> Neo4jStartError:
        stdout = "\n".join(other_output[-20:])
        return Neo4jStartError(
            f"{what}\n--- launcher stdout:\n{stdout}\n--- launcher stderr:\n{_tail_file(log_path)}"
        )

    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise failure(f"Neo4j printed no READY line within {READY_TIMEOUT_SECONDS:.0f} s")
        try:
            line = lines.get(timeout=min(remaining, 1.0))
        except queue.Empty:
            continue
        if line is None:  # stdout closed: the launcher exited
            proc.wait(timeout=STOP_TIMEOUT_SECONDS)
            if "BindException" in _tail_file(log_path, lines=400):
                return None
            raise failure(f"Neo4j launcher exited with {proc.returncode} before READY")
        text = line.decode("utf-8", "replace").rstrip()
        if text.startswith("READY "):
            uri = text.removeprefix("READY ").strip()
            if not uri.endswith(f":{port}"):
                raise failure(f"launcher answered {text!r} for port {port}")
            return uri
        other_output.append(text)


def _pump(stream: IO[bytes], lines: queue.Queue[bytes | None]) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    # Closing stdin is the launcher's shutdown signal (it also fires if we die).
    with contextlib.suppress(OSError):
        if proc.stdin is not None:
            proc.stdin.close()
    try:
        proc.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _wait_for_bolt(uri: str, auth: tuple[str, str] | None, timeout: float) -> None:
    """Wait until a driver gets an answer to ``RETURN 1``."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with neo4j.GraphDatabase.driver(uri, auth=auth) as driver:
                driver.verify_connectivity()
                records, _, _ = driver.execute_query("RETURN 1 AS one")
                if records[0]["one"] == 1:
                    return
        except (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.SessionExpired) as exc:
            if time.monotonic() >= deadline:
                raise Neo4jStartError(f"no Bolt answer from {uri} in {timeout:.0f} s") from exc
            time.sleep(0.5)


def _tail(text: str, lines: int = 60) -> str:
    return "\n".join(text.splitlines()[-lines:])


def _tail_file(path: Path, lines: int = 60) -> str:
    try:
        return _tail(path.read_text(encoding="utf-8", errors="replace"), lines)
    except OSError as exc:
        return f"(no log: {exc})"
