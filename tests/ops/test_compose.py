"""docker-compose.yml checked where no Docker engine exists: against the Compose
specification's JSON schema (the copy check-jsonschema carries: no network), against what
production needs (pinned images, restart policies, loopback ports, readiness, no password on a
command line), and every NEO4J_* variable against the settings the Neo4j 5 the suite starts
knows. Where a Docker engine answers, it is brought up and loads the seed."""

from __future__ import annotations

import importlib.resources
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import neo4j
import pytest
import yaml

from tests.support.neo4j_server import LAUNCHER_DIR, Neo4jServer

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
# Variables the Neo4j image's entrypoint reads itself and does not turn into settings.
ENTRYPOINT_VARIABLES = {
    "NEO4J_ACCEPT_LICENSE_AGREEMENT",
    "NEO4J_AUTH",
    "NEO4J_AUTH_PATH",
    "NEO4J_DEBUG",
    "NEO4J_EDITION",
    "NEO4J_HOME",
    "NEO4J_PLUGINS",
    "NEO4J_SHA256",
    "NEO4J_TARBALL",
    "NEO4J_DEPRECATION_WARNING",
}
PINNED = re.compile(r"^[\w./-]+:\d+\.\d+\.\d+[\w.-]*(@sha256:[0-9a-f]{64})?$|@sha256:[0-9a-f]{64}$")


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    return loaded


def setting_name(variable: str) -> str:
    """The image's rule: NEO4J_ dropped, `__` -> `_`, then `_` -> `.`."""
    return variable.removeprefix("NEO4J_").replace("__", "\0").replace("_", ".").replace("\0", "_")


def neo4j_variables(spec: dict[str, Any]) -> dict[str, str]:
    found = {}
    for service in spec["services"].values():
        if str(service.get("image", "")).startswith("neo4j:"):
            env = service.get("environment", {})
            if isinstance(env, list):
                env = dict(item.split("=", 1) for item in env)
            found.update({k: str(v) for k, v in env.items() if k.startswith("NEO4J_")})
    return found


def production_problems(spec: dict[str, Any]) -> list[str]:
    """What would keep the file from starting, or from being safe, in production."""
    problems = []
    for name, service in spec["services"].items():
        if "image" in service and not PINNED.search(str(service["image"])):
            problems.append(f"{name}: image {service['image']} is not pinned to a full version")
        if service.get("restart") not in ("always", "unless-stopped", "on-failure"):
            problems.append(f"{name}: no restart policy")
        for port in service.get("ports", []):
            if not str(port).startswith("127.0.0.1:"):
                problems.append(f"{name}: port {port} is not bound to loopback")
        check = json.dumps(service.get("healthcheck", {}).get("test", ""))
        if not check.strip('"'):
            problems.append(f"{name}: no health check")
        if re.search(r"(-p|--password)\s", check) or "PASSWORD}" in check.replace("$$", "$"):
            problems.append(f"{name}: the health check puts the password on a command line")
        if str(service.get("user", "")).split(":")[0] in ("0", "root"):
            problems.append(f"{name}: runs as root")
        for key, value in (service.get("environment") or {}).items():
            if "PASSWORD" in key and not key.endswith("_FILE"):
                problems.append(f"{name}: {key} puts a secret in the environment")
            del value
    neo4j_env = neo4j_variables(spec)
    if not {"NEO4J_AUTH", "NEO4J_AUTH_PATH"} & neo4j_env.keys():
        problems.append("neo4j: neither NEO4J_AUTH nor NEO4J_AUTH_PATH sets the password")
    api = spec["services"].get("api", {})
    if api.get("depends_on", {}).get("neo4j", {}).get("condition") != "service_healthy":
        problems.append("api: does not wait for Neo4j to be healthy")
    if "/readyz" not in json.dumps(api.get("healthcheck", {})):
        problems.append("api: its health check is not /readyz")
    return problems


def test_the_file_follows_the_compose_specification() -> None:
    schema_file = (
        importlib.resources.files("check_jsonschema") / "builtin_schemas/vendor/compose-spec.json"
    )
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(compose())
    ]
    assert errors == []


def test_the_file_is_fit_for_production() -> None:
    assert production_problems(compose()) == []


