"""Analytics answers in names and sentences, through the API as an attacker would ask them:
every record an answer names resolves to what the viewer may see (a hidden record never, a
defender's name only for who may read it), and every score recomputes from its terms. Both
databases."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from service.access import Role, Tlp
from service.keys import create_key
from service.store import Store
from tests.support.graphql_client import Api, serve_api
from tests.support.tables import load_rows

REAL_NAME = "Nombre Inventado Siete"
HIDDEN_ACTOR_NAME = "Actor Secreto Ficticio"


def row(owner: str = "org-b", tlp: str = "GREEN", **values: str) -> dict[str, str]:
    return {"tlp": tlp, "owner": owner, **values}


def tie(id_: str, type_: str, a: str, b: str, **extra: str) -> dict[str, str]:
    return row(id=id_, type=type_, from_id=a, to_id=b, **extra)


@pytest.fixture
async def api(store: Store) -> AsyncIterator[Api]:
    await load_rows(
        store,
        organizations=[
            {"id": o, "name": o, "kind": "ngo", "tlp": "GREEN", "owner": o}
            for o in ("org-a", "org-b", "org-x")
        ],
        territories=[row(id="ter-r", name="Región", kind="region")],
        actors=[
            row(id="act-p", name="Policía Ficticia", sector="state", kind="police", public="true"),
            row(id="act-c", name="Cártel Ficticio", sector="non_state", kind="organized_crime"),
            row(
                id="act-h",
                name=HIDDEN_ACTOR_NAME,
                sector="non_state",
                kind="paramilitary",
                tlp="RED",
            ),
        ],
        defenders=[
            row(id="def-v", pseudonym="Ceiba", name=REAL_NAME, status="killed"),
            row(id="def-d", pseudonym="Roble", owner="org-a"),
        ],
        incidents=[
            row(id="inc-v", kind="killing", date="2025-12-01", severity="5", verified="true"),
            row(id="inc-d", kind="threat", date="2025-12-01", severity="3", owner="org-a"),
            row(id="inc-h", kind="killing", date="2025-12-01", severity="5", tlp="RED"),
        ],
        relationships=[
            tie("tg-v", "TARGETED", "inc-v", "def-v"),
            tie("tg-d", "TARGETED", "inc-d", "def-d", owner="org-a"),
            tie("m-v", "MEMBER_OF", "def-v", "org-x"),
            tie("m-d", "MEMBER_OF", "def-d", "org-x", owner="org-a"),
            tie("op-v", "OPERATES_IN", "def-v", "ter-r"),
            tie("op-d", "OPERATES_IN", "def-d", "ter-r", owner="org-a"),
            *(tie(f"op-{a}", "OPERATES_IN", f"act-{a}", "ter-r") for a in "pc"),
            tie("op-h", "OPERATES_IN", "act-h", "ter-r", tlp="RED"),
            tie("col", "COLLUDES_WITH", "act-c", "act-p", confidence="0.9"),
            tie("col-h", "COLLUDES_WITH", "act-h", "act-p", confidence="0.9", tlp="RED"),
            tie("by-h", "PERPETRATED_BY", "inc-h", "act-h", tlp="RED"),
        ],
    )
    keys = {
        "attacker": (await create_key(store, "org-a", Role.ANALYST, Tlp.AMBER)).key,
        "owner": (await create_key(store, "org-b", Role.ANALYST, Tlp.RED)).key,
    }
    async with serve_api(store, keys) as served:
        yield served


REF = "records { id label name }"
TERM = f"code term value weight contribution sentence params {{ name value }} evidence {REF}"
QUERY = f"""query {{
  atRiskDefenders(first: 10) {{ score threats vulnerabilities capacities formula
    defender {{ id }} factors {{ {TERM} }} }}
  shadowPower(first: 10) {{ score formula actor {{ id name }} terms {{ {TERM} }}
    evidence {{ strength {REF} links {{ id sourceRecord {{ id name }} targetRecord {{ id name }} }} }} }}
  powerMap(territory: "ter-r") {{ actors {{ power powers reasons actor {{ id name }}
    terms {{ {TERM} }} }} ties {{ id sourceRecord {{ id name }} targetRecord {{ id name }} }} }}
  collusionNetwork {{ brokers brokerRecords {{ id name }} }}
  victims(territory: "ter-r") {{ status date defender {{ id name }} incidents {{ id name label }} }}
  collectiveRisk(organization: "org-x") {{ score formula subject {{ id name }} terms {{ {TERM} }} }}
}}"""


def refs(answer: Any) -> list[dict[str, Any]]:
    """Every record reference (a map with id, name) anywhere in an answer."""
    found = []
    if isinstance(answer, dict):
        if "id" in answer and "name" in answer:
            found.append(answer)
        for value in answer.values():
            found += refs(value)
    elif isinstance(answer, list):
        for value in answer:
            found += refs(value)
    return found


async def test_an_attacker_never_reads_a_hidden_record_or_a_name_through_analytics(
    api: Api,
) -> None:
    seen = await api.data("attacker", QUERY)
    text = json.dumps(seen, ensure_ascii=False)
    assert HIDDEN_ACTOR_NAME not in text and "act-h" not in text and "inc-h" not in text
    assert REAL_NAME not in text
    # The killed defender is remembered, by her pseudonym, and threatens her fellow member.
    assert [(v["defender"]["name"], v["status"]) for v in seen["victims"]] == [("Ceiba", "killed")]
    risk = {r["defender"]["id"]: r for r in seen["atRiskDefenders"]}
    assert "def-v" not in risk
    factors = {f["code"]: f for f in risk["def-d"]["factors"]}
    assert {"id": "def-v", "label": "Defender", "name": "Ceiba"} in factors["victim_organization"][
        "records"
    ]
    # Every reference resolves to a record with a name; the owner sees what the attacker may not.
    assert [r for r in refs(seen) if not r["name"]] == []
    owner = json.dumps(await api.data("owner", QUERY), ensure_ascii=False)
    assert HIDDEN_ACTOR_NAME in owner and REAL_NAME in owner


async def test_every_score_recomputes_from_its_terms(api: Api) -> None:
    seen = await api.data("owner", QUERY)
    for risk in seen["atRiskDefenders"]:
        parts = {
            t: sum(f["contribution"] for f in risk["factors"] if f["term"] == t)
            for t in ("THREATS", "VULNERABILITIES", "CAPACITIES")
        }
        assert parts["THREATS"] == pytest.approx(risk["threats"])
        assert parts["VULNERABILITIES"] == pytest.approx(risk["vulnerabilities"])
        assert parts["CAPACITIES"] == pytest.approx(risk["capacities"])
        expected = parts["THREATS"] * parts["VULNERABILITIES"] / parts["CAPACITIES"]
        assert risk["score"] == pytest.approx(expected)
        for f in risk["factors"]:
            assert f["contribution"] == pytest.approx(f["value"] * f["weight"])
            assert f["sentence"]
    for score in [*seen["shadowPower"], seen["collectiveRisk"]]:
        assert score["score"] == pytest.approx(sum(t["contribution"] for t in score["terms"]))
    assert [s["actor"]["id"] for s in seen["shadowPower"]][:1] in (["act-h"], ["act-c"])
    powers = {a["actor"]["id"]: a for a in seen["powerMap"]["actors"]}
    assert powers["act-p"]["powers"] == ["HIDDEN", "VISIBLE"]  # colluded with, and formal
    assert all(a["reasons"] for a in powers.values() if a["power"] != "UNCLASSIFIED")
