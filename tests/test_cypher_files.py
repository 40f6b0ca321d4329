"""The Cypher in cypher/: headers, parameters, Neo4j's own linter, and every read running."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from service.access import Tlp, Viewer
from service.cypher import CYPHER_DIR, load_catalog, strip_comments, used_params
from service.errors import ConfigError
from service.store import Store
from tests.cypher_lint.lint import lint_statements

CATALOG = load_catalog()
# A sample value per declared parameter type, enough to run any read.
SAMPLES = {
    "str": "2026-01-01",
    "str|null": None,
    "int": 5,
    "float": 0.5,
    "bool": True,
    "list[str]": ["x"],
    "list[str]|null": None,
}


def neo4j_statements() -> list[tuple[str, str, list[str]]]:
    """Every statement Neo4j runs (portable or .neo4j), schema files split into their parts."""
    out = []
    for stmt in CATALOG.values():
        for i, part in enumerate(stmt.parts("neo4j")):
            out.append((f"{stmt.name}#{i}", part, sorted(stmt.params)))
    return out


@pytest.mark.slow  # Neo4j's linter over every statement: half a minute of Node
def test_every_neo4j_statement_lints_clean() -> None:
    statements = neo4j_statements()
    assert len(statements) > 40
    diagnostics = lint_statements(statements)
    found = {name: [str(d) for d in diags] for name, diags in diagnostics.items() if diags}
    assert found == {}


def test_the_linter_catches_a_broken_statement() -> None:
    bad = [("broken", "MATCH (n:Actor {id: $id}) RETURN n.nme +", ["id"])]
    assert lint_statements(bad)["broken"]


def test_every_read_takes_and_uses_the_viewer() -> None:
    reads = [s for s in CATALOG.values() if s.kind == "read"]
    assert reads
    for stmt in reads:
        for dialect, text in stmt.texts.items():
            assert "viewer_grants" in used_params(text), (stmt.name, dialect)
            # Every node or relationship variable bound by MATCH is checked against the grants.
            patterns = re.findall(r"MATCH\s+(.*?)(?=\b(?:WHERE|WITH|RETURN|UNWIND)\b)", text, re.S)
            matched = {v for p in patterns for v in re.findall(r"[(\[]([a-z_]\w*)", p)}
            checked = set(re.findall(r"IN ([a-z_]\w*)\.acl", text))
            # A whole path counts as checked where every node and relationship on it is.
            for path in re.findall(r"all\(x IN nodes\((\w+)\) WHERE any\(\w+ IN x\.acl", text):
                if f"all(x IN relationships({path}) WHERE any(" in text:
                    checked |= {
                        v
                        for p in patterns
                        if p.startswith(f"{path} =")
                        for v in re.findall(r"[(\[]([a-z_]\w*)", p)
                    }
            # A statement may name the variables it leaves to another rule, and say why.
            for names in re.findall(r"^// unchecked: ([\w, ]+) \(.+\)$", text, re.M):
                checked |= {n.strip() for n in names.split(",")}
            assert matched <= checked, (stmt.name, dialect, matched - checked)


def test_every_statement_that_reads_a_holder_or_membership_checks_its_days() -> None:
    """HELD_BY and MEMBER_OF confer standing (docs/access.md): a statement that walks one must
    respect the days it holds, and a holder counts only when the case's owner wrote it.
    (Which memberships grant access is decided in Python, service/access.admitted_networks,
    from the raw ties the key and embed statements return.)"""
    for stmt in CATALOG.values():
        # The upserts write them, a restore recreates them as they were; DDL indexes them.
        if stmt.area in ("ingest", "backup", "schema"):
            continue
        for dialect, text in stmt.texts.items():
            body = strip_comments(text)
            for var, kind in re.findall(r"\[(\w*):(MEMBER_OF|HELD_BY)\b", body):
                where = (stmt.name, dialect, kind)
                assert var, (*where, "an anonymous tie cannot be checked")
                assert f"{var}.valid_to" in body, where
                if stmt.kind != "write":  # ending a tie ends it whenever it started
                    assert f"{var}.valid_from" in body, where
                if kind == "HELD_BY":
                    assert f"{var}.owner" in body, (*where, "the case's owner wrote it?")


def test_a_header_that_lies_about_parameters_is_refused(tmp_path: Path) -> None:
    (tmp_path / "read").mkdir()
    (tmp_path / "read" / "bad.cypher").write_text(
        "// Bad.\n// params: $viewer_grants: list[str]\n// returns: rows\n"
        "MATCH (n:Record {id: $id}) WHERE any(t IN n.acl WHERE t IN $viewer_grants) RETURN n.id\n"
    )
    with pytest.raises(ConfigError, match=r"bad.cypher: parameters used \['id', 'viewer_grants'\]"):
        load_catalog.__wrapped__(tmp_path)


def test_a_read_without_the_viewer_is_refused(tmp_path: Path) -> None:
    (tmp_path / "read").mkdir()
    (tmp_path / "read" / "leak.cypher").write_text(
        "// Leaks.\n// params: $id: str\n// returns: rows\nMATCH (n:Record {id: $id}) RETURN n.id\n"
    )
    with pytest.raises(ConfigError, match="must take the viewer"):
        load_catalog.__wrapped__(tmp_path)


def test_overrides_sit_beside_a_portable_file() -> None:
    for path in CYPHER_DIR.rglob("*.cypher"):
        assert path.name.count(".") in (1, 2), path


@pytest.mark.parametrize("name", sorted(s.name for s in CATALOG.values() if s.kind == "read"))
async def test_every_read_runs(seeded: Store, name: str) -> None:
    params = {p: SAMPLES[t] for p, t in CATALOG[name].params.items() if p != "viewer_grants"}
    rows = await seeded.read(name, **params, **Viewer("org-x", clearance=Tlp.RED).params())
    assert isinstance(rows, list)


async def test_a_statement_refuses_missing_or_unknown_parameters(seeded: Store) -> None:
    viewer = Viewer("org-x", clearance=Tlp.RED).params()
    with pytest.raises(ConfigError, match=r"missing parameters \['ids'\], unknown \[\]"):
        await seeded.read("records_by_ids", **viewer)
    with pytest.raises(ConfigError, match=r"unknown \['territory'\]"):
        await seeded.read("records_by_ids", ids=[], territory="ter-1", **viewer)
