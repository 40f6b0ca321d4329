"""A third-party table turned into interchange tables by a YAML mapping (docs/mapping.md)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from service.errors import InvalidInput, Problem
from service.ingest.mapping import MappingError, apply_mapping, read_mapping, read_table


def read_mapped(table_path: Path, mapping_path: Path) -> dict[str, pd.DataFrame]:
    """Interchange tables from `table_path` per `mapping_path`; raises InvalidInput on problems."""
    try:
        mapping = read_mapping(mapping_path)
        table = read_table(table_path, mapping)
    except MappingError as exc:
        raise InvalidInput([Problem(exc.file, None, exc.where or None, exc.message)]) from exc
    tables, problems = apply_mapping(table, mapping, table_path.name)
    if problems:
        raise InvalidInput([Problem(p.file, p.line, p.column, p.message) for p in problems])
    return tables
