"""YAML mappings of third-party tables (service/ingest/mapping/); no database needed.

Expected values are derived from the example table and mapping by the test itself, so that the
example can grow without the tests turning into a list of magic numbers.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from service import i18n
from service.errors import InvalidInput, Problem
from service.ingest.mapping import (
    Mapping,
    TableOptions,
    apply_mapping,
    read_mapping,
    read_table,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "mapping"
TABLE = EXAMPLES / "attacks_2023.csv"
MAPPING = EXAMPLES / "attacks_2023.mapping.yaml"
SCHEMA = ROOT / "service" / "model" / "schema.yaml"

Frames = dict[str, pd.DataFrame]


def norm(text: str) -> str:
    """The documented normalization, written again here: lower case, no accents, one space."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(plain.split())


def derived_id(prefix: str, salt: str, *values: str) -> str:
    joined = "\x1f".join([salt, *(norm(v) for v in values)] if salt else [norm(v) for v in values])
    return prefix + hashlib.sha1(joined.encode("utf-8"), usedforsecurity=False).hexdigest()[:12]


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with i18n.using("en"):
        yield


@pytest.fixture(scope="module")
def raw_mapping() -> dict[str, Any]:
    return yaml.safe_load(MAPPING.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with TABLE.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def mapping() -> Mapping:
    return read_mapping(MAPPING)


@pytest.fixture(scope="module")
def table(mapping: Mapping) -> pd.DataFrame:
    return read_table(TABLE, mapping)


@pytest.fixture(scope="module")
def converted(table: pd.DataFrame, mapping: Mapping) -> Frames:
    frames, problems = mapped(table, mapping, TABLE.name)
    assert problems == []
    return frames


def mapped(table: pd.DataFrame, mapping: Mapping, name: str) -> tuple[Frames, list[Problem]]:
    converted = apply_mapping(table, mapping, name)
    return converted.tables, converted.problems


def spec(raw_mapping: dict[str, Any], label: str) -> dict[str, Any]:
    return next(s for s in raw_mapping["nodes"] if s["label"] == label)


def convert(table: pd.DataFrame, mapping: Mapping) -> tuple[Frames, list[Problem]]:
    return mapped(table, mapping, "bad.csv")


# -- the worked example ---------------------------------------------------------------------


def test_example_counts_follow_from_the_table(
    converted: Frames, rows: list[dict[str, str]]
) -> None:
    def distinct(*columns: str, rows: list[dict[str, str]] = rows) -> int:
        return len({tuple(norm(r[c]) for c in columns) for r in rows})

    known = [r for r in rows if norm(r["Perpetrator type"]) != "unknown"]
    companies = [r for r in known if norm(r["Perpetrator type"]) == "company" and r["Industry"]]
    place = ("Country", "Region")
    expected = {
        "sources.csv": 1,
        "incidents.csv": distinct("Date", "Victim name"),
        "defenders.csv": distinct("Victim name", "Country"),
        "actors.csv": distinct("Perpetrator type", *place, rows=known),
        "territories.csv": distinct(*place),
    }
    assert {file: len(frame) for file, frame in converted.items() if file in expected} == expected
    relationships = Counter(converted["relationships.csv"]["type"])
    assert relationships == {
        "PERPETRATED_BY": distinct("Date", "Victim name", rows=known),
        "TARGETED": distinct("Date", "Victim name"),
        "OPERATES_IN": distinct("Victim name", *place)
        + distinct("Perpetrator type", *place, rows=known),
        "HAS_INTEREST_IN": distinct("Perpetrator type", *place, "Industry", rows=companies),
    }


def test_example_has_a_repeated_defender_made_once(
    converted: Frames, rows: list[dict[str, str]]
) -> None:
    repeated = [name for name, n in Counter(r["Victim name"] for r in rows).items() if n > 1]
    assert repeated, "the example should show de-duplication"
    defenders = converted["defenders.csv"]
    for name in repeated:
        assert (defenders["name"] == name).sum() == 1


def test_derived_values(
    converted: Frames, rows: list[dict[str, str]], raw_mapping: dict[str, Any]
) -> None:
    salt = raw_mapping.get("salt", "")
    maps = raw_mapping["value_maps"]
    row = next(r for r in rows if r["Perpetrator type"] == "Police")
    incident_id = derived_id("ext-inc-", salt, row["Date"], row["Victim name"])
    actor_id = derived_id("ext-act-", salt, row["Perpetrator type"], row["Country"], row["Region"])
    defender_id = derived_id("ext-def-", salt, row["Victim name"], row["Country"])

    incident = converted["incidents.csv"].set_index("id").loc[incident_id]
    attack = maps["attacks"]["values"][row["Attack type"]]
    assert incident["date"] == datetime.strptime(row["Date"], "%d/%m/%Y").date().isoformat()
    assert incident["kind"] == attack["kind"]
    assert incident["severity"] == str(attack["severity"])
    assert incident["verified"] == "false"
    assert incident["territory_id"] == derived_id("ext-ter-", salt, row["Country"], row["Region"])
    assert incident["sources"] == raw_mapping["sources"]

    actor = converted["actors.csv"].set_index("id").loc[actor_id]
    police = maps["perpetrators"]["values"]["Police"]
    assert actor["name"] == f"{police['label']} ({row['Region']}) — sin identificar"
    assert (actor["sector"], actor["kind"]) == (police["sector"], police["kind"])

    defender = converted["defenders.csv"].set_index("id").loc[defender_id]
    assert defender["name"] == row["Victim name"]
    assert defender["pseudonym"].startswith("Defensor/a ")
    assert not set(norm(row["Victim name"]).split()) & set(norm(defender["pseudonym"]).split())

    relationships = converted["relationships.csv"].set_index("id")
    perpetrated = relationships.loc[f"{incident_id}:PERPETRATED_BY:{actor_id}"]
    assert (perpetrated["from_id"], perpetrated["to_id"]) == (incident_id, actor_id)
    assert perpetrated["attribution"] == "alleged"


def test_every_declared_date_format_parses(converted: Frames, rows: list[dict[str, str]]) -> None:
    dates = set(converted["incidents.csv"]["date"])
    assert all(datetime.strptime(d, "%Y-%m-%d") for d in dates)
    not_day_first = [r["Date"] for r in rows if "/" not in r["Date"]]
    assert not_day_first, "the example should use more than one date format"
    assert len(dates) == len({r["Date"] for r in rows})


def test_rows_of_unknown_perpetrators_make_no_actor(
    converted: Frames, rows: list[dict[str, str]]
) -> None:
    unknown = [r for r in rows if r["Perpetrator type"] == "Unknown"]
    assert unknown
    names = set(converted["actors.csv"]["name"])
    assert not any(name.startswith("Unknown") for name in names)


def test_ids_are_deterministic(table: pd.DataFrame, mapping: Mapping, converted: Frames) -> None:
    again, _ = mapped(table.copy(), mapping, TABLE.name)
    for file, frame in converted.items():
        pd.testing.assert_frame_equal(frame, again[file])
    reordered, problems = mapped(table.iloc[::-1].reset_index(drop=True), mapping, TABLE.name)
    assert problems == []
    for file, frame in converted.items():
        assert set(frame["id"]) == set(reordered[file]["id"])


def test_output_is_text_in_valid_interchange_columns(converted: Frames) -> None:
    schema = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))
    files = {}
    for label in schema["labels"].values():
        props = {**schema["common_node"], **label["properties"]}
        files[label["file"]] = props
    rel_props = dict(schema["common_relationship"])
    for rel in schema["relationships"]["types"].values():
        rel_props.update(rel.get("properties", {}))
    files[schema["relationships"]["file"]] = rel_props
    for file, frame in converted.items():
        allowed = files[file]
        assert set(frame.columns) <= set(allowed), file
        required = {name for name, prop in allowed.items() if prop.get("required")}
        assert required <= set(frame.columns), file
        cells = frame.to_numpy().ravel()
        assert all(isinstance(cell, str) for cell in cells), file
        for name in required:
            assert (frame[name] != "").all(), (file, name)


