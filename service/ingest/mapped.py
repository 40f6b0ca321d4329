"""A third-party table turned into interchange tables by a YAML mapping (docs/mapping.md), and
loaded with every problem named in the user's own files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from service.errors import InvalidInput, Problem
from service.ingest.load import LoadReport, load_tables
from service.ingest.mapping import apply_mapping, read_mapping, read_table
from service.ingest.mapping.convert import Converted
from service.logs import get_logger, phase
from service.store.base import Store

log = get_logger(__name__)


def read_mapped(table_path: Path, mapping_path: Path) -> Converted:
    """Interchange tables from `table_path` per `mapping_path`; raises InvalidInput on problems."""
    mapping = read_mapping(mapping_path)
    with phase(log, "mapping", kind=table_path.suffix.lstrip(".").lower()) as mapped:
        table = read_table(table_path, mapping)
        converted = apply_mapping(table, mapping, table_path.name, mapping_path.name)
        records = sum(len(t) for t in converted.tables.values())
        mapped.update(rows=len(table), records=records, problems=len(converted.problems))
    if converted.problems:
        raise InvalidInput(converted.problems)
    return converted


async def load_mapped(
    store: Store, table_path: Path, mapping_path: Path, batch_size: int, **load: Any
) -> LoadReport:
    """Map the table and load it (load_tables' keywords pass through). What the loader finds
    wrong in the generated tables (an owner that names no organization, a reference to a
    record the graph lacks) is reported at the row, column or mapping key it came from: the
    generated files are never named."""
    converted = read_mapped(table_path, mapping_path)
    try:
        return await load_tables(store, converted.tables, batch_size, **load)
    except InvalidInput as exc:
        located = sorted({converted.locate(p) for p in exc.problems}, key=_order)
        raise InvalidInput(located) from None


def _order(problem: Problem) -> tuple[str, int, str]:
    return (problem.file, problem.line or 0, problem.column or "")
