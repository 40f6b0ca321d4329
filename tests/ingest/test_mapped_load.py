"""A public-style list of lethal attacks (examples/lethal_attacks/) loaded with its mapping on
both databases, and what the graph then holds checked against pandas: defenders per country,
no country lost, accent and case variants of a region made one place with the first spelling.
And what a load finds wrong named in the user's own files, never in the generated ones."""

from __future__ import annotations

import copy
import importlib.util
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd
import pytest
import yaml

from service import i18n
from service.access import Tlp, Viewer
from service.errors import InvalidInput
from service.ingest.mapped import load_mapped
from service.store import Store
from service.text import fold

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "lethal_attacks"
MAPPING = EXAMPLE / "lethal_attacks.mapping.yaml"
OWNER = "org-lista-letal"
VIEWER = Viewer(org=OWNER, clearance=Tlp.AMBER)


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_table", EXAMPLE / "make_table.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


make_table = _generator()


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with i18n.using("en"):
        yield


def key(text: str) -> str:
    return " ".join(fold(text).split())


def written(tmp_path: Path, count: int) -> tuple[Path, pd.DataFrame]:
    """The generated list as a CSV file, and as pandas reads it with each row's true code."""
    rows = make_table.make_rows(count, seed=13)
    path = tmp_path / "lethal_attacks.csv"
    make_table.write_table(path, rows)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame["iso"] = [r.iso for r in rows]
    return path, frame


async def check_against_pandas(store: Store, frame: pd.DataFrame) -> None:
    # Every country of the list is there, with as many killed defenders as rows.
    expected = frame["iso"].value_counts().to_dict()
    assert len(expected) >= 50
    found = {}
    for code in expected:
        (page,) = await store.read(
            "defenders_page", status="killed", country=code, offset=0, first=1, **VIEWER.params()
        )
        found[code] = page["total"]
    assert found == expected
    (everyone,) = await store.read(
        "defenders_page", status=None, country=None, offset=0, first=1, **VIEWER.params()
    )
    assert everyone["total"] == len(frame)  # none without a country, none merged

    # One territory per country and per region, whatever the accents and case.
    territories = await store.operator_read("xref_territories")
    records = await store.read(
        "records_by_ids", ids=[t["id"] for t in territories], **VIEWER.params()
    )
    names = {r["record"]["id"]: r["record"]["name"] for r in records}
    kinds = Counter(t["kind"] for t in territories)
    regions = frame[frame["Local region"] != ""].assign(
        place=lambda f: f["Country"].map(key) + "/" + f["Local region"].map(key)
    )
    first_spellings = regions.drop_duplicates("place")
    assert kinds == {"country": len(expected), "region": len(first_spellings)}
    region_names = Counter(names[t["id"]] for t in territories if t["kind"] == "region")
    assert region_names == Counter(first_spellings["Local region"])
    variants = regions.groupby("place")["Local region"].nunique()
    assert (variants > 1).any(), "the list should spell some region in more than one way"

    # Each incident at its region, else its country: per country as in the table.
    parents = {t["id"]: t["parent"] for t in territories}
    countries = {t["id"] for t in territories if t["kind"] == "country"}
    incidents = await store.operator_read(
        "xref_incident_ids", since="2000-01-01", until="2100-01-01"
    )
    per_country: Counter[str] = Counter()
    for incident in incidents:
        (place,) = incident["places"]
        country = place if place in countries else parents[place]
        per_country[key(names[country])] += 1
    assert per_country == Counter(frame["Country"].map(key))


async def test_a_list_of_lethal_attacks_loads_as_pandas_counts_it(
    store: Store, tmp_path: Path
) -> None:
    path, frame = written(tmp_path, 240)
    report = await load_mapped(store, path, MAPPING, batch_size=1000)
    assert report.rows["Incident"] == report.rows["Defender"] == len(frame)
    known = frame[frame["Perpetrator"] != "Unknown"]
    assert report.rows["Actor"] == len(known.groupby([known["Perpetrator"], known["iso"]]))
    assert report.rows["Organization"] == 1  # the owner the mapping declares
    await check_against_pandas(store, frame)
    again = await load_mapped(store, path, MAPPING, batch_size=1000)
    assert again.changed == 0


@pytest.mark.slow
async def test_the_whole_list_loads_as_pandas_counts_it(store: Store, tmp_path: Path) -> None:
    path, frame = written(tmp_path, 1600)
    assert len(frame) >= 1500
    report = await load_mapped(store, path, MAPPING, batch_size=1000)
    assert report.rows["Defender"] == len(frame)
    await check_against_pandas(store, frame)


def _mapping(tmp_path: Path, edit: Any) -> Path:
    data = yaml.safe_load(MAPPING.read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    edit(data)
    path = tmp_path / "mine.mapping.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("edit", "column", "message"),
    [
        (
            lambda data: data.update(owner="org-nadie"),
            "owner",
            "'org-nadie' names no organization",
        ),
        (
            lambda data: data["nodes"][1]["properties"].update(parent_id={"constant": "ter-x"}),
            "nodes[1].properties.parent_id.constant",
            "'ter-x' names no territory",
        ),
    ],
)
async def test_what_a_load_refuses_is_named_in_the_mapping_not_in_generated_files(
    store: Store, tmp_path: Path, edit: Any, column: str, message: str
) -> None:
    path, _ = written(tmp_path, 60)
    with pytest.raises(InvalidInput) as caught:
        await load_mapped(store, path, _mapping(tmp_path, edit), batch_size=1000)
    problems = caught.value.problems
    assert {(p.file, p.line, p.column) for p in problems} == {("mine.mapping.yaml", None, column)}
    assert all(message in p.message for p in problems)
    assert "csv" not in str(caught.value)  # no generated file, nor the table, is named
    counts = await store.operator_read("count_labels")
    assert counts == []  # nothing written


async def test_a_reference_the_graph_lacks_is_named_at_its_row_and_column(
    store: Store, tmp_path: Path
) -> None:
    path, frame = written(tmp_path, 60)

    def edit(data: dict[str, Any]) -> None:
        data["value_maps"]["places"] = {"values": {}, "default": ""}
        region = frame["Local region"][frame["Local region"] != ""].iloc[0]
        data["value_maps"]["places"]["values"][region] = "ter-not-loaded"
        data["nodes"][3]["properties"]["territory_id"] = {"column": "Local region", "map": "places"}

    with pytest.raises(InvalidInput) as caught:
        await load_mapped(store, path, _mapping(tmp_path, edit), batch_size=1000)
    problems = caught.value.problems
    assert problems
    assert {(p.file, p.column) for p in problems} == {("lethal_attacks.csv", "Local region")}
    region = key(frame["Local region"][frame["Local region"] != ""].iloc[0])
    lines = {i + 2 for i, r in enumerate(frame["Local region"]) if key(r) == region}
    assert {p.line for p in problems} == lines
    assert all("'ter-not-loaded' names no territory" in p.message for p in problems)
