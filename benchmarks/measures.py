"""What several benchmarks share: the generated tables as rows, and a percentile of timings."""

from __future__ import annotations

import csv
from pathlib import Path


def rows(folder: Path, file: str) -> list[dict[str, str]]:
    """The rows of one generated table (`file`, e.g. "actors.csv") in `folder`."""
    with (folder / file).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of `values` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]
