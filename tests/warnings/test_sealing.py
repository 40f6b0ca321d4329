"""Webhook secrets at rest (service/warnings/sealing.py), on both databases: the graph and a
backup hold the secret sealed, never in clear; a secret from before sealing (an old backup
restored) is sealed at start; a missing or wrong key stops `tejido serve` with a clear error
in Spanish and English and the configuration exit code; rotation seals again with the new key.
That deliveries signed with the opened secret verify at the receiver is
test_warnings.py::test_deliveries_are_signed_logged_and_sent_once."""

from __future__ import annotations

import asyncio
import datetime as dt
import tarfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography.fernet import Fernet

from service.access import Role, Tlp
from service.backup import backup
from service.cli import main
from service.config import Settings
from service.errors import ConfigError
from service.keys import create_key
from service.store import Store
from service.warnings.sealing import SecretBox, check_webhook_secrets
from tests.support.backends import Graph
from tests.support.graphql_client import serve_api
from tests.support.serve_process import SECRET_KEY, serve_env
from tests.support.watch_world import load_world

SECRET = "a-webhook-secret-that-must-never-be-stored-in-clear"  # noqa: S105 - a test's
URL = "https://hooks.example.org/tejido"


async def _set_webhook(store: Store, org: str = "org-a") -> None:
    now = dt.datetime.now(dt.UTC).isoformat()
    sealed = SecretBox([SECRET_KEY]).seal(SECRET)
    await store.write("set_warning_webhook", org=org, url=URL, sealed_secret=sealed, now=now)


async def test_the_graph_and_a_backup_hold_no_secret_in_clear(graph: Graph, tmp_path: Path) -> None:
    await _set_webhook(graph.store)
    (stored,) = await graph.store.operator_read("warning_webhooks")
    assert stored["plain_secret"] is None and SECRET not in str(stored["sealed_secret"])
    assert SecretBox([SECRET_KEY]).open(stored["sealed_secret"], "org-a") == SECRET
    path = tmp_path / "backup.tar"
    await backup(graph.settings, path)
    with tarfile.open(path) as tar:
        dumped = b"".join(
            f.read() for m in tar.getmembers() if (f := tar.extractfile(m)) is not None
        )
    assert SECRET.encode() not in dumped
    assert str(stored["sealed_secret"]).encode() in dumped  # restored as it was, still sealed


async def test_a_secret_in_clear_from_an_old_backup_is_sealed_at_start(graph: Graph) -> None:
    old = {"org": "org-a", "url": URL, "secret": SECRET, "updated_at": "2026-01-01T00:00:00"}
    await graph.store.write(
        "restore_nodes", rows=[{"i": 0, "labels": ["WarningWebhook"], "props": old}]
    )
    settings = Settings(secret_key=SECRET_KEY)
    assert await check_webhook_secrets(graph.store, settings) == 1
    (stored,) = await graph.store.operator_read("warning_webhooks")
    assert stored["plain_secret"] is None
    assert SecretBox([SECRET_KEY]).open(stored["sealed_secret"], "org-a") == SECRET
    assert await check_webhook_secrets(graph.store, settings) == 0  # nothing left to seal


async def test_rotation_seals_again_with_the_new_key(graph: Graph) -> None:
    await _set_webhook(graph.store)
    new = Fernet.generate_key().decode()
    env = serve_env(graph.settings) | {"TEJIDO_SECRET_KEY": f"{new},{SECRET_KEY}"}
    rotated = await asyncio.to_thread(CliRunner().invoke, main, ["warnings", "rotate-key"], env=env)
    assert rotated.exit_code == 0, rotated.output
    assert "sealed again: 1" in rotated.output
    (stored,) = await graph.store.operator_read("warning_webhooks")
    assert SecretBox([new]).open(stored["sealed_secret"], "org-a") == SECRET
    with pytest.raises(ConfigError, match="does not open the webhook secret of org-a"):
        SecretBox([SECRET_KEY]).open(stored["sealed_secret"], "org-a")  # the old key is done


@pytest.mark.parametrize(
    ("key", "english", "spanish"),
    [
        (None, "webhooks need TEJIDO_SECRET_KEY", "los webhooks necesitan TEJIDO_SECRET_KEY"),
        ("wrong", "does not open the webhook secret of org-a", "no abre el secreto del webhook"),
        ("not-a-key", "is not a Fernet key", "no es una clave Fernet"),
    ],
)
async def test_serve_refuses_to_start_without_the_right_key(
    graph: Graph, key: str | None, english: str, spanish: str
) -> None:
    await _set_webhook(graph.store)
    env: dict[str, str | None] = dict(serve_env(graph.settings))
    given = Fernet.generate_key().decode() if key == "wrong" else key
    env["TEJIDO_SECRET_KEY"] = given
    for lang, expected in (("en", english), ("es", spanish)):
        env["TEJIDO_LANGUAGE"] = lang
        result = await asyncio.to_thread(
            CliRunner().invoke, main, ["serve", "--port", "1"], env=env
        )
        assert result.exit_code == 5, result.output  # ConfigError, like any bad configuration
        assert expected in result.output
        assert SECRET not in result.output and (given is None or given not in result.output)


async def test_set_webhook_is_refused_without_a_key_and_nothing_is_written(graph: Graph) -> None:
    await load_world(graph.store, with_escalation=False)
    admin = (await create_key(graph.store, "org-a", Role.ADMIN, Tlp.RED)).key
    async with serve_api(graph.store, {"admin": admin}, Settings()) as api:
        body = await api.call(
            "admin",
            'mutation { setWarningWebhook(url: "https://hooks.example.org/x") { __typename } }',
        )
    assert body["errors"][0]["extensions"]["code"] == "CONFIG"
    assert "TEJIDO_SECRET_KEY" in body["errors"][0]["message"]
    assert await graph.store.operator_read("warning_webhooks") == []
