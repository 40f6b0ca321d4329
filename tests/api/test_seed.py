"""The API on the seed data: the example operations, pagination, and batched round trips."""

from __future__ import annotations

import csv
import math
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from service import keys
from service.access import Role, Tlp
from service.keys import create_key
from service.store import Store
from tests.support.backends import SEED
from tests.support.graphql_client import app_client, post_graphql

OPERATIONS = Path(__file__).resolve().parents[2] / "graphql" / "operations"


def seed_rows(file: str) -> list[dict[str, str]]:
    with (SEED / file).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
async def api(seeded: Store) -> AsyncIterator[tuple[httpx.AsyncClient, str, Store]]:
    # The organization that owns the most defenders sees real names; RED to test everything.
    org = Counter(r["owner"] for r in seed_rows("defenders.csv")).most_common(1)[0][0]
    key = (await create_key(seeded, org, Role.ANALYST, Tlp.RED)).key
    async with app_client(seeded) as http:
        yield http, key, seeded


async def run(http: httpx.AsyncClient, key: str, name: str, **variables: Any) -> dict[str, Any]:
    query = (OPERATIONS / f"{name}.graphql").read_text(encoding="utf-8")
    body = await post_graphql(http, key, query, **variables)
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


async def test_actor_with_links(api: tuple[httpx.AsyncClient, str, Store]) -> None:
    http, key, _ = api
    public = {r["id"] for r in seed_rows("actors.csv") if r["tlp"] in ("CLEAR", "GREEN")}
    colluding = next(
        r
        for r in seed_rows("relationships.csv")
        if r["type"] == "COLLUDES_WITH"
        and r["tlp"] in ("CLEAR", "GREEN")
        and not r["valid_to"]
        and r["from_id"] in public
        and r["to_id"] in public
        and r["valid_from"] <= "2026-01-01"
    )
    data = await run(
        http, key, "actor_with_links", id=colluding["from_id"], types=["COLLUDES_WITH"]
    )
    links = data["actor"]["links"]
    assert links["totalCount"] >= 1
    assert all(e["node"]["type"] == "COLLUDES_WITH" for e in links["edges"])
    assert all(e["node"]["other"]["label"] == "Actor" for e in links["edges"])


async def test_incidents_in_a_territory_over_a_date_range(
    api: tuple[httpx.AsyncClient, str, Store],
) -> None:
    http, key, _ = api
    regions = {r["id"] for r in seed_rows("territories.csv") if r["kind"] == "region"}
    region = sorted(regions)[0]
    data = await run(
        http,
        key,
        "incidents_in_territory",
        territory=region,
        **{"from": "2018-01-01", "to": "2024-12-31"},
    )
    incidents = data["incidents"]
    dates = [e["node"]["date"] for e in incidents["edges"]]
    assert dates == sorted(dates, reverse=True)
    assert all("2018-01-01" <= d <= "2024-12-31" for d in dates)
    everywhere = await run(http, key, "incidents_in_territory", territory=region)
    assert incidents["totalCount"] <= everywhere["incidents"]["totalCount"]
    if incidents["pageInfo"]["hasNextPage"]:
        after = incidents["pageInfo"]["endCursor"]
        second = await run(
            http,
            key,
            "incidents_in_territory",
            territory=region,
            after=after,
            **{"from": "2018-01-01", "to": "2024-12-31"},
        )
        first_ids = {e["node"]["id"] for e in incidents["edges"]}
        assert first_ids.isdisjoint(e["node"]["id"] for e in second["incidents"]["edges"])


async def test_defender_case_history(api: tuple[httpx.AsyncClient, str, Store]) -> None:
    http, key, _ = api
    concerned = Counter(
        r["to_id"]
        for r in seed_rows("relationships.csv")
        if r["type"] == "CONCERNS" and r["to_id"].startswith("def-")
    )
    defender = concerned.most_common(1)[0][0]
    data = await run(http, key, "defender_case_history", id=defender)
    assert data["defender"]["id"] == defender
    labels = {e["node"]["other"]["label"] for e in data["defender"]["links"]["edges"]}
    assert labels <= {"Incident", "Case", "Organization"}