# -- rows that cannot be converted ----------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("Date", "31/02/2023", "'31/02/2023' is not a real date"),
        ("Date", "2023-02-30", "'2023-02-30' is not a real date"),
        ("Date", "someday", "'someday' is a date in none of the formats"),
        ("Perpetrator type", "Aliens", "no entry in value map 'perpetrators'"),
        ("Attack type", "", "'kind' needs a value"),
        ("Country", "Atlantis", "no entry in value map 'countries'"),
    ],
)
def test_a_bad_cell_is_a_problem_at_its_line_and_column(
    table: pd.DataFrame, mapping: Mapping, column: str, value: str, message: str
) -> None:
    bad = table.copy()
    index = 6
    bad.loc[index, column] = value
    _, problems = convert(bad, mapping)
    assert problems
    assert {(p.file, p.line, p.column) for p in problems} == {("bad.csv", index + 2, column)}
    assert message in problems[0].message
    assert str(problems[0]).startswith(f"bad.csv:{index + 2}: {column}: ")


def test_every_bad_row_is_reported(table: pd.DataFrame, mapping: Mapping) -> None:
    bad = table.copy()
    bad.loc[[3, 4, 5], "Date"] = "someday"
    _, problems = convert(bad, mapping)
    assert sorted({p.line for p in problems}) == [5, 6, 7]


