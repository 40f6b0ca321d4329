"""Evidence grades (Admiralty system) and the confidence derived from them.

Reliability (A-F) belongs to a source, credibility (1-6) to a claim. Where a relationship gives
no confidence, it is derived: the best-supported reading of its sources, each scored as
reliability x credibility (the claim's own credibility where given, else the source's).
Grades 'F' and '6' mean "cannot be judged" and count as even odds, not as zero.
"""

from __future__ import annotations

from collections.abc import Iterable

RELIABILITY = {"A": 1.0, "B": 0.8, "C": 0.6, "D": 0.4, "E": 0.2, "F": 0.5}
CREDIBILITY = {"1": 1.0, "2": 0.8, "3": 0.6, "4": 0.4, "5": 0.2, "6": 0.5}
# Confidence of a claim that names no source at all: alleged, not established.
UNSOURCED_CONFIDENCE = 0.3


def derived_confidence(
    sources: Iterable[tuple[str, str | None]], claim_credibility: str | None
) -> float:
    """Confidence from (reliability, source credibility) pairs and the claim's credibility."""
    scores = [
        RELIABILITY[reliability] * CREDIBILITY[claim_credibility or credibility or "6"]
        for reliability, credibility in sources
    ]
    return round(max(scores), 3) if scores else UNSOURCED_CONFIDENCE
