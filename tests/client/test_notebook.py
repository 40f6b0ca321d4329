"""The researchers' example notebook, run end to end against the real service on the seed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

from service.access import Role, Tlp
from service.keys import create_key
from tests.support.embed_server import serve_app

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "examples" / "notebooks" / "researcher.ipynb"


@pytest.mark.slow
async def test_the_researcher_notebook_runs_on_the_seed(
    seeded_graph: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = await create_key(seeded_graph.store, "org-000037", Role.ANALYST, Tlp.RED, note="nb")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    with serve_app(seeded_graph.settings) as base:
        monkeypatch.setenv("TEJIDO_URL", f"{base}/graphql")
        monkeypatch.setenv("TEJIDO_KEY", key.key)
        client = NotebookClient(
            notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": ROOT}}
        )
        await client.async_execute()  # a failing cell raises CellExecutionError, naming it
    outputs = [cell.get("outputs", []) for cell in notebook.cells if cell.cell_type == "code"]
    assert all(outputs), "every code cell shows something"
    shown = str(outputs[-1])
    assert "actors," in shown and "ties" in shown
