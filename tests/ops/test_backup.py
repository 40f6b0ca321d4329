"""`tejido backup` and `tejido restore` on both databases: back up, change, restore, and the
counts and a sample of records are what they were; a key made before the backup still works.

On the embedded FalkorDB the backup is a snapshot taken while the database serves; on Neo4j
(and any database named by TEJIDO_GRAPH_URI) it is a graph export read through Cypher."""

from __future__ import annotations

import asyncio
import re
import tarfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from service.access import Role, Tlp, Viewer
from service.backup import EXPORT, backup, known_labels, known_types, restore
from service.cli import main
from service.config import Settings
from service.cypher import CYPHER_DIR
from service.errors import ConfigError, InvalidInput
from service.i18n import using
from service.ingest.load import load_folder
from service.keys import create_key, holder_of_key
from service.model import load_model
from service.store import Store
from tests.support.backends import Graph, clear

SEED = Path(__file__).resolve().parents[2] / "seed_data"
SAMPLE = ["org-000037", "org-000019", "act-000001", "def-000001", "inc-000001", "case-000001"]
RED_EVERYWHERE = Viewer("org-000037", Role.ADMIN, Tlp.RED, frozenset())


async def counts(store: Store) -> dict[str, int]:
    labels = await store.operator_read("count_labels")
    types = await store.operator_read("count_relationship_types")
    found = {f"label {r['label']}": int(r["count"]) for r in labels if r["label"] != "GraphVersion"}
    return found | {f"type {r['type']}": int(r["count"]) for r in types}


async def sample(store: Store) -> list[dict[str, object]]:
    rows = await store.operator_read("records_by_id", ids=SAMPLE)
    return sorted(rows, key=lambda r: str(r.get("id")))


async def test_graph_round_trip(graph: Graph, backend: str, tmp_path: Path) -> None:
    store, settings = graph.store, graph.settings
    await load_folder(store, SEED, 5000)
    key = (await create_key(store, "org-000037", Role.READER, Tlp.GREEN)).key
    before, records = await counts(store), await sample(store)
    assert sum(before.values()) > 9000 and len(records) >= 4

    path = tmp_path / "graph.tar.gz"
    done = await backup(settings, path)
    assert done.kind == EXPORT  # a database named by a URI: exported through Cypher
    assert (done.nodes, done.relationships) == (
        sum(v for k, v in before.items() if k.startswith("label ")),
        sum(v for k, v in before.items() if k.startswith("type ")),
    )

    # Change it: everything gone, one stray record in its place. A restore needs an empty graph.
    await clear(store)
    await store.write(
        "create_key",
        id="stray",
        org="x",
        role="reader",
        clearance="GREEN",
        hash="0",
        note="",
        now="2026-01-01T00:00:00+00:00",
        expires_at=None,
    )
    assert await counts(store) != before
    with using("en"), pytest.raises(ConfigError, match="not empty"):
        await restore(settings, path)
    await clear(store)

    restored = await restore(settings, path)
    assert await counts(store) == before, backend
    assert await sample(store) == records
    assert (restored.nodes, restored.relationships) == (done.nodes, done.relationships)
    holder = await holder_of_key(store, key)  # the key made before the backup still opens
    assert holder is not None and holder.viewer.org == "org-000037"


@pytest.fixture
def tejido(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("TEJIDO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TEJIDO_GRAPH_URI", raising=False)
    return CliRunner()


def run(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.db
def test_embedded_snapshot_round_trip(tejido: CliRunner, tmp_path: Path) -> None:
    run(tejido, "load", str(SEED), "--no-progress")
    run(tejido, "keys", "create", "--org", "org-000037", "--note", "before")
    before = run(tejido, "stats", "--json")
    path = tmp_path / "b.tar.gz"
    out = run(tejido, "backup", str(path))
    assert str(path) in out and re.search(r"\b1\d{3}\b", out)  # about 1,050 nodes
    with tarfile.open(path) as tar:
        assert sorted(tar.getnames()) == ["dump.rdb", "manifest.json"]

    run(tejido, "keys", "create", "--org", "org-000019", "--note", "after")
    run(tejido, "reset", "--yes")
    assert run(tejido, "stats", "--json") != before

    out = run(tejido, "restore", str(path))
    assert run(tejido, "stats", "--json") == before
    notes = run(tejido, "keys", "list", "--json")
    assert '"before"' in notes and '"after"' not in notes
    assert (tmp_path / "data").glob("db.before-restore-*"), "the replaced files are kept"


def test_a_restore_refuses_what_is_not_a_backup(tmp_path: Path) -> None:
    bad = tmp_path / "x.tar.gz"
    bad.write_bytes(b"not a tar")
    with using("en"), pytest.raises(InvalidInput, match="cannot be read"):
        asyncio.run(restore(Settings(data_dir=tmp_path / "d"), bad))


def _written(pattern: str) -> set[str]:
    found: set[str] = set()
    for path in CYPHER_DIR.rglob("*.cypher"):
        if path.parent.name not in ("backup", "schema"):
            found |= set(re.findall(pattern, path.read_text(encoding="utf-8")))
    return found


async def test_restore_knows_every_label_and_type(store: Store) -> None:
    """The restore statements name labels and types one by one (Cypher cannot take them from a
    parameter): every label and type any statement uses, or the model defines, is there."""
    labels = _written(r"\(\w*:([A-Z][A-Za-z]+)") | set(load_model().labels) | {"Record"}
    assert labels - {"GraphVersion"} <= known_labels(store)
    types = _written(r"\[\w*:([A-Z_]+)[\]\s{*]") | set(load_model().relationship_types)
    assert types <= known_types(store)
