"""An escalation scripted on a generated dataset (issue 17), end to end through a real
`tejido serve` and a webhook receiver on loopback:

1. from the generated tables, an organization (the watcher), a defender it supports, the
   municipality where she works, a non-state actor present there and a state actor, all of them
   records the watcher may read; a second organization (the other) writes what the watcher may
   not see;
2. the watcher's admin sets a webhook and four watches (a new covert tie in the municipality,
   two threats there within 30 days, any incident against the defender, a killing nearby);
3. the escalation: the actor starts colluding with the state actor, two threats in the
   municipality, then an attack against the defender by the actor; in between, the other
   organization records a RED threat, a RED killing and a RED collusion tie there;
4. the server is killed with SIGKILL after the attack is acknowledged and before its warning is
   delivered (the receiver refuses deliveries meanwhile), then started again;
5. what the watcher reads then: its warnings, the changes around the municipality, the
   defender's risk history, and what the receiver accepted by its idempotency key.

`python examples/escalation/escalation.py --scale 1` runs it on a fresh embedded database
(README.md); tests/warnings/test_escalation.py runs the same `escalate` on both databases and
checks what it returns. It reuses the tests' loopback receiver and server process
(tests/support), so run it from a checkout.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import datetime as dt
import json
import signal
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script from the checkout
    sys.path.insert(0, str(ROOT))

from service.access import Role, Tlp  # noqa: E402
from service.keys import create_key  # noqa: E402
from service.store import Store  # noqa: E402
from tests.support.serve_process import free_port, serve, wait_until  # noqa: E402
from tests.support.webhook_receiver import webhook_receiver  # noqa: E402

OPEN = ("CLEAR", "GREEN")
QUIET_DAYS = 60  # the municipality had no threat recorded in this many days before today

WEBHOOK = """mutation ($url: String) {
  setWarningWebhook(url: $url) { __typename ... on WebhookSet { secret } }
}"""
CREATE_WATCH = """mutation ($input: WatchInput!) {
  createWatch(input: $input) {
    __typename ... on Watch { id } ... on InputErrors { errors { field message } }
  }
}"""
LINK = """mutation ($input: LinkInput!) {
  link(input: $input) {
    __typename ... on Linked { id } ... on InputErrors { errors { field message } }
  }
}"""
INCIDENT = """mutation ($input: IncidentInput!) {
  recordIncident(input: $input) {
    __typename ... on Saved { id } ... on InputErrors { errors { field message } }
  }
}"""
WARNINGS = """{ warnings { id kind at sentence delivery records { id label name } } }"""
CHANGES = """query ($territory: ID!, $since: Date!, $until: Date) {
  changes(territory: $territory, since: $since, until: $until) {
    kind code sentence covert records { id label name }
  }
}"""
RISK = """query ($defender: ID!, $from: Date!, $to: Date) {
  riskHistory(defender: $defender, from: $from, to: $to, step: 1) {
    date risk { score level }
  }
}"""


@dataclass(frozen=True)
class Scenario:
    watcher: str  # the organization that supports the defender and watches
    other: str  # an organization whose RED records the watcher may not see
    defender: str
    municipality: str
    actor: str  # non-state, present in the municipality
    state_actor: str  # the actor colludes with it
    other_state_actor: str  # the other organization's hidden tie goes to it


def _rows(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / f"{name}.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _readable(row: dict[str, str], org: str) -> bool:
    """Whether an organization's RED key reads a record or tie whatever its networks
    (docs/access.md; networks are left out, so this errs on the side of "no")."""
    shared = row["shared_with"].split(";") if row["shared_with"] else []
    return row["tlp"] in OPEN or row["owner"] == org or (row["tlp"] != "RED" and org in shared)


def _name_readable(defender: dict[str, str], org: str) -> bool:
    return defender["tlp"] not in OPEN and _readable(defender, org)


def _current(row: dict[str, str], today: str) -> bool:
    return (row["valid_from"] or "0001") <= today and (row["valid_to"] or today) >= today


def pick(folder: Path, today: dt.date) -> Scenario:
    """The first supported defender of the generated tables around whom the escalation can be
    told with records the watcher may read."""
    day, quiet = today.isoformat(), (today - dt.timedelta(days=QUIET_DAYS)).isoformat()
    defenders = {r["id"]: r for r in _rows(folder, "defenders")}
    actors = {r["id"]: r for r in _rows(folder, "actors")}
    places = {r["id"]: r for r in _rows(folder, "territories")}
    ties = _rows(folder, "relationships")
    threatened = {
        r["territory_id"] for r in _rows(folder, "incidents") if r["date"] >= quiet
    }  # any kind, any marking: a quiet place, so that the watch counts only the escalation
    organizations = sorted({r["owner"] for r in _rows(folder, "organizations")})
    # Defenders whose name the watcher reads first: an incident against a defender known to a
    # viewer only by her pseudonym is placed no finer than her region (docs/access.md).
    supports = sorted(
        (t for t in ties if t["type"] == "SUPPORTS" and t["to_id"] in defenders),
        key=lambda t: (not _name_readable(defenders[t["to_id"]], t["from_id"]), t["id"]),
    )
    for support in supports:
        org, defender = support["from_id"], support["to_id"]
        if not (_readable(support, org) and _readable(defenders[defender], org)):
            continue
        if defenders[defender]["status"] != "active":
            continue
        for work in _ties(ties, "OPERATES_IN", defender, org, day):
            place = places.get(work["to_id"])
            if not place or place["kind"] != "municipality" or place["id"] in threatened:
                continue
            if not (place["tlp"] in OPEN and place["parent_id"]):
                continue
            present = [  # an actor that controls the place first
                t["from_id"]
                for t in sorted(ties, key=lambda t: t["type"] != "CONTROLS")
                if t["type"] in ("OPERATES_IN", "CONTROLS")
                and t["to_id"] == place["id"]
                and t["from_id"] in actors
                and actors[t["from_id"]]["sector"] == "non_state"
                and actors[t["from_id"]]["tlp"] in OPEN
                and t["tlp"] in OPEN
                and _current(t, day)
            ]
            state = sorted(  # the police first
                (a for a, r in actors.items() if r["sector"] == "state" and r["tlp"] in OPEN),
                key=lambda a: (actors[a]["kind"] != "police", a),
            )
            if present and len(state) >= 2:
                other = next(o for o in organizations if o != org)
                return Scenario(org, other, defender, place["id"], present[0], state[0], state[1])
    raise LookupError(f"no defender in {folder} fits the escalation")


def _ties(ties: Iterable[dict[str, str]], kind: str, start: str, org: str, day: str) -> list[Any]:
    return [
        t
        for t in ties
        if t["type"] == kind and t["from_id"] == start and _readable(t, org) and _current(t, day)
    ]


@dataclass
class Outcome:
    scenario: Scenario
    warnings: list[dict[str, Any]]
    changes: list[dict[str, Any]]
    risk: list[tuple[str, float, str]]  # (day, score, level)
    accepted: dict[str, int]  # delivery id -> deliveries the receiver accepted with it
    bodies: list[dict[str, Any]]  # the first accepted delivery of each warning, in order
    attempts: int
    bad_signatures: int
    killed_pending: str  # the warning that was not delivered when the server was killed
    hidden: list[str] = field(default_factory=list)  # ids the other organization wrote

    def summary(self) -> str:
        s = self.scenario
        lines = [
            f"watcher {s.watcher} supports {s.defender} in {s.municipality}; "
            f"{s.actor} colludes with {s.state_actor}; {s.other} writes RED records there",
            "warnings, in the order they fired:",
            *(f"  {w['kind']:<16} {w['delivery']:<9} {w['sentence']}" for w in self.warnings),
            f"changes around {s.municipality} ({len(self.changes)}):",
            *(f"  {c['kind']:<9} {c['code']:<22} {c['sentence']}" for c in self.changes),
            f"risk of {s.defender}, day by day:",
            "  " + ", ".join(f"{day[5:]} {score:.2f} {level}" for day, score, level in self.risk),
            f"webhook: {self.attempts} attempts, {len(self.accepted)} warnings accepted "
            f"({', '.join(b['kind'] for b in self.bodies)}), "
            f"{sum(self.accepted.values())} accepted deliveries, "
            f"{self.bad_signatures} bad signatures; killed (SIGKILL) with "
            f"{self.killed_pending} pending",
        ]
        return "\n".join(lines)


class Client:
    """GraphQL over HTTP to the server, as one of the keys."""

    def __init__(self, port: int, keys: dict[str, str], lang: str) -> None:
        self.url, self.keys, self.lang = f"http://127.0.0.1:{port}/graphql", keys, lang

    def data(self, who: str, query: str, **variables: Any) -> dict[str, Any]:
        response = httpx.post(
            self.url,
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {self.keys[who]}", "Accept-Language": self.lang},
            timeout=60,
        )
        body = response.json()
        if "errors" in body:
            raise RuntimeError(f"{who}: {body['errors']}")
        return dict(body["data"])

    def saved(self, who: str, query: str, **variables: Any) -> str:
        (result,) = self.data(who, query, **variables).values()
        if result["__typename"] not in ("Saved", "Linked", "Watch"):
            raise RuntimeError(f"{who}: {result}")
        return str(result["id"])


def _incident(s: Scenario, kind: str, day: dt.date, tlp: str = "GREEN", **extra: Any) -> Any:
    return {
        "kind": kind,
        "date": day.isoformat(),
        "severity": 4,
        "territoryId": s.municipality,
        "tlp": tlp,
        **extra,
    }


async def make_keys(store: Store, s: Scenario) -> dict[str, str]:
    return {
        "admin": (await create_key(store, s.watcher, Role.ADMIN, Tlp.RED)).key,
        "analyst": (await create_key(store, s.watcher, Role.ANALYST, Tlp.RED)).key,
        "other": (await create_key(store, s.other, Role.ANALYST, Tlp.RED)).key,
    }


def escalate(
    settings: Any, s: Scenario, keys: dict[str, str], log: Path, lang: str = "en"
) -> Outcome:
    """Run the escalation against a `tejido serve` on the graph of `settings` (loaded, keys
    made; the graph outlives the server), killing the server once; what the watcher reads,
    its sentences in `lang`."""
    today = dt.datetime.now(dt.UTC).date()
    port = free_port()
    api = Client(port, keys, lang)
    hidden: list[str] = []
    with webhook_receiver() as receiver:
        with serve(settings, port, log) as first:
            hook = api.data("admin", WEBHOOK, url=receiver.url)["setWarningWebhook"]
            receiver.secret = hook["secret"]
            time.sleep(1.1)  # writes are stamped to the second: the data is older than watches
            for watch in (
                {"kind": "COVERT_TIE", "subject": s.municipality},
                {"kind": "INCIDENT_COUNT", "subject": s.municipality, "incidentKind": "threat"}
                | {"count": 2, "windowDays": 30},
                {"kind": "INCIDENT_AGAINST", "subject": s.defender},
                {"kind": "KILLING_NEARBY", "subject": s.municipality},
            ):
                api.saved("admin", CREATE_WATCH, input=watch)
            collusion = {"type": "COLLUDES_WITH", "fromId": s.actor, "toId": s.state_actor}
            began = (today - dt.timedelta(5)).isoformat()  # learnt now: written after the watch
            collusion |= {"mode": "protection", "tlp": "GREEN", "validFrom": began}
            api.saved("analyst", LINK, input=collusion)
            api.saved("analyst", INCIDENT, input=_incident(s, "threat", today - dt.timedelta(3)))
            # What the watcher may not see, in the same place and days.
            hidden_tie = {"type": "COLLUDES_WITH", "fromId": s.actor, "toId": s.other_state_actor}
            hidden.append(api.saved("other", LINK, input=hidden_tie | {"tlp": "RED"}))
            for kind in ("threat", "killing"):
                incident = _incident(s, kind, today - dt.timedelta(2), "RED")
                hidden.append(api.saved("other", INCIDENT, input=incident))
            api.saved("analyst", INCIDENT, input=_incident(s, "threat", today - dt.timedelta(1)))
            wait_until(lambda: len(receiver.accepted) >= 2, f"2 deliveries expected (see {log})")
            receiver.status = 503  # the receiver is down: the attack's warning stays pending
            before = receiver.attempts
            attack = _incident(s, "attack", today, targets=[s.defender])
            attack["perpetrators"] = [{"actor": s.actor, "attribution": "alleged"}]
            api.saved("analyst", INCIDENT, input=attack)
            wait_until(lambda: receiver.attempts > before, f"no attempt (see {log})")
            first.send_signal(signal.SIGKILL)  # acknowledged, not delivered
            first.wait(timeout=30)
        accepted_before = set(receiver.accepted)
        receiver.status = 200
        with serve(settings, port, log):
            wait_until(lambda: len(receiver.accepted) >= 3, f"not delivered (see {log})")
            time.sleep(1.5)  # room for a duplicate, were there one
            warnings = api.data("analyst", WARNINGS)["warnings"]
            since = (today - dt.timedelta(7)).isoformat()
            found = api.data(
                "analyst", CHANGES, territory=s.municipality, since=since, until=today.isoformat()
            )["changes"]
            history = api.data("analyst", RISK, defender=s.defender, **{"from": since})
    return Outcome(
        scenario=s,
        warnings=warnings,
        changes=found,
        risk=[(p["date"], p["risk"]["score"], p["risk"]["level"]) for p in history["riskHistory"]],
        accepted={key: len(bodies) for key, bodies in receiver.accepted.items()},
        bodies=receiver.bodies(),
        attempts=receiver.attempts,
        bad_signatures=receiver.bad_signatures,
        killed_pending=", ".join(
            b["kind"] for key, (b, *_) in receiver.accepted.items() if key not in accepted_before
        ),
        hidden=hidden,
    )


async def _load(settings: Any, folder: Path, s: Scenario) -> dict[str, str]:
    from service.ingest.load import load_folder
    from service.store import open_store

    async with open_store(settings) as store:
        await load_folder(store, folder, settings.batch_size, atomic_rows=0)
        return await make_keys(store, s)


def main() -> None:
    from service.config import Settings
    from service.generate import write_dataset
    from service.store import embedded_server

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument(
        "--data", type=Path, help="tables to load instead of generating them (e.g. seed_data)"
    )
    parser.add_argument("--json", action="store_true", help="print the outcome as JSON")
    parser.add_argument(
        "--lang", choices=("es", "en"), default="en", help="the language of the sentences"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.data or Path(tmp) / "data"
        if args.data is None:
            write_dataset(folder, scale=args.scale, seed=args.seed)
        scenario = pick(folder, dt.datetime.now(dt.UTC).date())
        settings = Settings(data_dir=Path(tmp) / "db")
        with embedded_server(settings) as address:
            uri = f"falkordb://{address.host}:{address.port}"
            settings = settings.model_copy(update={"graph_uri": uri})
            keys = asyncio.run(_load(settings, folder, scenario))
            outcome = escalate(settings, scenario, keys, Path(tmp) / "serve.log", args.lang)
    text = json.dumps(outcome.__dict__, default=vars, indent=2) if args.json else outcome.summary()
    sys.stdout.write(text + "\n")


if __name__ == "__main__":
    main()
