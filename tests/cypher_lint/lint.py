"""Offline Cypher lint with Neo4j's own linter (``@neo4j-cypher/language-support``).

``lint_statements([(name, text, parameter_names), ...])`` returns the diagnostics of each
statement by name. It runs ``node lint.mjs`` beside this file once for the whole batch (the
linter takes ~1 s to load), installing ``node_modules`` from ``package-lock.json`` first when
it is missing or older than the lock file.
"""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "ERROR",
    "WARNING",
    "CypherLintUnavailable",
    "Diagnostic",
    "lint_statements",
]

HERE = Path(__file__).resolve().parent
ERROR = 1  # LSP DiagnosticSeverity
WARNING = 2
INSTALL_TIMEOUT_SECONDS = 600.0
LINT_TIMEOUT_SECONDS = 300.0


@dataclass(frozen=True)
class Diagnostic:
    severity: int  # ERROR or WARNING (LSP numbering)
    message: str
    line: int  # 0-based, counting the comment header of a .cypher file
    character: int  # 0-based

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def __str__(self) -> str:
        kind = {ERROR: "error", WARNING: "warning"}.get(self.severity, f"severity {self.severity}")
        return f"{self.line + 1}:{self.character + 1}: {kind}: {self.message}"


class CypherLintUnavailable(Exception):
    """No ``node``/``npm`` on PATH; ``reason`` says which, for a skip."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def lint_statements(
    statements: Sequence[tuple[str, str, Sequence[str]]],
) -> dict[str, list[Diagnostic]]:
    """Diagnostics by statement name; ``parameters`` are the names a statement may use."""
    names = [name for name, _, _ in statements]
    if len(set(names)) != len(names):
        raise ValueError("statement names must be unique")
    if not statements:
        return {}
    node = shutil.which("node")
    if node is None:
        raise CypherLintUnavailable("no `node` on PATH for the Cypher linter")
    _ensure_node_modules()
    payload = [
        {"name": name, "text": text, "parameters": list(parameters)}
        for name, text, parameters in statements
    ]
    result = subprocess.run(
        [node, str(HERE / "lint.mjs")],
        cwd=HERE,
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=LINT_TIMEOUT_SECONDS,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"lint.mjs failed ({result.returncode}):\n{result.stderr}")
    return {
        entry["name"]: [Diagnostic(**diagnostic) for diagnostic in entry["diagnostics"]]
        for entry in json.loads(result.stdout)
    }


def _ensure_node_modules() -> None:
    lock_file = HERE / "package-lock.json"
    # npm writes this after a successful install, so it also tells a half-done install.
    installed = HERE / "node_modules" / ".package-lock.json"
    # Concurrent test runs (xdist workers) share node_modules: one `npm ci` at a time.
    with (HERE / ".npm-install.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if installed.is_file() and installed.stat().st_mtime >= lock_file.stat().st_mtime:
                return
            npm = shutil.which("npm")
            if npm is None:
                raise CypherLintUnavailable("no `npm` on PATH to install the Cypher linter")
            result = subprocess.run(
                [npm, "ci", "--no-audit", "--no-fund"],
                cwd=HERE,
                capture_output=True,
                text=True,
                timeout=INSTALL_TIMEOUT_SECONDS,
                check=False,
            )
            if result.returncode != 0:
                raise RuntimeError(
                    f"`npm ci` in {HERE} failed ({result.returncode}):\n"
                    f"{result.stdout}\n{result.stderr}"
                )
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