def test_the_checks_catch_what_the_first_file_got_wrong() -> None:
    """The file of 0.1.0, as the issue found it: every one of its faults is caught."""
    first = {
        "services": {
            "neo4j": {
                "image": "neo4j:5.26-community",
                "environment": {"NEO4J_AUTH": "neo4j/${NEO4J_PASSWORD}", "NEO4J_PASSWORD": "x"},
                "ports": ["127.0.0.1:7687:7687"],
                "healthcheck": {
                    "test": [
                        "CMD-SHELL",
                        "cypher-shell -u neo4j -p \"$${NEO4J_PASSWORD}\" 'RETURN 1'",
                    ]
                },
            },
            "api": {
                "build": ".",
                "depends_on": {"neo4j": {"condition": "service_healthy"}},
                "environment": {"TEJIDO_NEO4J_PASSWORD": "x"},
                "ports": ["8000:8000"],
            },
        }
    }
    found = "\n".join(production_problems(first))
    for fault in (
        "not pinned",
        "no restart policy",
        "password on a command line",
        "TEJIDO_NEO4J_PASSWORD puts a secret",
        "8000:8000 is not bound",
        "not /readyz",
    ):
        assert fault in found
    assert setting_name("NEO4J_PASSWORD") == "PASSWORD"  # the setting strict validation refuses


def test_the_neo4j_image_is_the_version_the_suite_tests() -> None:
    pom = (ROOT / "tests/neo4j/pom.xml").read_text(encoding="utf-8")
    version = re.search(r"<neo4j.version>([\d.]+)</neo4j.version>", pom)
    assert version is not None
    assert compose()["services"]["neo4j"]["image"] == f"neo4j:{version[1]}-community"


_SETTING = re.compile(rb"(?:server|db|dbms|browser|client|initial)\.[a-z0-9_.]+[a-z0-9_]")


def declared_settings(classpath: str) -> set[str]:
    """Setting names declared by the `*Settings` classes of Neo4j's jars: the server's own
    list includes settings its launcher reads before it starts (the heap's size), which a
    running database does not report."""
    found: set[str] = set()
    for jar in classpath.split(":"):
        if "/org/neo4j/" not in jar or not jar.endswith(".jar"):
            continue
        with zipfile.ZipFile(jar) as archive:
            for name in archive.namelist():
                if name.endswith("Settings.class"):
                    found |= {m.decode() for m in _SETTING.findall(archive.read(name))}
    return found


def test_every_neo4j_variable_is_a_setting_neo4j_knows(neo4j_instance: Neo4jServer) -> None:
    with neo4j.GraphDatabase.driver(neo4j_instance.uri, auth=neo4j_instance.auth) as driver:
        records, _, _ = driver.execute_query("CALL dbms.listConfig() YIELD name RETURN name")
    known = {r["name"] for r in records}
    assert "db.transaction.timeout" in known
    classpath = LAUNCHER_DIR / "target" / "classpath.txt"
    if neo4j_instance.how == "maven-launcher":  # the jars of the very server that answered
        known |= declared_settings(classpath.read_text(encoding="utf-8"))
        assert "server.memory.heap.max_size" in known
    variables = neo4j_variables(compose())
    unknown = {
        v: setting_name(v)
        for v in variables
        if v not in ENTRYPOINT_VARIABLES and setting_name(v) not in known
    }
    assert unknown == {}
    assert setting_name("NEO4J_PASSWORD") not in known  # the check would have caught it


def _docker_answers() -> str | None:
    if shutil.which("docker") is None:
        return "no docker command"
    answer = subprocess.run(["docker", "info"], capture_output=True, text=True, check=False)
    return None if answer.returncode == 0 else "the Docker engine does not answer"


@pytest.mark.slow
def test_compose_starts_and_loads_the_seed(tmp_path: Path) -> None:
    reason = _docker_answers()
    if reason:
        pytest.skip(f"{reason}: docker-compose.yml checked statically only")
    project = tmp_path / "project"
    shutil.copytree(
        ROOT, project, ignore=shutil.ignore_patterns(".venv", ".git", "node_modules", "target")
    )
    (project / "secrets").mkdir()
    (project / "secrets/neo4j_auth").write_text("neo4j/compose-test-password-0123456789")
    (project / "secrets/neo4j_auth").chmod(0o644)
    compose_cmd = ["docker", "compose", "-p", "tejido-test", "--project-directory", str(project)]
    try:
        subprocess.run([*compose_cmd, "up", "-d", "--build", "--wait"], check=True, timeout=900)
        loaded = subprocess.run(
            [
                *compose_cmd,
                "exec",
                "-T",
                "api",
                "tejido",
                "load",
                "/app/seed_data",
                "--no-progress",
            ],
            check=True,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert "loaded 9935 rows" in loaded.stdout
    finally:
        subprocess.run([*compose_cmd, "down", "-v"], check=False, timeout=300)
