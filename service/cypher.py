"""The catalog of Cypher statements in cypher/, loaded once, with per-dialect overrides.

Layout (see cypher/README.md): `cypher/<area>/<name>.cypher` is the portable statement;
`<name>.neo4j.cypher` or `<name>.falkordb.cypher` beside it replaces it on that database.
The area says what a statement may do: `read/` reads for a viewer (and must take it),
`operator/` reads without a viewer: for the command line and the loader, and on requests for
what the server itself must know (who a key stands for, embed tokens and their signing key, the
graph version, the records to match or to place after a write), never as records served to a
client; `schema/` is DDL (several statements separated by `;`); every other area writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from service.errors import ConfigError
from service.i18n import _

# service/cypher_catalog links to the repository's cypher/ folder; in a wheel it is package data.
CYPHER_DIR = Path(__file__).resolve().parent / "cypher_catalog"
DIALECTS = ("neo4j", "falkordb")
Dialect = Literal["neo4j", "falkordb"]
Kind = Literal["read", "write", "schema", "operator"]
VIEWER_PARAMS = frozenset({"viewer_grants"})

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_HEADER_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(.+?)(?=,\s*\$|$)")


@dataclass(frozen=True)
class Statement:
    """One named statement: its header and its text per dialect."""

    name: str
    kind: Kind
    area: str  # the folder under cypher/
    summary: str
    params: dict[str, str]  # declared name -> declared type
    texts: dict[str, str]  # dialect -> text
    paths: dict[str, Path]  # dialect -> file it came from

    def text(self, dialect: str) -> str:
        return self.texts[dialect]

    def parts(self, dialect: str) -> list[str]:
        """Schema files hold several DDL statements separated by `;`; others hold one."""
        text = self.texts[dialect]
        if self.kind != "schema":
            return [text]
        return [p.strip() for p in strip_comments(text).split(";") if p.strip()]


def strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))


def used_params(text: str) -> set[str]:
    """Parameters a statement uses (string literals and comments do not count)."""
    return set(_PARAM.findall(_STRING.sub("''", strip_comments(text))))


def _header(path: Path, text: str) -> tuple[str, dict[str, str]]:
    lines = [ln.lstrip("/ ").rstrip() for ln in text.splitlines() if ln.startswith("//")]
    summary = next((ln for ln in lines if ln and not ln.startswith(("params:", "returns:"))), "")
    if not summary or not any(ln.startswith("returns:") for ln in lines):
        raise ConfigError(
            _("{path}: the header must say what the statement does and returns", path=path)
        )
    params: dict[str, str] = {}
    for line in lines:
        if line.startswith("params:"):
            params.update(_HEADER_PARAM.findall(line.removeprefix("params:").strip()))
    return summary, params


def _kind(area: str) -> Kind:
    if area in ("read", "schema", "operator"):
        return area  # type: ignore[return-value]
    return "write"


def _check(stmt: Statement) -> None:
    for dialect, text in stmt.texts.items():
        used = used_params(text)
        if used != set(stmt.params):
            raise ConfigError(
                _(
                    "{path}: parameters used {used} but declared {declared}",
                    path=stmt.paths[dialect],
                    used=sorted(used),
                    declared=sorted(stmt.params),
                )
            )
    if stmt.kind == "read" and not set(stmt.params) >= VIEWER_PARAMS:
        raise ConfigError(
            _("{path}: a read must take the viewer ($viewer_grants)", path=stmt.paths["neo4j"])
        )


def _split_name(path: Path) -> tuple[str, str | None]:
    stem = path.name.removesuffix(".cypher")
    base, _, dialect = stem.rpartition(".")
    return (base, dialect) if base and dialect in DIALECTS else (stem, None)


@cache
def load_catalog(root: Path = CYPHER_DIR) -> dict[str, Statement]:
    """Every statement under `root`, by name; raises ConfigError on a malformed file."""
    files: dict[str, dict[str | None, Path]] = {}
    for path in sorted(root.rglob("*.cypher")):
        name, dialect = _split_name(path)
        files.setdefault(name, {})
        if dialect is None and None in files[name]:
            raise ConfigError(
                _("{path}: a statement named {name} exists already", path=path, name=name)
            )
        files[name][dialect] = path
    catalog = {}
    for name, variants in files.items():
        portable = variants.get(None)
        paths = {d: variants.get(d) or portable for d in DIALECTS}
        missing = [d for d, p in paths.items() if p is None]
        if missing:
            raise ConfigError(
                _(
                    "cypher/{name}: no portable file and no override for {missing}",
                    name=name,
                    missing=missing,
                )
            )
        texts = {d: p.read_text(encoding="utf-8") for d, p in paths.items() if p is not None}
        first = paths["neo4j"]
        assert first is not None  # noqa: S101 - checked just above
        summary, params = _header(first, texts["neo4j"])
        for d in DIALECTS:
            other = paths[d]
            if other is not None and other != first and _header(other, texts[d])[1] != params:
                raise ConfigError(
                    _("{other}: its parameters differ from {name}'s", other=other, name=first.name)
                )
        stmt = Statement(
            name=name,
            kind=_kind(first.relative_to(root).parts[0]),
            area=first.relative_to(root).parts[0],
            summary=summary,
            params=params,
            texts=texts,
            paths={d: p for d, p in paths.items() if p is not None},
        )
        _check(stmt)
        catalog[name] = stmt
    return catalog
