"""What real tables need of a mapping (issue 13): folded ids and names, `empty`, `coalesce`,
lists from several columns, refs that find nothing, real dates, countries by name, an owner
declared in the mapping, and every problem in the user's own file, line and column.
No database: the loads are in test_mapped_load.py."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from service import i18n
from service.errors import InvalidInput, Problem
from service.ingest.mapping import apply_mapping, read_mapping, read_table
from service.ingest.mapping.convert import Converted

HEADER = "Date,Name,Gender,People,Age,Country,Region"

# A small list of killings: a country node always, a region node where the row names one.
BASE: dict[str, Any] = {
    "tlp": "GREEN",
    "owner": "org-t",
    "salt": "test",
    "value_maps": {
        "genders": {"values": {"Female": "woman", "Male": "man"}, "default": ""},
        "peoples": {"values": {"Maya": "indigenous", "Garifuna": "afro_descendant"}},
    },
    "nodes": [
        {
            "as": "country",
            "label": "Territory",
            "id": {"prefix": "t-c-", "from": ["Country"]},
            "properties": {"name": "Country", "kind": {"constant": "country"}},
        },
        {
            "as": "region",
            "label": "Territory",
            "where": {"not_empty": ["Region"]},
            "id": {"template": "t-r-{Region}"},
            "properties": {
                "name": "Region",
                "kind": {"constant": "region"},
                "parent_id": {"ref": "country"},
            },
        },
        {
            "as": "incident",
            "label": "Incident",
            "id": {"prefix": "i-", "from": ["Date", "Name"]},
            "properties": {
                "date": "Date",
                "kind": {"constant": "killing"},
                "severity": {"constant": 5},
                "territory_id": {"coalesce": [{"ref": "region"}, {"ref": "country"}]},
            },
        },
        {
            "as": "defender",
            "label": "Defender",
            "id": {"prefix": "d-", "from": ["Name"]},
            "properties": {
                "pseudonym": {"prefix": "D ", "from": ["Name"], "length": 6},
                "identities": {"template": "{Gender|genders};{People|peoples}"},
                "country": "Country",
                "status": {"constant": "killed"},
            },
        },
    ],
    "relationships": [
        {
            "type": "TARGETED",
            "from": "incident",
            "to": "defender",
            "properties": {"age_at_incident": "Age"},
        },
        {
            "type": "OPERATES_IN",
            "from": "defender",
            "to": "country",
            "where": {"empty": ["Region"]},
        },
    ],
}


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with i18n.using("en"):
        yield


def run(tmp_path: Path, rows: list[str], mapping: dict[str, Any] | None = None) -> Converted:
    mapping_path = tmp_path / "list.mapping.yaml"
    mapping_path.write_text(yaml.safe_dump(mapping or BASE, allow_unicode=True), "utf-8")
    table_path = tmp_path / "list.csv"
    table_path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    checked = read_mapping(mapping_path)
    return apply_mapping(
        read_table(table_path, checked), checked, table_path.name, mapping_path.name
    )


def ok(converted: Converted) -> dict[str, pd.DataFrame]:
    assert converted.problems == []
    return converted.tables


def edited(path: list[str | int], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    node: Any = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return data


def where(problems: list[Problem]) -> set[tuple[str, int | None, str | None]]:
    return {(p.file, p.line, p.column) for p in problems}


def test_accent_and_case_variants_of_a_place_are_one_place_named_as_first_seen(
    tmp_path: Path,
) -> None:
    tables = ok(
        run(
            tmp_path,
            [
                "2020-01-02,Ana Uno,Female,,30,Honduras,Colón",
                "2020-02-03,Bea Dos,Female,,41,HONDURAS,colon",
                "2020-03-04,Ceci Tres,Female,,52,honduras,COLÓN",
            ],
        )
    )
    territories = tables["territories.csv"].set_index("id")
    assert sorted(territories["name"]) == ["Colón", "Honduras"]
    assert territories.loc["t-r-Colón", "name"] == "Colón"
    incidents = tables["incidents.csv"]
    assert set(incidents["territory_id"]) == {"t-r-Colón"}
    assert set(tables["defenders.csv"]["country"]) == {"HN"}


def test_a_coalesce_takes_the_first_value_that_is_not_empty(tmp_path: Path) -> None:
    tables = ok(
        run(
            tmp_path,
            ["2020-01-02,Ana Uno,Female,,30,Perú,Cusco", "2020-02-03,Bea Dos,Female,,41,Perú,"],
        )
    )
    places = tables["territories.csv"].set_index("id")["name"].to_dict()
    by_date = tables["incidents.csv"].set_index("date")["territory_id"]
    assert places[by_date["2020-01-02"]] == "Cusco"  # the region where there is one
    assert places[by_date["2020-02-03"]] == "Perú"  # else its country


def test_a_coalesce_of_columns(tmp_path: Path) -> None:
    mapping = edited(["nodes", 2, "properties", "description"], {"coalesce": ["Region", "Country"]})
    tables = ok(run(tmp_path, ["2020-01-02,A,,,,Perú,Cusco", "2020-02-03,B,,,,Chile,"], mapping))
    assert tables["incidents.csv"].set_index("date")["description"].to_dict() == {
        "2020-01-02": "Cusco",
        "2020-02-03": "Chile",
    }


def test_empty_and_not_empty_conditions(tmp_path: Path) -> None:
    tables = ok(run(tmp_path, ["2020-01-02,Ana,Female,,,Chile,Biobío", "2020-02-03,Bea,,,,Chile,"]))
    assert len(tables["territories.csv"]) == 2  # one country, one region (not_empty)
    operates = tables["relationships.csv"].query("type == 'OPERATES_IN'")
    defenders = tables["defenders.csv"].set_index("id")
    assert [defenders.loc[d, "pseudonym"] for d in operates["from_id"]] == [
        defenders["pseudonym"].iloc[1]  # only Bea's row has an empty Region
    ]


def test_a_list_keeps_the_items_whose_columns_are_not_empty(tmp_path: Path) -> None:
    tables = ok(
        run(
            tmp_path,
            [
                "2020-01-02,Ana,Female,,,Guatemala,Petén",
                "2020-01-03,Bea,Female,Maya,,Guatemala,Petén",
                "2020-01-04,Caro,,Garifuna,,Honduras,Atlántida",
                "2020-01-05,Dora,Other,,,Honduras,Atlántida",
            ],
        )
    )
    identities = tables["defenders.csv"]["identities"].tolist()
    assert identities == ["woman", "woman;indigenous", "afro_descendant", ""]


def test_a_template_that_is_not_a_list_still_empties_with_an_empty_part(tmp_path: Path) -> None:
    mapping = edited(["nodes", 2, "properties", "description"], {"template": "{Region} ({Age})"})
    tables = ok(run(tmp_path, ["2020-01-02,A,,,,Chile,Biobío", "2020-02-03,B,,,33,Chile,Maule"]))
    assert "description" not in tables["incidents.csv"]
    tables = ok(
        run(tmp_path, ["2020-01-02,A,,,,Chile,Biobío", "2020-02-03,B,,,33,Chile,Maule"], mapping)
    )
    assert tables["incidents.csv"]["description"].tolist() == ["", "Maule (33)"]


def test_a_ref_that_finds_nothing_is_a_problem_at_the_column_that_kept_the_node(
    tmp_path: Path,
) -> None:
    mapping = edited(["nodes", 2, "properties", "territory_id"], {"ref": "region"})
    converted = run(
        tmp_path, ["2020-01-02,Ana,,,,Chile,Biobío", "2020-02-03,Bea,,,,Chile,"], mapping
    )
    (problem,) = converted.problems
    assert where([problem]) == {("list.csv", 3, "Region")}
    assert problem.message == "refers to 'region', but this row makes no 'region' node"
    assert len(converted.tables["incidents.csv"]) == 1  # the row with a problem is left out


def test_a_coalesce_whose_refs_all_find_nothing_is_a_problem(tmp_path: Path) -> None:
    mapping = copy.deepcopy(BASE)
    mapping["nodes"][0]["where"] = {"not_empty": ["Country"]}
    converted = run(tmp_path, ["2020-01-02,Ana,,,,Chile,Biobío", "2020-02-03,Bea,,,,,"], mapping)
    assert where(converted.problems) == {("list.csv", 3, "Country")}
    assert "this row makes no 'country' node" in converted.problems[0].message


def test_a_day_that_does_not_exist_is_not_a_real_date(tmp_path: Path) -> None:
    converted = run(tmp_path, ["2016-02-30,Ana,,,,Chile,", "2016-02-29,Bea,,,,Chile,"])
    (problem,) = converted.problems
    assert str(problem) == "list.csv:2: Date: '2016-02-30' is not a real date"


@pytest.mark.parametrize(
    ("country", "code"),
    [
        ("HN", "HN"),
        ("hn", "HN"),
        ("Côte d'Ivoire", "CI"),
        ("República Democrática del Congo", "CD"),
        ("PERU", "PE"),
    ],
)
def test_countries_by_code_or_name(tmp_path: Path, country: str, code: str) -> None:
    tables = ok(run(tmp_path, [f'2020-01-02,Ana,,,,"{country}",']))
    assert tables["defenders.csv"]["country"].tolist() == [code]


def test_a_country_no_one_knows_is_a_problem_at_its_cell(tmp_path: Path) -> None:
    converted = run(tmp_path, ["2020-01-02,Ana,,,,Chile,", "2020-01-02,Bea,,,,Atlantis,"])
    assert where(converted.problems) == {("list.csv", 3, "Country")}
    assert "'Atlantis' is not a country" in converted.problems[0].message


def test_an_age_out_of_range_is_a_problem_at_its_cell(tmp_path: Path) -> None:
    converted = run(tmp_path, ["2020-01-02,Ana,,,130,Chile,"])
    assert where(converted.problems) == {("list.csv", 2, "Age")}


def test_an_owner_declared_in_the_mapping_is_made_once_owning_itself(tmp_path: Path) -> None:
    owner = {"id": "org-list", "name": "Lista pública", "kind": "ngo", "country": "Chile"}
    tables = ok(run(tmp_path, ["2020-01-02,Ana,,,,Chile,"], edited(["owner"], owner)))
    (organization,) = tables["organizations.csv"].to_dict("records")
    assert organization | {"shared_with": "", "sources": ""} == {
        "id": "org-list",
        "name": "Lista pública",
        "kind": "ngo",
        "country": "CL",
        "tlp": "GREEN",
        "owner": "org-list",
        "shared_with": "",
        "sources": "",
    }
    assert set(tables["incidents.csv"]["owner"]) == {"org-list"}


@pytest.mark.parametrize(
    ("path", "value", "where_", "message"),
    [
        (["owner"], {"id": "org-x", "name": "X", "kind": "club"}, "owner.kind", "'club'"),
        (["owner"], {"id": "org-x", "name": "X", "kind": "ngo", "country": "Narnia"}, "owner.country", "'Narnia' is not a country"),
        (["owner"], {"id": "org-x", "kind": "ngo"}, "owner.name", "missing"),
        (["nodes", 2, "properties", "territory_id"], {"coalesce": [{"ref": "region"}]}, "nodes[2].properties.territory_id", "at least two"),
        (["nodes", 2, "properties", "territory_id"], {"coalesce": [{"ref": "region"}, {"ref": "nowhere"}]}, "nodes[2].properties.territory_id.coalesce[1].ref", "no node spec is named 'nowhere'"),
        (["nodes", 2, "properties", "date"], {"coalesce": [{"column": "Date", "formats": ["%Y"]}, "Age"]}, "nodes[2].properties.date.coalesce[0]", "give formats and required to the coalesce itself"),
        (["nodes", 1, "where"], {"empty": "Region"}, "nodes[1].where.empty", "list"),
    ],
)  # fmt: skip
def test_a_bad_new_key_names_its_place_in_the_mapping(
    tmp_path: Path, path: list[str | int], value: Any, where_: str, message: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        run(tmp_path, [], edited(path, value))
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.column) == ("list.mapping.yaml", None, where_)
    assert message in problem.message


def test_what_the_loader_finds_in_generated_tables_is_located_in_the_users_files(
    tmp_path: Path,
) -> None:
    converted = run(tmp_path, ["2020-01-02,Ana,,,,Chile,Biobío", "2020-02-03,Bea,,,,Perú,"])
    incidents = converted.tables["incidents.csv"]
    second = int(incidents.index[incidents["date"] == "2020-02-03"][0]) + 2
    located = [
        converted.locate(Problem("incidents.csv", second, "owner", "'org-t' names no ...")),
        converted.locate(Problem("incidents.csv", second, "territory_id", "'x' names no ...")),
        converted.locate(Problem("incidents.csv", second, "date", "...")),
        converted.locate(Problem("relationships.csv", 2, "tlp", "...")),
        converted.locate(Problem("incidents.csv", second, None, "...")),
    ]
    assert [(p.file, p.line, p.column) for p in located] == [
        ("list.mapping.yaml", None, "owner"),
        ("list.csv", 3, "Country"),  # the ref fell back to the country node
        ("list.csv", 3, "Date"),
        ("list.mapping.yaml", None, "tlp"),
        ("list.csv", 3, "Date"),  # no column: the row, at the column its id came from
    ]
    generated = {"incidents.csv", "relationships.csv", "territories.csv", "defenders.csv"}
    assert not {p.file for p in located} & generated


def test_problems_are_in_the_language_of_the_request(tmp_path: Path) -> None:
    with i18n.using("es"):
        converted = run(tmp_path, ["2016-02-30,Ana,,,,Chile,"])
    assert [p.message for p in converted.problems] == ["'2016-02-30' no es una fecha real"]