def test_a_later_row_with_other_values_for_the_same_node_is_a_problem(
    table: pd.DataFrame, mapping: Mapping
) -> None:
    first = table.iloc[[0]].copy()
    later = first.copy()
    later["Date"] = "15/01/2023"  # another incident ...
    later["Gender"] = "Male"  # ... against the same defender, who now has another gender
    frames, problems = convert(pd.concat([first, later], ignore_index=True), mapping)
    assert {(p.line, p.column) for p in problems} == {(3, "Gender")}
    assert "line 2" in problems[0].message
    assert first.iloc[0]["Victim name"] not in problems[0].message
    assert frames["defenders.csv"]["gender"].tolist() == [first.iloc[0]["Gender"]]


def test_value_map_keys_ignore_case_accents_and_spacing(
    table: pd.DataFrame, mapping: Mapping
) -> None:
    messy = table.copy()
    messy["Perpetrator type"] = messy["Perpetrator type"].str.upper().str.replace(" ", "   ")
    messy["Country"] = messy["Country"].replace({"Mexico": "méxico"})
    _, problems = convert(messy, mapping)
    assert problems == []


def test_a_missing_column_is_reported_once_on_the_header(
    table: pd.DataFrame, mapping: Mapping
) -> None:
    frames, problems = convert(table.drop(columns=["Industry"]), mapping)
    assert [(p.line, p.column) for p in problems] == [(1, "Industry")]
    assert all(frame.empty for frame in frames.values())


def test_empty_rows_are_skipped_and_lines_still_count(tmp_path: Path, mapping: Mapping) -> None:
    lines = TABLE.read_text(encoding="utf-8").splitlines()
    broken = lines[2].replace("22/01/2023", "22.01.2023")
    path = tmp_path / "gaps.csv"
    path.write_text(
        "\n".join([lines[0], lines[1], "", ",,,,,,,,", broken]) + "\n", encoding="utf-8"
    )
    _, problems = mapped(read_table(path, mapping), mapping, path.name)
    assert {(p.line, p.column) for p in problems} == {(5, "Date")}


# -- reading tables -------------------------------------------------------------------------


def test_read_table_follows_the_mapping_and_keeps_text(tmp_path: Path, mapping: Mapping) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes(" Código ;Región\nNA;Petén\n007;\n".encode("cp1252"))
    options = mapping.model_copy(update={"table": TableOptions(encoding="cp1252", delimiter=";")})
    table = read_table(path, options)
    assert list(table.columns) == ["Código", "Región"]
    assert table.to_numpy().tolist() == [["NA", "Petén"], ["007", ""]]


def test_read_table_names_a_wrong_encoding(tmp_path: Path, mapping: Mapping) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("Región\nPetén\n".encode("cp1252"))
    with pytest.raises(InvalidInput, match=r"latin\.csv: not utf-8-sig text"):
        read_table(path, mapping)


def test_xlsx_reads_like_csv(
    tmp_path: Path, table: pd.DataFrame, mapping: Mapping, converted: Frames
) -> None:
    path = tmp_path / "attacks.xlsx"
    table.to_excel(path, index=False)
    frames, problems = mapped(read_table(path, mapping), mapping, path.name)
    assert problems == []
    for file, frame in converted.items():
        pd.testing.assert_frame_equal(frame, frames[file])


