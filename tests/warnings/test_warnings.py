"""Watches and warnings through the API with real keys, on both databases: a scripted
escalation fires the expected warnings in order, once; nothing org-a may not see reaches its
warnings or its webhook; deliveries are signed and logged."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest
from click.testing import CliRunner

from service.access import Role, Tlp
from service.analytics.weights import load_weights
from service.cli import main
from service.config import Settings
from service.keys import create_key
from service.store import Store
from service.warnings.evaluate import evaluate
from service.warnings.outbox import backoff, deliver_due
from service.warnings.webhook import check_destination
from tests.embed.test_cli import cli_env
from tests.support.backends import Graph
from tests.support.graphql_client import Api, serve_api
from tests.support.serve_process import SECRET_KEY
from tests.support.watch_world import leaks, load_world
from tests.support.webhook_receiver import webhook_receiver

W = load_weights().risk
TODAY = dt.datetime.now(dt.UTC).date()

CREATE_WATCH = """mutation ($input: WatchInput!) {
  createWatch(input: $input) {
    __typename
    ... on Watch { id kind subject }
    ... on InputErrors { errors { field message } }
  }
}"""
WARNINGS = """query ($acknowledged: Boolean) {
  warnings(acknowledged: $acknowledged) { id kind sentence records { id label name } delivery }
}"""
LINK = """mutation ($input: LinkInput!) {
  link(input: $input) { __typename ... on InputErrors { errors { field message } } }
}"""
INCIDENT = """mutation ($input: IncidentInput!) {
  recordIncident(input: $input) { __typename ... on Saved { id } }
}"""
WEBHOOK = """mutation ($url: String) {
  setWarningWebhook(url: $url) { __typename ... on WebhookSet { secret } }
}"""


@pytest.fixture
async def api(store: Store) -> AsyncIterator[Api]:
    await load_world(store, with_escalation=False)
    # Writes are stamped to the second and a watch counts what is written in its own second:
    # the world must be older than the watches.
    await asyncio.sleep(1.1)
    keys = {
        "a_admin": (await create_key(store, "org-a", Role.ADMIN, Tlp.RED)).key,
        "a_analyst": (await create_key(store, "org-a", Role.ANALYST, Tlp.RED)).key,
        "a_green": (await create_key(store, "org-a", Role.READER, Tlp.GREEN)).key,
        "b_analyst": (await create_key(store, "org-b", Role.ANALYST, Tlp.RED)).key,
    }
    async with serve_api(store, keys, Settings(secret_key=SECRET_KEY)) as api:
        yield api


async def _watch(api: Api, **values: Any) -> str:
    found = (await api.data("a_admin", CREATE_WATCH, input=values))["createWatch"]
    assert found["__typename"] == "Watch", found
    return str(found["id"])


async def _incident(api: Api, who: str, kind: str, days_ago: int, **extra: Any) -> str:
    values = {
        "kind": kind,
        "date": (TODAY - dt.timedelta(days=days_ago)).isoformat(),
        "severity": 4,
        "territoryId": "ter-m",
        "tlp": "GREEN",
        **extra,
    }
    saved = (await api.data(who, INCIDENT, input=values))["recordIncident"]
    assert saved["__typename"] == "Saved", saved
    return str(saved["id"])


async def _escalate(api: Api) -> None:
    """Collusion, then two threats, then an attack on the supported defender; org-b writes
    its own hidden escalation in between."""
    await _watch(api, kind="COVERT_TIE", subject="ter-r")
    await _watch(
        api, kind="INCIDENT_COUNT", subject="ter-r", incidentKind="threat", count=2, windowDays=30
    )
    await _watch(api, kind="INCIDENT_AGAINST", subject="def-1")
    collusion = {
        "type": "COLLUDES_WITH",
        "fromId": "act-cartel",
        "toId": "act-police",
        "mode": "protection",
        "tlp": "GREEN",
    }
    assert (await api.data("a_analyst", LINK, input=collusion))["link"]["__typename"] == "Linked"
    await _incident(api, "a_analyst", "threat", 3)
    hidden = {"tlp": "RED", "targets": ["def-hidden"]}
    await _incident(api, "b_analyst", "threat", 2, **hidden)  # org-a must not count this one
    await _incident(api, "a_analyst", "threat", 1)
    await _incident(
        api,
        "a_analyst",
        "attack",
        0,
        targets=["def-1"],
        perpetrators=[{"actor": "act-cartel", "attribution": "alleged"}],
    )


async def test_an_escalation_fires_the_expected_warnings_in_order_once(
    api: Api, store: Store
) -> None:
    await _escalate(api)
    found = (await api.data("a_analyst", WARNINGS))["warnings"]
    assert [w["kind"] for w in found] == ["COVERT_TIE", "INCIDENT_COUNT", "INCIDENT_AGAINST"]
    assert "Cártel del Valle" in found[0]["sentence"]
    assert found[2]["records"][0] == {
        "id": "def-1",
        "label": "Defender",
        "name": "Nombre Inventado Ceiba",
    }
    assert leaks(found) == []
    assert await evaluate(store, W) == []  # idempotent: evaluating again records nothing
    assert len((await api.data("a_analyst", WARNINGS))["warnings"]) == 3
    # A GREEN key of org-a does not read the defender's name: it reads her pseudonym.
    green = (await api.data("a_green", WARNINGS))["warnings"]
    assert "Nombre Inventado Ceiba" not in repr(green) and "Ceiba" in green[2]["sentence"]


async def test_hidden_records_fire_no_warning(api: Api, store: Store) -> None:
    await _watch(api, kind="COVERT_TIE", subject="ter-r")
    await _watch(api, kind="KILLING_NEARBY", subject="ter-r")
    hidden_tie = {
        "type": "COLLUDES_WITH",
        "fromId": "act-hidden",
        "toId": "act-police",
        "tlp": "RED",
    }
    assert (await api.data("b_analyst", LINK, input=hidden_tie))["link"]["__typename"] == "Linked"
    await _incident(api, "b_analyst", "killing", 0, tlp="RED", targets=["def-hidden"])
    assert (await api.data("a_analyst", WARNINGS))["warnings"] == []
    assert await evaluate(store, W, TODAY + dt.timedelta(days=1)) == []


async def test_a_bad_watch_is_refused_with_the_field(api: Api) -> None:
    bad = {"kind": "RISK_LEVEL", "subject": "def-1"}
    result = (await api.data("a_admin", CREATE_WATCH, input=bad))["createWatch"]
    assert result["errors"] == [{"field": "level", "message": "a RISK_LEVEL watch needs level"}]
    hidden = {"kind": "INCIDENT_AGAINST", "subject": "def-hidden"}
    result = (await api.data("a_admin", CREATE_WATCH, input=hidden))["createWatch"]
    assert result["errors"][0]["field"] == "subject"  # as if it did not exist
    body = await api.call(
        "a_analyst", CREATE_WATCH, input={"kind": "COVERT_TIE", "subject": "ter-r"}
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_deliveries_are_signed_logged_and_sent_once(api: Api, store: Store) -> None:
    with webhook_receiver() as receiver:
        hook = (await api.data("a_admin", WEBHOOK, url=receiver.url))["setWarningWebhook"]
        receiver.secret = hook["secret"]
        await _escalate(api)
        settings = Settings(
            webhook_allow=["127.0.0.1"], webhook_backoff_s=0.01, secret_key=SECRET_KEY
        )
        receiver.status = 503
        assert await deliver_due(store, settings) == 0  # refused: retried later
        receiver.status = 200
        await _wait_due()
        assert await deliver_due(store, settings) == 3
        assert await deliver_due(store, settings) == 0  # delivered ones are not sent again
    assert receiver.bad_signatures == 0 and receiver.attempts == 6
    bodies = receiver.bodies()
    assert [b["kind"] for b in bodies] == ["COVERT_TIE", "INCIDENT_COUNT", "INCIDENT_AGAINST"]
    assert leaks(bodies) == []
    log = await store.operator_read("warning_deliveries", org="org-a")
    assert [(r["attempt"], r["delivered"]) for r in log].count((2, True)) == 3
    delivered = (await api.data("a_analyst", WARNINGS))["warnings"]
    assert {w["delivery"] for w in delivered} == {"delivered"}


async def _wait_due() -> None:
    await asyncio.sleep(0.05)


async def test_webhooks_may_not_reach_private_addresses_unless_allowed() -> None:
    with pytest.raises(PermissionError):
        await check_destination("http://127.0.0.1:9/hook", ())
    with pytest.raises(PermissionError):
        await check_destination("http://10.1.2.3/hook", ())
    await check_destination("http://127.0.0.1:9/hook", ("127.0.0.0/8",))
    assert backoff(1, 5).total_seconds() == 5 and backoff(30, 5).total_seconds() == 3600


async def test_a_tie_that_starts_later_fires_on_its_day_in_the_scheduled_run(
    api: Api, graph: Graph
) -> None:
    await _watch(api, kind="COVERT_TIE", subject="ter-r")
    later = TODAY + dt.timedelta(days=10)
    tie = {
        "type": "COLLUDES_WITH",
        "fromId": "act-cartel",
        "toId": "act-police",
        "tlp": "GREEN",
        "validFrom": later.isoformat(),
    }
    assert (await api.data("a_analyst", LINK, input=tie))["link"]["__typename"] == "Linked"
    assert (await api.data("a_analyst", WARNINGS))["warnings"] == []  # not yet
    run = ["warnings", "run", "--today", later.isoformat()]
    result = await asyncio.to_thread(CliRunner().invoke, main, run, env=cli_env(graph.settings))
    assert result.exit_code == 0, result.output
    assert "warnings recorded: 1; delivered: 0" in result.stdout  # the suite speaks English
    again = await asyncio.to_thread(CliRunner().invoke, main, run, env=cli_env(graph.settings))
    assert "warnings recorded: 0" in again.stdout
    assert [w["kind"] for w in (await api.data("a_analyst", WARNINGS))["warnings"]] == [
        "COVERT_TIE"
    ]
