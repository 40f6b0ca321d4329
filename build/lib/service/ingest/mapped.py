"""A third-party table turned into interchange tables by a YAML mapping (docs/mapping.md)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from service.errors import InvalidInput
from service.ingest.mapping import apply_mapping, read_mapping, read_table
from service.logs import get_logger, phase

log = get_logger(__name__)


def read_mapped(table_path: Path, mapping_path: Path) -> dict[str, pd.DataFrame]:
    """Interchange tables from `table_path` per `mapping_path`; raises InvalidInput on problems."""
    mapping = read_mapping(mapping_path)
    with phase(log, "mapping", kind=table_path.suffix.lstrip(".").lower()) as mapped:
        table = read_table(table_path, mapping)
        tables, problems = apply_mapping(table, mapping, table_path.name)
        records = sum(len(t) for t in tables.values())
        mapped.update(rows=len(table), records=records, problems=len(problems))
    if problems:
        raise InvalidInput(problems)
    return tables