async def test_search(api: tuple[httpx.AsyncClient, str, Store]) -> None:
    http, key, _ = api
    actor = seed_rows("actors.csv")[0]
    word = actor["name"].split()[-1]
    data = await run(http, key, "search", text=word.upper(), labels=["Actor"])
    assert actor["id"] in [hit["id"] for hit in data["search"]]
    assert all(hit["label"] == "Actor" for hit in data["search"])


async def test_visible_counts(api: tuple[httpx.AsyncClient, str, Store]) -> None:
    http, key, _ = api
    data = await run(http, key, "visible_counts")
    counts = {c["label"]: c["count"] for c in data["counts"]}
    assert 0 < counts["Defender"] <= len(seed_rows("defenders.csv"))


NESTED = """query ($first: Int!) {
  actors(first: $first) { edges { node { id name
    links(types: ["CONTROLS", "DISPUTES", "OPERATES_IN", "HAS_INTEREST_IN"], first: 10) {
      totalCount
      edges { node { type other { id name ... on Territory { kind resources } } } } } } } }
}"""


async def test_nested_fields_cost_a_constant_number_of_round_trips(
    api: tuple[httpx.AsyncClient, str, Store],
) -> None:
    http, key, store = api
    trips = {}
    # A key's first use notes when it was used (once a minute): not part of what is measured.
    await http.post(
        "/graphql",
        json={"query": "{ viewer { organization } }"},
        headers={"Authorization": f"Bearer {key}"},
    )
    await keys.settled()
    for first in (5, 50):
        before = store.round_trips
        response = await http.post(
            "/graphql",
            json={"query": NESTED, "variables": {"first": first}},
            headers={"Authorization": f"Bearer {key}"},
        )
        body = response.json()
        assert "errors" not in body, body
        edges = body["data"]["actors"]["edges"]
        assert len(edges) == first
        assert sum(len(e["node"]["links"]["edges"]) for e in edges) > 0
        trips[first] = store.round_trips - before
    # key check (1) + page + actors + links + territories.
    assert trips[5] == trips[50] <= 6


async def test_influence_paths_between_two_colluding_actors(
    api: tuple[httpx.AsyncClient, str, Store],
) -> None:
    http, key, _ = api
    public = {r["id"] for r in seed_rows("actors.csv") if r["tlp"] in ("CLEAR", "GREEN")}
    pair = next(
        r
        for r in seed_rows("relationships.csv")
        if r["type"] == "COLLUDES_WITH"
        and r["tlp"] in ("CLEAR", "GREEN")
        and not r["valid_to"]
        and r["from_id"] in public
        and r["to_id"] in public
        and r["valid_from"] <= "2026-01-01"
    )
    data = await run(http, key, "influence_paths", **{"from": pair["from_id"], "to": pair["to_id"]})
    paths = data["influencePaths"]
    assert 1 <= len(paths) <= 3
    strengths = [p["strength"] for p in paths]
    assert strengths == sorted(strengths, reverse=True)
    for path in paths:
        assert path["hops"][0]["from"]["id"] == pair["from_id"]
        assert path["hops"][-1]["to"]["id"] == pair["to_id"]
        assert path["strength"] == pytest.approx(math.prod(h["confidence"] for h in path["hops"]))


async def test_at_risk_defenders_on_the_seed(api: tuple[httpx.AsyncClient, str, Store]) -> None:
    http, key, _ = api
    data = await run(http, key, "at_risk_defenders", asOf="2026-11-01")
    ranked = data["atRiskDefenders"]
    assert len(ranked) == 10
    scores = [r["score"] for r in ranked]
    assert scores == sorted(scores, reverse=True)
    for entry in ranked:
        assert entry["score"] == pytest.approx(
            entry["threats"] * entry["vulnerabilities"] / entry["capacities"]
        )
        assert entry["defender"]["id"].startswith("def-")
    floor = scores[3]
    above = await run(http, key, "at_risk_defenders", asOf="2026-11-01", minScore=floor)
    assert all(r["score"] >= floor for r in above["atRiskDefenders"])


