"""Cross-referencing as an oracle (issue 11, group 2), tried as an attacker with an ordinary
analyst key of org-a.

org-b holds a GREEN defender, Defensora Tilo: org-a sees the record but only her pseudonym (her
name needs AMBER access to org-b) and her places no finer than the region. She works in one of
two villages of the same region. org-a writes probe defenders with guessed names, placed in one
village or the other, and reads what matching tells it about its probes: whatever it guesses,
it must learn the same. A second defender of org-b, shared with org-a (org-a may read his name
but not where he works), shows that matching still works where the prober may read what is
compared, and gives the attacker a match id to study.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from importlib import resources
from typing import Any

import pytest
import yaml

from service.access import Role, Tlp
from service.keys import create_key
from service.store import Store
from service.xref.workflow import run_xref
from tests.support.graphql_client import Api, serve_api
from tests.support.tables import load_rows

TILO_NAME = "Marisela Fuentecilla Orduña"  # the hidden name an attacker guesses right
WRONG_NAME = "Rosaura Benítez Calleja"
SAUCE_NAME = "Anselmo Quirarte Bolaños"  # shared with org-a: a name the prober may read

_GREEN = {"tlp": "GREEN"}
GRAPH: dict[str, list[dict[str, Any]]] = {
    "organizations": [
        {
            "id": o,
            "name": f"Colectivo {o}",
            "kind": "ngo",
            "tlp": "GREEN",
            "owner": o,
            "xref_disclose": "false",
        }
        for o in ("org-a", "org-b")
    ],
    "territories": [
        {"id": "ter-co", "name": "País", "kind": "country", **_GREEN, "owner": "org-a"},
        {
            "id": "ter-r",
            "name": "Región",
            "kind": "region",
            "parent_id": "ter-co",
            **_GREEN,
            "owner": "org-a",
        },
        {
            "id": "ter-v1",
            "name": "Vereda Uno",
            "kind": "municipality",
            "parent_id": "ter-r",
            **_GREEN,
            "owner": "org-a",
        },
        {
            "id": "ter-v2",
            "name": "Vereda Dos",
            "kind": "municipality",
            "parent_id": "ter-r",
            **_GREEN,
            "owner": "org-a",
        },
    ],
    "defenders": [
        {
            "id": "def-tilo",
            "pseudonym": "Defensora Tilo",
            "name": TILO_NAME,
            "gender": "female",
            "country": "CO",
            "owner": "org-b",
            **_GREEN,
        },
        {
            "id": "def-sauce",
            "pseudonym": "Defensor Sauce",
            "name": SAUCE_NAME,
            "gender": "male",
            "country": "CO",
            "owner": "org-b",
            "tlp": "AMBER",
            "shared_with": "org-a",
        },
    ],
    "relationships": [
        {
            "id": "rel-tilo-v1",
            "type": "OPERATES_IN",
            "from_id": "def-tilo",
            "to_id": "ter-v1",
            "owner": "org-b",
            **_GREEN,
        },
        # org-a may read Sauce's name, not where he works.
        {
            "id": "rel-sauce-v2",
            "type": "OPERATES_IN",
            "from_id": "def-sauce",
            "to_id": "ter-v2",
            "owner": "org-b",
            "tlp": "AMBER",
        },
    ],
}

PROBE = """mutation ($input: DefenderInput!) {
  upsertDefender(input: $input) { ... on Saved { id } ... on InputErrors { errors { message } } }
}"""
PLACE = """mutation ($input: LinkInput!) {
  link(input: $input) { ... on Linked { id } ... on InputErrors { errors { message } } }
}"""
MATCHES = """query {
  crossReferences(status: [PROPOSED, CONFIRMED, REJECTED], first: 100) {
    totalCount
    edges { node {
      id label score status holder { id name } record { id } other { id }
      explanation { field similarity weight }
    } }
  }
}"""


def _throttle_reset() -> None:
    """Matching on writes counts per organization across the process: each test starts afresh."""
    from service.xref.throttle import reset

    reset()


@pytest.fixture
async def attacker(store: Store) -> AsyncIterator[Api]:
    await load_rows(store, **GRAPH)
    await run_xref(store)
    keys = {
        "analyst": (await create_key(store, "org-a", Role.ANALYST, Tlp.RED)).key,
        "green_reader": (await create_key(store, "org-a", Role.READER, Tlp.GREEN)).key,
    }
    async with serve_api(store, keys) as api:
        yield api


async def probe(api: Api, name: str, village: str | None = None, gender: str = "female") -> str:
    """A defender of org-a's with a guessed name, placed in a village; matched as it is written
    (once more after placing it, as an analyst who edits it again would have it matched)."""
    fields = {"pseudonym": "Sonda", "name": name, "gender": gender, "country": "CO", "tlp": "AMBER"}
    saved = await api.data("analyst", PROBE, input=fields)
    probe_id = saved["upsertDefender"]["id"]
    assert probe_id, saved
    if village:
        placed = await api.data(
            "analyst",
            PLACE,
            input={
                "type": "OPERATES_IN",
                "fromId": probe_id,
                "toId": village,
                "tlp": "AMBER",
            },
        )
        assert placed["link"]["id"], placed
        await api.data("analyst", PROBE, input={**fields, "id": probe_id})
    return probe_id


async def learned(api: Api, who: str, probe_id: str) -> list[dict[str, Any]]:
    """Everything the viewer's cross-references say about one probe, minus the probe's id."""
    data = (await api.data(who, MATCHES))["crossReferences"]
    assert data["totalCount"] == len(data["edges"])
    return sorted(
        (
            {k: v for k, v in e["node"].items() if k not in ("id", "record")}
            for e in data["edges"]
            if e["node"]["record"]["id"] == probe_id
        ),
        key=repr,
    )


async def test_a_guessed_name_tells_nothing(attacker: Api) -> None:
    _throttle_reset()
    right = await probe(attacker, TILO_NAME)
    wrong = await probe(attacker, WRONG_NAME)
    for who in ("analyst", "green_reader"):
        assert await learned(attacker, who, right) == await learned(attacker, who, wrong), who


async def test_a_placed_probe_tells_nothing_of_the_village(attacker: Api) -> None:
    _throttle_reset()
    in_v1 = await probe(attacker, TILO_NAME, "ter-v1")
    in_v2 = await probe(attacker, TILO_NAME, "ter-v2")
    for who in ("analyst", "green_reader"):
        assert await learned(attacker, who, in_v1) == await learned(attacker, who, in_v2), who


async def test_a_place_the_prober_may_not_read_is_not_compared(attacker: Api) -> None:
    """Sauce's name is readable to org-a, so the probe matches him; where he works is not, and
    the match must say the same wherever the probe is placed."""
    _throttle_reset()
    in_v1 = await probe(attacker, SAUCE_NAME, "ter-v1", gender="male")
    in_v2 = await probe(attacker, SAUCE_NAME, "ter-v2", gender="male")
    seen = await learned(attacker, "analyst", in_v1)
    assert [m["label"] for m in seen] == ["Defender"]  # matching still works where it may
    assert seen[0]["other"] == {"id": "def-sauce"}
    assert seen == await learned(attacker, "analyst", in_v2)
    assert "places" not in {a["field"] for a in seen[0]["explanation"]}
    # A GREEN-cleared reader of org-a may not read the names compared: it learns nothing.
    assert await learned(attacker, "green_reader", in_v1) == []


def _unkeyed_digests(left: str, right: str) -> set[str]:
    """What an attacker computes from two record ids without any secret."""
    out = set()
    for a, b in ((left, right), (right, left)):
        for sep in ("|", ":", "-", " ", ""):
            text = f"{a}{sep}{b}".encode()
            for algorithm in ("md5", "sha1", "sha256", "sha512", "blake2b"):
                out.add(hashlib.new(algorithm, text).hexdigest()[:16])
    return out


async def test_a_match_id_does_not_name_the_records(attacker: Api) -> None:
    _throttle_reset()
    mine = await probe(attacker, SAUCE_NAME, gender="male")
    data = (await attacker.data("analyst", MATCHES))["crossReferences"]
    (match_id,) = [e["node"]["id"] for e in data["edges"] if e["node"]["record"]["id"] == mine]
    assert mine not in match_id and "def-sauce" not in match_id
    for digest in _unkeyed_digests(mine, "def-sauce"):
        assert digest not in match_id


async def test_matching_on_writes_is_rate_limited(attacker: Api, store: Store) -> None:
    """Past the organization's allowance, a written record waits for the next `tejido xref`:
    probing costs time, not one request per guess."""
    _throttle_reset()
    matching = resources.files("service.xref").joinpath("matching.yaml").read_text()
    allowed, _, _ = str(yaml.safe_load(matching)["on_write_per_organization"]).partition("/")
    for i in range(int(allowed)):
        await probe(attacker, f"Sonda Número{'o' * i} Primera")
    late = await probe(attacker, SAUCE_NAME, gender="male")
    assert await learned(attacker, "analyst", late) == []
    await run_xref(store)
    assert [m["label"] for m in await learned(attacker, "analyst", late)] == ["Defender"]
