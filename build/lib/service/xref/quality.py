"""Precision and recall of matching against labelled pairs (xref_truth.csv)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from service.xref.compare import Candidate, Rules

Pair = tuple[str, str, str]  # label, left, right (left < right)


def read_truth(path: Path) -> set[Pair]:
    with path.open(newline="", encoding="utf-8") as f:
        return {
            (row["label"], *sorted((row["left_id"], row["right_id"])))  # type: ignore[misc]
            for row in csv.DictReader(f)
        }


@dataclass(frozen=True)
class Quality:
    threshold: float | None  # None: each label's own (matching.yaml)
    label: str  # or "all"
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0


def measure(
    compared: Iterable[Candidate],
    truth: set[Pair],
    rules: Rules,
    threshold: float | None = None,
    label: str = "all",
) -> Quality:
    """Quality of the pairs scoring at `threshold` (else their label's) or above, for one label
    or all."""
    wanted = {p for p in truth if label in ("all", p[0])}
    found = {
        (c.label, c.left, c.right)
        for c in compared
        if label in ("all", c.label)
        and c.score >= (rules.threshold(c.label) if threshold is None else threshold)
    }
    return Quality(threshold, label, len(found & wanted), len(found - wanted), len(wanted - found))
