"""`tejido embed create|list|revoke` and `tejido export` on both backends: the commands run
against the test's own graph (its Settings as environment variables)."""

from __future__ import annotations

import asyncio
import csv
import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner, Result

from service.cli import main
from service.config import Settings
from service.embed.tokens import InvalidEmbed, verify_embed
from tests.support.backends import Graph
from tests.support.embed_graph import OTHER_ORGS_RED, load_graph


def edge_ids(drawn: nx.Graph) -> set[str]:
    return {data["id"] for _, _, data in drawn.edges(data=True)}


def cli_env(settings: Settings) -> dict[str, str | None]:
    password = settings.neo4j_password
    return {
        "TEJIDO_GRAPH_URI": settings.graph_uri,
        "TEJIDO_GRAPH_NAME": settings.graph_name,
        "TEJIDO_NEO4J_USER": settings.neo4j_user,
        "TEJIDO_NEO4J_PASSWORD": password.get_secret_value() if password else None,
    }


@pytest.fixture
async def small(graph: Graph) -> Graph:
    await load_graph(graph.store)
    return graph


async def tejido(graph: Graph, *args: str) -> Result:
    """Run the command in a thread: it starts its own event loop, as it does from a shell."""
    runner = CliRunner()
    return await asyncio.to_thread(runner.invoke, main, list(args), env=cli_env(graph.settings))


async def test_embed_create_list_revoke(small: Graph) -> None:
    created = await tejido(
        small,
        "embed",
        "create",
        "--org",
        "org-a",
        "--view",
        "collusion",
        "--param",
        "territory=ter-r",
        "--max-tlp",
        "RED",
        "--expires",
        "12h",
        "--frame-ancestors",
        "https://dash.example.org,http://localhost:3000",
    )
    assert created.exit_code == 0, created.output
    path = created.stdout.strip().splitlines()[-1]
    assert path.startswith("/embed/")
    token = path.removeprefix("/embed/")
    verified = await verify_embed(small.store, small.settings, token)
    assert (verified.org, verified.max_tlp.value, verified.params) == (
        "org-a",
        "RED",
        {"territory": "ter-r"},
    )
    assert verified.frame_ancestors == ("http://localhost:3000", "https://dash.example.org")
    listed = json.loads((await tejido(small, "embed", "list", "--json")).stdout)
    assert [(e["id"], e["view"], e["revoked_at"]) for e in listed] == [
        (verified.id, "collusion", None)
    ]
    assert token not in json.dumps(listed)
    table = (await tejido(small, "embed", "list")).stdout
    assert verified.id in table and "territory=ter-r" in table
    assert (await tejido(small, "embed", "revoke", verified.id)).exit_code == 0
    with pytest.raises(InvalidEmbed):
        await verify_embed(small.store, small.settings, token)
    assert json.loads((await tejido(small, "embed", "list", "--json")).stdout)[0]["revoked_at"]
    assert (await tejido(small, "embed", "revoke", "no-such-id")).exit_code == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--param", "territory=ter r"], "params.territory"),
        (["--param", "hops=2", "--param", "territory=ter-r"], "params.hops"),
        (["--param", "territory=ter-r", "--expires", "5y"], "expires"),
        (
            ["--param", "territory=ter-r", "--frame-ancestors", "https://a.example;x"],
            "frameAncestors",
        ),
    ],
)
async def test_embed_create_refuses_bad_input(small: Graph, args: list[str], message: str) -> None:
    result = await tejido(small, "embed", "create", "--org", "org-a", "--view", "collusion", *args)
    assert result.exit_code == 3, result.output
    assert message in result.stderr


async def test_export_formats_parse_back(small: Graph, tmp_path: Path) -> None:
    common = [
        "export",
        "--org",
        "org-a",
        "--view",
        "collusion",
        "--param",
        "territory=ter-r",
        "--as-of",
        "2025-01-01",
    ]
    expected_nodes, expected_edges = {"B", "P", "J", "K"}, {"t-bp", "t-jk"}
    for fmt, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        out = tmp_path / f"view.{fmt}"
        result = await tejido(small, *common, "--format", fmt, "--out", str(out))
        assert result.exit_code == 0, result.output
        drawn = read(out)
        assert set(drawn.nodes) == expected_nodes
        assert edge_ids(drawn) == expected_edges
        assert drawn.nodes["P"]["group"] == "state"
        assert (drawn.nodes["P"]["record_type"], drawn.nodes["P"]["label"]) == ("Actor", "Actor P")
        assert {d["relationship"] for _, _, d in drawn.edges(data=True)} == {"COLLUDES_WITH"}
    out = tmp_path / "view.json"
    assert (await tejido(small, *common, "--format", "json", "--out", str(out))).exit_code == 0
    view = json.loads(out.read_text(encoding="utf-8"))
    assert {n["id"] for n in view["nodes"]} == expected_nodes
    assert (view["maxTlp"], view["asOf"]) == ("GREEN", "2025-01-01")
    folder = tmp_path / "csv"
    assert (await tejido(small, *common, "--format", "csv", "--out", str(folder))).exit_code == 0
    with (folder / "edges.csv").open(encoding="utf-8") as edges:
        assert {row["id"] for row in csv.DictReader(edges)} == expected_edges
    with (folder / "nodes.csv").open(encoding="utf-8") as nodes:
        assert {row["id"] for row in csv.DictReader(nodes)} == expected_nodes


async def test_export_follows_the_cap_and_never_shows_another_orgs_red(
    small: Graph, tmp_path: Path
) -> None:
    shown = {}
    for cap in ("GREEN", "AMBER", "RED"):
        out = tmp_path / f"{cap}.graphml"
        result = await tejido(
            small,
            "export",
            "--org",
            "org-a",
            "--view",
            "neighbourhood",
            "--param",
            "id=P",
            "--param",
            "hops=3",
            "--max-tlp",
            cap,
            "--format",
            "graphml",
            "--out",
            str(out),
        )
        assert result.exit_code == 0, result.output
        drawn = nx.read_graphml(out)
        shown[cap] = set(drawn.nodes) | edge_ids(drawn)
        assert not shown[cap] & OTHER_ORGS_RED
    assert "A" not in shown["GREEN"] and "A" in shown["AMBER"]
    assert "S" not in shown["AMBER"] and "S" in shown["RED"]
    unknown = await tejido(
        small,
        "export",
        "--org",
        "org-nope",
        "--view",
        "collusion",
        "--param",
        "territory=ter-r",
        "--format",
        "json",
        "--out",
        str(tmp_path / "x.json"),
    )
    assert unknown.exit_code == 3 and "org-nope" in unknown.stderr
