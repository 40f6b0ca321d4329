"""How far a generated case has gone: the day it reached each stage (schema.yaml `case_stage`).

Most cases in the region stall after the complaint; few reach a sentence. Each case draws from
a random generator of its own, seeded by its reference, so adding stages changed no other
record of a dataset generated with the same seed.
"""

from __future__ import annotations

import random

from service.generate.marks import LAST_DAY

# (stage, chance of reaching it from the one before, days it takes at most)
PROGRESSION = (
    ("investigated", 0.6, 240),
    ("charged", 0.35, 365),
    ("tried", 0.6, 365),
    ("sentenced", 0.7, 180),
)
ENDED = frozenset({"closed", "archived"})


def case_stages(reference: str, opened: int, status: str) -> dict[str, int]:
    """Day numbers by stage (`reported`, `investigated`, ...); a stage not reached is absent."""
    rng = random.Random(reference)  # noqa: S311 - reproducible synthetic data, not security
    reached = {"reported": opened}
    day = opened
    for stage, chance, most in PROGRESSION:
        day += rng.randint(15, most)
        if day > LAST_DAY or rng.random() >= chance:
            break
        reached[stage] = day
    if status in ENDED and "sentenced" not in reached:
        closed = day + rng.randint(30, 365)
        if closed <= LAST_DAY:
            reached["closed_without_result"] = closed
    return reached
