"""Operations: /metrics behind its own token, keys that expire and note their last use, the
exit code of `serve` on a busy port, and production logs that are JSON lines only (a request,
an input error in one line, an unexpected error with its traceback and request id)."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from pydantic import SecretStr

from service.access import Role, Tlp
from service.cli import main
from service.config import Settings
from service.keys import create_key, holder_of_key, list_keys, settled
from service.store import Store
from tests.store.test_embedded import ORG
from tests.support.graphql_client import app_client
from tests.support.tables import load_rows

TOKEN = "metrics-token-for-tests-0123456789"  # noqa: S105 - a test value


async def test_metrics_are_off_by_default_and_behind_their_own_token(store: Store) -> None:
    await load_rows(store, organizations=[ORG])
    key = (await create_key(store, "org-a", Role.READER, Tlp.GREEN)).key
    async with app_client(store) as http:
        assert (await http.get("/metrics")).status_code == 404
    settings = Settings(metrics_token=SecretStr(TOKEN))
    async with app_client(store, settings) as http:
        assert (await http.get("/metrics")).status_code == 401
        bearer = {"Authorization": f"Bearer {key}"}  # an API key is not the metrics token
        assert (await http.get("/metrics", headers=bearer)).status_code == 401
        query = {"query": "{ actors(first: 5) { edges { node { id } } } }"}
        assert (await http.post("/graphql", json=query, headers=bearer)).status_code == 200
        bad = {"query": "{ actors(first: 500) { edges { node { id } } } }"}
        refused = await http.post("/graphql", json=bad, headers=bearer)
        assert refused.json()["errors"][0]["extensions"]["code"] == "INVALID_INPUT", refused.text
        await http.post("/graphql", json={"query": "{ nonsense }"}, headers=bearer)
        scrape = await http.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert scrape.status_code == 200
    text = scrape.text
    assert 'tejido_graphql_requests_total{operation="query.actors",outcome="ok"}' in text
    assert 'tejido_graphql_requests_total{operation="query.actors",outcome="error"}' in text
    assert 'tejido_graphql_requests_total{operation="invalid",outcome="error"}' in text
    assert "nonsense" not in text  # what a client sends never becomes a label
    assert 'tejido_db_statement_seconds_count{kind="operator",statement="key_by_id"}' in text
    assert 'tejido_graphql_seconds_bucket{le="0.1",operation="query.actors"}' in text


async def test_an_expired_key_gets_401_and_use_is_noted_once_a_minute(store: Store) -> None:
    await load_rows(store, organizations=[ORG])
    live = await create_key(
        store, "org-a", Role.READER, Tlp.GREEN, expires_in=dt.timedelta(days=90)
    )
    gone = await create_key(
        store, "org-a", Role.READER, Tlp.GREEN, expires_in=dt.timedelta(minutes=1)
    )
    await store.write(  # as if that minute had passed: the expiry is in the past
        "create_key",
        id="old",
        org="org-a",
        role="reader",
        clearance="GREEN",
        hash="x",
        note="",
        now="2020-01-01T00:00:00+00:00",
        expires_at="2020-01-01T00:01:00+00:00",
    )
    async with app_client(store) as http:
        for _ in range(3):
            ok = await http.post(
                "/graphql",
                json={"query": "{ viewer { organization } }"},
                headers={"Authorization": f"Bearer {live.key}"},
            )
            assert ok.status_code == 200, ok.text
    assert await holder_of_key(store, gone.key) is not None
    await settled()  # last_used_at is written in the background, after the answer
    rows = {r["id"]: r for r in await list_keys(store)}
    assert rows[live.id]["expires_at"] > dt.datetime.now(dt.UTC).isoformat()
    assert rows[live.id]["last_used_at"] is not None
    # Expire `gone` by rewriting its expiry into the past through the create statement's shape.
    await store.write("revoke_key", id=gone.id, now="2020-01-01T00:00:00+00:00")
    assert await holder_of_key(store, gone.key) is None
    async with app_client(store) as http:
        expired = await http.post(
            "/graphql",
            json={"query": "{ viewer { organization } }"},
            headers={"Authorization": "Bearer tjd_old_x"},
        )
        assert expired.status_code == 401


def test_keys_create_expires_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEJIDO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TEJIDO_GRAPH_URI", raising=False)
    runner = CliRunner()
    bad = runner.invoke(main, ["keys", "create", "--org", "org-a", "--expires-in", "forever"])
    assert bad.exit_code == 3 and "forever" in bad.output


def test_serve_on_a_busy_port_exits_6_not_3(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "TEJIDO_DATA_DIR": str(tmp_path / "data")}
        env.pop("TEJIDO_GRAPH_URI", None)
        done = subprocess.run(
            [str(Path(sys.executable).parent / "tejido"), "serve", "--port", str(port)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert done.returncode == 6, done.stderr
    assert f"127.0.0.1:{port}" in done.stderr and "Traceback" not in done.stderr


# The app as `serve` runs it in production, on the test's graph, with one statement made to
# fail as nothing expects (the fault a broken database or a bug would cause).
PRODUCTION = """
import sys, uvicorn
from service.api.app import create_app
from service.config import Settings
from service.logs import configure_logging, uvicorn_log_config
from service.store.base import Store
read = Store.read
async def failing(self, name, **params):
    if name == "records_by_ids":
        raise RuntimeError("an unexpected fault")
    return await read(self, name, **params)