async def test_shadow_power_and_collusion_network_on_the_seed(
    api: tuple[httpx.AsyncClient, str, Store],
) -> None:
    http, key, _ = api
    ranked = (await run(http, key, "shadow_power", asOf="2026-11-01"))["shadowPower"]
    assert [r["rank"] for r in ranked] == list(range(1, len(ranked) + 1))
    assert [r["score"] for r in ranked] == sorted((r["score"] for r in ranked), reverse=True)
    assert (
        ranked[0]["evidence"] and ranked[0]["evidence"][0]["actors"][0] == ranked[0]["actor"]["id"]
    )
    view = (await run(http, key, "collusion_network", asOf="2026-11-01"))["collusionNetwork"]
    ids = {n["id"] for n in view["nodes"]}
    assert view["edges"] and all(e["source"] in ids and e["target"] in ids for e in view["edges"])
    assert set(view["brokers"]) <= ids


async def test_power_map_and_protection_gaps_on_the_seed(
    api: tuple[httpx.AsyncClient, str, Store],
) -> None:
    http, key, _ = api
    region = next(r["id"] for r in seed_rows("territories.csv") if r["kind"] == "region")
    found = (await run(http, key, "power_map", territory=region, asOf="2026-11-01"))["powerMap"]
    assert {a["power"] for a in found["actors"]} <= {
        "VISIBLE",
        "HIDDEN",
        "INVISIBLE",
        "UNCLASSIFIED",
    }
    # A class needs evidence: the classed actors have reasons, the others are UNCLASSIFIED.
    assert all(bool(a["terms"]) == (a["power"] != "UNCLASSIFIED") for a in found["actors"])
    assert all(c["count"] > 0 for c in found["incidentCounts"])
    gaps = (await run(http, key, "protection_gaps", asOf="2026-11-01"))["protectionGaps"]
    assert all(d["level"] in ("HIGH", "CRITICAL") for d in gaps["defenders"])
    assert all(not any(f["code"] == "support" for f in d["factors"]) for d in gaps["defenders"])
    assert all(t["recentIncidents"] > 0 for t in gaps["territories"])


def _disclosed_pairs(org: str | None = None) -> dict[str, str]:
    """SAME_AS id -> the organization that may know of it by disclosure: it holds one file,
    the other holder discloses and the other file is not RED (rejected pairs left out)."""
    cases = {r["id"]: r for r in seed_rows("cases.csv")}
    disclosing = {r["id"] for r in seed_rows("organizations.csv") if r["xref_disclose"] == "true"}
    out = {}
    for r in seed_rows("relationships.csv"):
        if r["type"] != "SAME_AS" or r["status"] == "rejected":
            continue
        for mine, other in ((r["from_id"], r["to_id"]), (r["to_id"], r["from_id"])):
            holder, theirs = cases[mine]["holder_id"], cases[other]
            if (
                theirs["holder_id"] != holder
                and theirs["holder_id"] in disclosing
                and theirs["tlp"] != "RED"
                and org in (None, holder)
            ):
                out[r["id"]] = holder
    return out


async def test_cross_references_follow_the_disclosure_rule(
    api: tuple[httpx.AsyncClient, str, Store],
) -> None:
    """The seed's judged case pairs, as one organization may know of them: every match listed
    is about its own file, one whose other file stays closed is one whose holder discloses,
    and every disclosed match is listed."""
    http, _, store = api
    org = sorted(_disclosed_pairs().values())[0]
    key = (await create_key(store, org, Role.READER, Tlp.RED)).key
    cases = {r["id"]: r for r in seed_rows("cases.csv")}
    disclosing = {r["id"] for r in seed_rows("organizations.csv") if r["xref_disclose"] == "true"}
    data = await run(http, key, "cross_references", minScore=0.0)
    listed = {e["node"]["id"]: e["node"] for e in data["crossReferences"]["edges"]}
    for match in listed.values():
        assert cases[match["record"]["id"]]["holder_id"] == org
        if match["other"] is None:
            assert match["holder"]["id"] in disclosing and match["explanation"] is None
    expected = _disclosed_pairs(org).keys()
    assert expected and expected <= listed.keys()
    assert data["crossReferences"]["totalCount"] == len(listed)
