"""`tejido backup PATH` and `tejido restore PATH`: the whole graph in one file and back.

A backup is a tar file: `manifest.json` (format, Tejido version, kind, counts) and either

- `dump.rdb` (kind `falkordb-snapshot`): the embedded database's own snapshot, taken while it
  serves (Redis forks and writes the data of one instant), restored as the whole data
  directory's database; or
- `nodes.jsonl` and `relationships.jsonl` (kind `graph-export`): every node and relationship
  read through Cypher, for a database Tejido does not run (Neo4j, Aura, an external FalkorDB),
  restored through Cypher into an empty graph. It reads page by page, so it is consistent only
  while no one writes: take it with the API stopped or in a quiet hour, or use the database's
  own tools where they exist (docs/deployment.md: `neo4j-admin database dump`, Aura snapshots).

A backup restores into this and any later version of Tejido: the manifest's `format` says how to
read it, and the records themselves are the model's (later versions read older records).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from service import __version__
from service.config import Settings
from service.errors import ConfigError, InvalidInput, Problem
from service.i18n import _
from service.store import Store, open_store
from service.store.embedded import EmbeddedFalkorDB

FORMAT = 1
PAGE = 5_000
SNAPSHOT, EXPORT = "falkordb-snapshot", "graph-export"
# The graph version is never restored: it only moves on (caches are keyed by it).
NOT_RESTORED = "GraphVersion"


@dataclass(frozen=True)
class Summary:
    kind: str
    nodes: int
    relationships: int


def _manifest(kind: str, counts: dict[str, int]) -> bytes:
    created = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    body = {"format": FORMAT, "tejido": __version__, "kind": kind, "created_at": created}
    return json.dumps(body | counts, indent=2).encode()


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))


async def _counts(store: Store) -> dict[str, int]:
    labels = await store.operator_read("count_labels")
    types = await store.operator_read("count_relationship_types")
    return {
        "nodes": sum(int(r["count"]) for r in labels if r["label"] != NOT_RESTORED),
        "relationships": sum(int(r["count"]) for r in types),
    }


def _write_atomically(path: Path, fill: Any) -> None:
    """The tar at `path` appears whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False) as f:
        tmp = Path(f.name)
    try:
        with tarfile.open(tmp, "w:gz") as tar:
            fill(tar)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


async def backup(settings: Settings, path: Path) -> Summary:
    if settings.graph_uri:
        return await _export(settings, path)
    server = EmbeddedFalkorDB(settings.data_dir, max_query_ms=settings.longest_statement_ms)
    address = server.start()  # or attach to the one `serve` runs
    try:
        async with open_store(settings.model_copy(update={"graph_uri": _uri(address)})) as store:
            counts = await _counts(store)
        with tempfile.TemporaryDirectory() as tmp:
            rdb = Path(tmp) / "dump.rdb"
            server.snapshot(address.port, rdb)

            def fill(tar: tarfile.TarFile) -> None:
                _add(tar, "manifest.json", _manifest(SNAPSHOT, counts))
                tar.add(rdb, "dump.rdb")

            _write_atomically(path, fill)
    finally:
        server.stop()
    return Summary(SNAPSHOT, counts["nodes"], counts["relationships"])


def _uri(address: Any) -> str:
    return f"falkordb://{address.host}:{address.port}"