# -- mappings that cannot be used -----------------------------------------------------------

Edit = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        *parents, last = path.split("/")
        node: Any = data
        for key in parents:
            node = node[int(key)] if key.isdigit() else node[key]
        node[int(last) if last.isdigit() else last] = value

    return edit


def _delete(path: str) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        *parents, last = path.split("/")
        node: Any = data
        for key in parents:
            node = node[int(key)] if key.isdigit() else node[key]
        del node[last]

    return edit


@pytest.mark.parametrize(
    ("edit", "where", "message"),
    [
        (
            _set("nodes/1/properties/kind/map", "perp_kinds"),
            "nodes[1].properties.kind",
            "unknown value map 'perp_kinds'",
        ),
        (_set("nodes/2/lable", "Defender"), "nodes[2].lable", "unknown key"),
        (
            _set("nodes/4/properties/colour", "Region"),
            "nodes[4].properties.colour",
            "Territory has no property 'colour'",
        ),
        (
            _set("nodes/4/properties/kind/constant", "province"),
            "nodes[4].properties.kind.constant",
            "'province' is not one of",
        ),
        (_delete("nodes/3/properties/sector"), "nodes[3].properties", "Actor needs sector"),
        (
            _set("nodes/1/properties/description", {"column": "Description", "constant": "x"}),
            "nodes[1].properties.description",
            "exactly one of",
        ),
        (
            _set("nodes/1/properties/kind/field", "kinds"),
            "nodes[1].properties.kind",
            "no field 'kinds'",
        ),
        (
            _set("nodes/1/properties/territory_id/ref", "perpetrator"),
            "nodes[1].properties.territory_id.ref",
            "names a Territory",
        ),
        (
            _set("value_maps/attacks/values/Killing/kind", "murder"),
            "nodes[1].properties.kind",
            "entry 'Killing'",
        ),
        (
            _set("value_maps/genders/values/Female", {"identity": "woman"}),
            "value_maps.genders",
            "all single values",
        ),
        (_set("value_maps/countries/values/México", "MX"), "value_maps.countries", "same key"),
        (
            _set("relationships/1/to", "region"),
            "relationships[1].to",
            "TARGETED to must be a Defender or Organization",
        ),
        (
            _set("relationships/0/properties/resource", {"constant": "mining"}),
            "relationships[0].properties.resource",
            "PERPETRATED_BY has no property 'resource'",
        ),
        (_set("tlp", "YELLOW"), "tlp", "'YELLOW' is not one of"),
        (_set("table/encoding", "utf-9"), "table.encoding", "unknown encoding 'utf-9'"),
        (_delete("owner"), "owner", "missing"),
        (
            _set("nodes/1/properties/description", {"template": "{Victim name}: {Description}"}),
            "nodes[1].properties.description",
            "sensitive",
        ),
        (
            _set("nodes/2/properties/pseudonym", "Victim name"),
            "nodes[2].properties.pseudonym",
            "sensitive",
        ),
        (
            _set("nodes/3/properties/name/template", "{Region} {oops"),
            "nodes[3].properties.name.template",
            "brace",
        ),
        (  # what YAML makes of an unquoted `yes:` key
            lambda data: data["value_maps"]["genders"]["values"].update({True: "woman"}),
            "value_maps.genders.values.True",
            "quote it",
        ),
    ],
)
def test_a_bad_mapping_names_the_place(
    tmp_path: Path, raw_mapping: dict[str, Any], edit: Edit, where: str, message: str
) -> None:
    data = copy.deepcopy(raw_mapping)
    edit(data)
    path = tmp_path / "attacks.mapping.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        read_mapping(path)
    (problem,) = caught.value.problems
    assert (problem.file, problem.column) == ("attacks.mapping.yaml", where)
    assert message in problem.message
    assert str(problem).startswith(f"attacks.mapping.yaml: {where}: ")


def test_yaml_syntax_errors_give_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.mapping.yaml"
    path.write_text("tlp: GREEN\nowner: org-0001\nnodes: [\n  {label: Actor\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        read_mapping(path)
    (problem,) = caught.value.problems
    assert problem.file == "broken.mapping.yaml"
    assert problem.column is not None and problem.column.startswith("line ")
