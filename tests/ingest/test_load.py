"""Loading the interchange format: validation, idempotence, all-or-nothing, on both backends."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Any

import pytest

from service.errors import InvalidInput
from service.ingest.load import load_folder
from service.store import Store
from tests.support.backends import SEED
from tests.support.tables import links, load_rows

ORG = {"id": "org-a", "name": "Colectivo Uno", "kind": "ngo", "tlp": "GREEN", "owner": "org-a"}
SOURCE = {
    "id": "src-1",
    "kind": "report",
    "title": "Informe",
    "reliability": "B",
    "credibility": "3",
    "tlp": "GREEN",
    "owner": "org-a",
}


def actor(record_id: str, **extra: str) -> dict[str, str]:
    row = {
        "id": record_id,
        "name": f"Actor {record_id}",
        "sector": "state",
        "kind": "police",
        "tlp": "GREEN",
        "owner": "org-a",
    }
    return row | extra


async def counts(store: Store) -> dict[str, int]:
    labels = await store.operator_read("count_labels")
    types = await store.operator_read("count_relationship_types")
    return {r["label"]: r["count"] for r in labels} | {r["type"]: r["count"] for r in types}


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def expected_seed_counts() -> dict[str, int]:
    """What the seed folder should give, counted from the CSV files independently."""
    from service.model import load_model

    model = load_model()
    expected: dict[str, int] = {}
    for label in model.labels.values():
        rows = csv_rows(SEED / label.file)
        expected[label.name] = len(rows)
        for column, prop in label.relationship_columns.items():
            linked = sum(1 for r in rows if r.get(column))
            if linked and prop.relationship:
                expected[prop.relationship] = expected.get(prop.relationship, 0) + linked
    for row in csv_rows(SEED / model.relationship_file):
        expected[row["type"]] = expected.get(row["type"], 0) + 1
    return expected


async def test_seed_loads_every_row(seeded: Store) -> None:
    assert await counts(seeded) == expected_seed_counts()


async def test_loading_twice_changes_nothing(store: Store) -> None:
    first = await load_folder(store, SEED, batch_size=1000)
    before = await counts(store)
    second = await load_folder(store, SEED, batch_size=1000)
    assert first.changed == sum(first.rows.values())
    assert second.changed == 0
    assert await counts(store) == before


async def test_a_load_committed_batch_by_batch_gives_the_same_graph(store: Store) -> None:
    report = await load_folder(store, SEED, batch_size=500, atomic_rows=0)
    assert report.changed == sum(report.rows.values())
    assert await counts(store) == expected_seed_counts()


def write_bad_copy(tmp_path: Path, file: str, line: int, column: str, value: str) -> Path:
    folder = tmp_path / "bad"
    shutil.copytree(SEED, folder)
    rows = csv_rows(folder / file)
    rows[line - 2][column] = value
    with (folder / file).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return folder


async def test_one_bad_row_writes_nothing_and_says_where(store: Store, tmp_path: Path) -> None:
    await load_rows(store, organizations=[ORG], actors=[actor("act-x")])
    before = await counts(store)
    folder = write_bad_copy(tmp_path, "actors.csv", 7, "kind", "wizard")
    with pytest.raises(InvalidInput) as caught:
        await load_folder(store, folder, batch_size=1000)
    assert [str(p).split(" is not")[0] for p in caught.value.problems] == [
        "actors.csv:7: kind: 'wizard'"
    ]
    assert await counts(store) == before


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ({"actors": [actor("a1", kind="wizard")]}, "actors.csv:2: kind: 'wizard' is not one of"),
        (
            {"actors": [actor("a1", sector="state", kind="organized_crime")]},
            "actors.csv:2: kind: 'organized_crime' is not a kind of state actor",
        ),
        (
            {"actors": [actor("a1", owner="org-nope")]},
            "actors.csv:2: owner: 'org-nope' names no organization",
        ),
        (
            {"actors": [actor("a1"), actor("a1")]},
            "actors.csv:3: id: 'a1' is also defined at actors.csv:2",
        ),
        ({"actors": [actor("a1", wings="2")]}, "actors.csv:1: wings: unknown column"),
        (
            {"actors": [{k: v for k, v in actor("a1").items() if k != "tlp"}]},
            "actors.csv:1: tlp: required column is missing",
        ),
        ({"actors": [actor("a1", tlp="")]}, "actors.csv:2: tlp: required value is empty"),
        ({"actors": [actor("a1", tlp="PURPLE")]}, "actors.csv:2: tlp: 'PURPLE' is not one of"),
        (
            {
                "incidents": [
                    {
                        "id": "i1",
                        "kind": "threat",
                        "date": "2023-02-30",
                        "severity": "3",
                        "tlp": "GREEN",
                        "owner": "org-a",
                    }
                ]
            },
            "incidents.csv:2: date: '2023-02-30' is not a real date",
        ),
        (
            {
                "incidents": [
                    {
                        "id": "i1",
                        "kind": "threat",
                        "date": "2023-02-03",
                        "severity": "9",
                        "tlp": "GREEN",
                        "owner": "org-a",
                    }
                ]
            },
            "incidents.csv:2: severity: 9 is above the maximum 5",
        ),
        (
            {
                "actors": [actor("a1"), actor("a2")],
                "relationships": [
                    {
                        "id": "r1",
                        "type": "ALLIED_WITH",
                        "from_id": "a1",
                        "to_id": "a2",
                        "mode": "bribery",
                        "tlp": "GREEN",
                        "owner": "org-a",
                    }
                ],
            },
            "relationships.csv:2: mode: ALLIED_WITH has no property mode",
        ),
        (
            {
                "actors": [actor("a1")],
                "relationships": [
                    {
                        "id": "r1",
                        "type": "CONTROLS",
                        "from_id": "a1",
                        "to_id": "org-a",
                        "tlp": "GREEN",
                        "owner": "org-a",
                    }
                ],
            },
            "relationships.csv:2: to_id: 'org-a' is of type organization, not territory",
        ),
        (
            {
                "actors": [actor("a1"), actor("a2")],
                "relationships": [
                    {
                        "id": "r1",
                        "type": "ALLIED_WITH",
                        "from_id": "a1",
                        "to_id": "a2",
                        "valid_from": "2024-01-01",
                        "valid_to": "2023-01-01",
                        "tlp": "GREEN",
                        "owner": "org-a",
                    }
                ],
            },
            "relationships.csv:2: valid_to: 2023-01-01 is before valid_from 2024-01-01",
        ),
        (
            {
                "actors": [actor("a1"), actor("a2")],
                "relationships": [
                    {
                        "id": "r1",
                        "type": "LOVES",
                        "from_id": "a1",
                        "to_id": "a2",
                        "tlp": "GREEN",
                        "owner": "org-a",
                    }
                ],
            },
            "relationships.csv:2: type: 'LOVES' is not one of",
        ),
        (
            {"actors": [actor("org-a")]},
            "actors.csv:2: id: 'org-a' already exists in the graph as organization",
        ),
    ],
)
async def test_bad_input_is_refused_with_its_place(
    store: Store, rows: dict[str, list[dict[str, Any]]], expected: str
) -> None:
    await load_rows(store, organizations=[ORG])
    before = await counts(store)
    with pytest.raises(InvalidInput) as caught:
        await load_rows(store, **rows)
    assert any(str(p).startswith(expected) for p in caught.value.problems), caught.value
    assert await counts(store) == before


async def test_a_load_may_refer_to_records_already_in_the_graph(store: Store) -> None:
    await load_rows(store, organizations=[ORG], sources=[SOURCE], actors=[actor("a1")])
    await load_rows(
        store,
        actors=[actor("a2")],
        relationships=[
            {
                "id": "r1",
                "type": "COLLUDES_WITH",
                "from_id": "a1",
                "to_id": "a2",
                "mode": "impunity",
                "sources": "src-1",
                "tlp": "GREEN",
                "owner": "org-a",
            }
        ],
    )
    assert (await counts(store))["COLLUDES_WITH"] == 1


async def test_confidence_is_derived_from_the_evidence_where_missing(store: Store) -> None:
    from service.access import Viewer

    await load_rows(
        store,
        organizations=[ORG],
        sources=[SOURCE],
        actors=[actor("a1"), actor("a2")],
        relationships=[
            {
                "id": "r1",
                "type": "ALLIED_WITH",
                "from_id": "a1",
                "to_id": "a2",
                "sources": "src-1",
                "tlp": "GREEN",
                "owner": "org-a",
            },
            {
                "id": "r2",
                "type": "RIVAL_OF",
                "from_id": "a1",
                "to_id": "a2",
                "sources": "src-1",
                "credibility": "1",
                "tlp": "GREEN",
                "owner": "org-a",
            },
        ],
    )
    found = await links(store, "a1", Viewer("org-a"), "2026-01-01")
    confidence = {link["id"]: link["confidence"] for link in found}
    # B (0.8) x 3 (0.6) from the source; the second claim's own credibility 1 (1.0) wins.
    assert confidence == {"r1": pytest.approx(0.48), "r2": pytest.approx(0.8)}
