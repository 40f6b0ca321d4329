"""A third-party table turned into interchange tables by a YAML mapping (docs/mapping.md)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from service.errors import InvalidInput
from service.ingest.mapping import apply_mapping, read_mapping, read_table


def read_mapped(table_path: Path, mapping_path: Path) -> dict[str, pd.DataFrame]:
    """Interchange tables from `table_path` per `mapping_path`; raises InvalidInput on problems."""
    mapping = read_mapping(mapping_path)
    tables, problems = apply_mapping(read_table(table_path, mapping), mapping, table_path.name)
    if problems:
        raise InvalidInput(problems)
    return tables
