"""The escalation of examples/escalation on a generated dataset, on both databases: a new
collusion tie, two threats, then an attack against a supported defender, with another
organization's RED records in the same place and days, and `tejido serve` killed with SIGKILL
between the attack's write and its delivery (the kill -9 machinery is tests/support's, as in
test_crash.py; this test adds a generated world, the order of several warnings, the changes and
the risk history, and what the watcher may not see)."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from pathlib import Path

import pytest

from examples.escalation.escalation import escalate, make_keys, pick
from service.generate import write_dataset
from service.ingest.load import load_folder
from tests.support.backends import Graph

SCALE = 0.3  # about 300 records: a small world, loaded in seconds on Neo4j too
ORDER = ["COVERT_TIE", "INCIDENT_COUNT", "INCIDENT_AGAINST"]


@pytest.mark.slow
async def test_an_escalation_on_a_generated_dataset(graph: Graph, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    write_dataset(folder, scale=SCALE, seed=2017)
    await load_folder(graph.store, folder, 5000, atomic_rows=0)
    scenario = pick(folder, dt.datetime.now(dt.UTC).date())
    keys = await make_keys(graph.store, scenario)
    log = tmp_path / "serve.log"
    found = await asyncio.to_thread(escalate, graph.settings, scenario, keys, log)

    # The warnings fired in order, once each, and reached the receiver in that order: the last
    # one after the restart, exactly once to its idempotency key, every signature good.
    assert [w["kind"] for w in found.warnings] == ORDER
    assert {w["delivery"] for w in found.warnings} == {"delivered"}
    assert [b["kind"] for b in found.bodies] == ORDER
    assert list(found.accepted.values()) == [1, 1, 1] and found.bad_signatures == 0
    assert set(found.accepted) == {w["id"] for w in found.warnings}
    assert found.killed_pending == "INCIDENT_AGAINST"
    # The other organization's RED threat is not counted, its killing fires nothing, its
    # covert tie is not new to the watcher, and none of its ids reach any answer or delivery.
    assert "2 incidents of kind threat" in found.warnings[1]["sentence"]
    leaked = [i for i in found.hidden if i in repr((found.warnings, found.changes, found.bodies))]
    assert leaked == []

    codes = [c["code"] for c in found.changes]
    assert codes[0] == "COVERT_TIE_STARTED" and codes.count("COVERT_TIE_STARTED") == 1
    tie_ends = {r["id"] for r in found.changes[0]["records"]}
    assert {scenario.actor, scenario.state_actor} <= tie_ends
    by_kind = {
        m.group(1): int(m.group(2))
        for c in found.changes
        if c["code"] == "INCIDENTS_BY_KIND"
        and (m := re.match(r"(\w+): (\d+) incidents?,", c["sentence"]))
    }
    assert by_kind == {"threat": 2, "attack": 1}  # no killing: the RED one is hidden
    assert "INCIDENTS_BY_PERPETRATOR" in codes

    # Her risk, computed as of each day, rises on the day of the attack.
    (*_, (yesterday, before, _level)), (today, after, _) = found.risk[:-1], found.risk[-1]
    assert yesterday < today and after > before