async def _read_all(store: Store, statement: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    while page := await store.operator_read(statement, skip=len(rows), limit=PAGE):
        rows += page
        if len(page) < PAGE:
            break
    return rows


async def _export(settings: Settings, path: Path) -> Summary:
    async with open_store(settings) as store:
        nodes = [n for n in await _read_all(store, "dump_nodes") if NOT_RESTORED not in n["labels"]]
        relationships = await _read_all(store, "dump_relationships")
        counts = await _counts(store)

    def lines(rows: list[dict[str, Any]]) -> bytes:
        return "".join(json.dumps(r, sort_keys=True) + "\n" for r in rows).encode()

    def fill(tar: tarfile.TarFile) -> None:
        _add(tar, "manifest.json", _manifest(EXPORT, counts))
        _add(tar, "nodes.jsonl", lines(nodes))
        _add(tar, "relationships.jsonl", lines(relationships))

    _write_atomically(path, fill)
    return Summary(EXPORT, counts["nodes"], counts["relationships"])


def _read_manifest(tar: tarfile.TarFile, path: Path) -> dict[str, Any]:
    try:
        member = tar.extractfile("manifest.json")
        manifest: dict[str, Any] = json.load(member) if member else {}
    except (KeyError, ValueError):
        manifest = {}
    if manifest.get("kind") not in (SNAPSHOT, EXPORT):
        raise InvalidInput([Problem(str(path), None, None, _("not a Tejido backup"))])
    if int(manifest.get("format", 0)) > FORMAT:
        raise InvalidInput(
            [
                Problem(
                    str(path),
                    None,
                    "format",
                    _(
                        "written by Tejido {version} in format {format}; this version reads "
                        "format {supported} and older: upgrade Tejido"
                    ).format(
                        version=manifest.get("tejido"), format=manifest["format"], supported=FORMAT
                    ),
                )
            ]
        )
    return manifest


async def restore(settings: Settings, path: Path) -> Summary:
    """Restore the backup at `path`. The embedded database: replaces it whole (refused while
    `serve` runs). Any other: into an empty graph only (`tejido reset --yes` first)."""
    try:
        with tarfile.open(path, "r:gz") as tar:
            manifest = _read_manifest(tar, path)
            if manifest["kind"] == SNAPSHOT:
                return await _restore_snapshot(settings, tar, path)
            return await _import(settings, tar, path)
    except (OSError, tarfile.TarError, EOFError) as exc:
        raise InvalidInput(
            [Problem(str(path), None, None, _("cannot be read: {error}").format(error=exc))]
        ) from None


async def _restore_snapshot(settings: Settings, tar: tarfile.TarFile, path: Path) -> Summary:
    if settings.graph_uri:
        raise ConfigError(
            _(
                "{path} is a snapshot of the embedded database: restore it with "
                "TEJIDO_GRAPH_URI unset (or back up this database with it set)"
            ).format(path=path)
        )
    server = EmbeddedFalkorDB(settings.data_dir, max_query_ms=settings.longest_statement_ms)
    with tempfile.TemporaryDirectory() as tmp:
        member = tar.extractfile("dump.rdb")
        if member is None:
            raise InvalidInput([Problem(str(path), None, None, _("holds no dump.rdb"))])
        rdb = Path(tmp) / "dump.rdb"
        rdb.write_bytes(member.read())
        server.load_snapshot(rdb)
    async with open_store(settings) as store:  # the schema of this version, then the counts
        counts = await _counts(store)
    return Summary(SNAPSHOT, counts["nodes"], counts["relationships"])


def _jsonl(tar: tarfile.TarFile, name: str) -> list[dict[str, Any]]:
    member = tar.extractfile(name)
    return [json.loads(line) for line in member] if member else []


def known_labels(store: Store) -> set[str]:
    """The labels restore_nodes can set (read from the statement, so it says it once)."""
    text = store.statement("restore_nodes", "write").text(store.dialect)
    return set(re.findall(r"'(\w+)' IN row\.labels", text))


def known_types(store: Store) -> set[str]:
    text = store.statement("restore_relationships", "write").text(store.dialect)
    return set(re.findall(r"row\.type = '(\w+)'", text))


async def _import(settings: Settings, tar: tarfile.TarFile, path: Path) -> Summary:
    nodes = _jsonl(tar, "nodes.jsonl")
    relationships = _jsonl(tar, "relationships.jsonl")
    async with open_store(settings) as store:
        problems = [
            Problem(
                str(path),
                None,
                "labels",
                _("{labels}: not a label Tejido knows").format(labels=sorted(unknown)),
            )
            for unknown in {frozenset(set(n["labels"]) - known_labels(store)) for n in nodes}
            if unknown
        ] + [
            Problem(
                str(path),
                None,
                "type",
                _("{type}: not a relationship type Tejido knows").format(type=t),
            )
            for t in sorted({r["type"] for r in relationships} - known_types(store))
        ]
        if problems:
            raise InvalidInput(problems)
        present = await store.operator_read("dump_nodes", skip=0, limit=2)
        if any(NOT_RESTORED not in n["labels"] for n in present):
            raise ConfigError(
                _(
                    "the graph is not empty: restore a graph export into an empty graph only "
                    "(tejido reset --yes first)"
                )
            )
        keys: dict[Any, Any] = {}
        for start in range(0, len(nodes), PAGE):
            page = [
                {"i": start + j, "labels": n["labels"], "props": n["props"]}
                for j, n in enumerate(nodes[start : start + PAGE])
            ]
            for row in await store.write("restore_nodes", rows=page):
                keys[nodes[int(row["i"])]["key"]] = row["key"]
        for start in range(0, len(relationships), PAGE):
            page = [
                {
                    "start": keys[r["start"]],
                    "end": keys[r["end"]],
                    "type": r["type"],
                    "props": r["props"],
                }
                for r in relationships[start : start + PAGE]
            ]
            await store.write("restore_relationships", rows=page)
        counts = await _counts(store)
    return Summary(EXPORT, counts["nodes"], counts["relationships"])