Store.read = failing
configure_logging("INFO", json=True)
uvicorn.run(create_app(Settings()), host="127.0.0.1", port=int(sys.argv[1]),
            log_config=uvicorn_log_config("INFO", json=True))
"""


@pytest.mark.slow
async def test_production_logs_are_json_lines(graph: object, tmp_path: Path) -> None:
    store, settings = graph.store, graph.settings  # type: ignore[attr-defined]
    await load_rows(store, organizations=[ORG])
    key = (await create_key(store, "org-a", Role.READER, Tlp.GREEN)).key
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        **os.environ,
        **{
            f"TEJIDO_{k.upper()}": str(v)
            for k, v in settings.model_dump().items()
            if v is not None and k in ("graph_uri", "graph_name", "neo4j_user")
        },
    }
    if settings.neo4j_password is not None:
        env["TEJIDO_NEO4J_PASSWORD"] = settings.neo4j_password.get_secret_value()
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    log_path = tmp_path / "log.jsonl"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-c", PRODUCTION, str(port)], env=env, stderr=log
        )
    try:
        base, bearer = f"http://127.0.0.1:{port}", {"Authorization": f"Bearer {key}"}
        async with httpx.AsyncClient(base_url=base, headers=bearer) as http:
            for _ in range(200):
                try:
                    if (await http.get("/healthz")).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                import asyncio

                await asyncio.sleep(0.1)
            ok = await http.post("/graphql", json={"query": "{ viewer { organization } }"})
            bad = await http.post(
                "/graphql", json={"query": "{ actors(first: 500) { edges { node { id } } } }"}
            )
            boom = await http.post(
                "/graphql",
                json={"query": '{ node(id: "org-a") { id } }'},
                headers={"X-Request-ID": "req-from-the-proxy-42"},
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert ok.status_code == 200
    assert bad.json()["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    error = boom.json()["errors"][0]
    assert error["extensions"] == {"code": "INTERNAL", "request_id": "req-from-the-proxy-42"}
    assert boom.headers["x-request-id"] == "req-from-the-proxy-42"

    text = log_path.read_text()
    lines = [json.loads(line) for line in text.splitlines()]  # every line is one JSON object
    refused = [e for e in lines if e["event"] == "request refused"]
    assert len(refused) == 1 and refused[0]["code"] == "INVALID_INPUT"
    assert "exception" not in refused[0]
    unexpected = [e for e in lines if e["event"] == "unexpected error"]
    assert len(unexpected) == 1 and unexpected[0]["request_id"] == "req-from-the-proxy-42"
    assert unexpected[0]["exception"][0]["exc_value"] == "an unexpected fault"
    assert all("locals" not in frame for frame in unexpected[0]["exception"][0]["frames"])
    assert sum("exception" in e for e in lines) == 1, "a traceback only for the unexpected one"
    access = [e for e in lines if e.get("logger") == "uvicorn.access"]
    assert len(access) >= 4 and all("request_id" in e for e in access)
    (Path(__file__).parent / ".." / ".." / "build").resolve().mkdir(exist_ok=True)
