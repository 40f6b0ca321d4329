"""The GraphQL contract: the exported SDL matches the code, and the example operations run."""

from __future__ import annotations

from pathlib import Path

from graphql import parse, validate
from service.api.schema import schema

GRAPHQL_DIR = Path(__file__).resolve().parents[2] / "graphql"


def test_exported_sdl_matches_the_code() -> None:
    exported = (GRAPHQL_DIR / "schema.graphql").read_text(encoding="utf-8")
    assert exported == schema.as_str() + "\n", (
        "run: tejido export-schema --out graphql/schema.graphql"
    )


def test_example_operations_are_valid_against_the_schema() -> None:
    operations = sorted((GRAPHQL_DIR / "operations").glob("*.graphql"))
    assert operations
    for path in operations:
        errors = validate(schema._schema, parse(path.read_text(encoding="utf-8")))
        assert errors == [], (path.name, errors)
