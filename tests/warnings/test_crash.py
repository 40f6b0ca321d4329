"""A `tejido serve` killed with SIGKILL after a write was acknowledged and before its warning
was delivered loses nothing: restarted, it delivers the warning, exactly once to the
receiver's idempotency key. On both databases (the server attaches to the test's graph)."""

from __future__ import annotations

import asyncio
import datetime as dt
import signal
import time
from pathlib import Path

import httpx
import pytest

from service.access import Role, Tlp, Viewer
from service.keys import create_key
from service.warnings.sealing import SecretBox
from service.warnings.watches import WatchKind, create_watch
from tests.support.backends import Graph
from tests.support.serve_process import SECRET_KEY, free_port, serve, wait_until
from tests.support.watch_world import load_world
from tests.support.webhook_receiver import webhook_receiver

SECRET = "a-test-secret-of-org-a-for-its-webhook"  # noqa: S105 - a test receiver's
INCIDENT = """mutation ($input: IncidentInput!) {
  recordIncident(input: $input) { __typename ... on Saved { id } }
}"""


@pytest.mark.slow
async def test_a_killed_server_delivers_after_restart_exactly_once(
    graph: Graph, tmp_path: Path
) -> None:
    store = graph.store
    await load_world(store, with_escalation=False)
    await asyncio.sleep(1.1)  # the world is older than the watch (writes are stamped to the second)
    key = (await create_key(store, "org-a", Role.ANALYST, Tlp.RED)).key
    admin = Viewer("org-a", Role.ADMIN, Tlp.RED)
    await create_watch(store, admin, WatchKind.INCIDENT_AGAINST, "def-1", {}, "test")
    port, log = free_port(), tmp_path / "serve.log"
    with webhook_receiver() as receiver:
        receiver.secret, receiver.status = SECRET, 503  # the receiver is down at first
        now = dt.datetime.now(dt.UTC).isoformat()
        await store.write(
            "set_warning_webhook",
            org="org-a",
            url=receiver.url,
            sealed_secret=SecretBox([SECRET_KEY]).seal(SECRET),
            now=now,
        )
        with serve(graph.settings, port, log) as first:
            attack = {
                "kind": "attack",
                "date": dt.date.today().isoformat(),
                "severity": 5,
                "territoryId": "ter-m",
                "tlp": "GREEN",
                "targets": ["def-1"],
            }
            response = await asyncio.to_thread(
                httpx.post,
                f"http://127.0.0.1:{port}/graphql",
                json={"query": INCIDENT, "variables": {"input": attack}},
                headers={"Authorization": f"Bearer {key}"},
                timeout=30,
            )
            assert response.json()["data"]["recordIncident"]["__typename"] == "Saved"
            wait_until(lambda: receiver.attempts >= 1, "no delivery was attempted")
            first.send_signal(signal.SIGKILL)  # acknowledged, not delivered
            first.wait(timeout=30)
        assert receiver.accepted == {}
        receiver.status = 200
        with serve(graph.settings, port, log):
            wait_until(
                lambda: bool(receiver.accepted), f"nothing delivered after restart (see {log})"
            )
            time.sleep(1.5)  # room for a duplicate, were there one
    assert receiver.bad_signatures == 0
    assert [len(bodies) for bodies in receiver.accepted.values()] == [1]
    (body,) = receiver.bodies()
    assert body["kind"] == "INCIDENT_AGAINST" and body["organization"] == "org-a"
    log_rows = await store.operator_read("warning_deliveries", org="org-a")
    assert log_rows[-1]["delivered"] is True and not any(r["delivered"] for r in log_rows[:-1])
