"""Compare two records field by field; a score in 0..1 with the agreement of each field.

The score is the weighted mean of the fields that both records have (a missing field neither
helps nor hurts). A few disagreements veto a pair outright: defenders of different countries
or genders, incidents more than the date tolerance apart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field

from service.config import Rate, StrictSection, read_config_file
from service.xref.names import name_similarity
from service.xref.records import Case, Defender, Incident, Places

DEFAULT_MATCHING = Path(__file__).with_name("matching.yaml")
Score = Annotated[float, Field(ge=0, le=1)]
Weight = Annotated[float, Field(ge=0)]


@dataclass(frozen=True)
class Agreement:
    """How much one field agreed (0..1) and what that field weighs in the score."""

    field: str
    similarity: float
    weight: float

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "similarity": round(self.similarity, 3), "weight": self.weight}


@dataclass(frozen=True)
class Candidate:
    label: str
    left: str
    right: str
    score: float
    explanation: tuple[Agreement, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "left": self.left,
            "right": self.right,
            "score": round(self.score, 4),
            "explanation": [a.as_dict() for a in self.explanation],
        }


class Thresholds(StrictSection):
    """Per label, the lowest score proposed as SAME_AS."""

    Defender: Score
    Incident: Score
    Case: Score


class DefenderWeights(StrictSection):
    name: Weight
    places: Weight
    gender: Weight
    identities: Weight
    focus: Weight


class IncidentWeights(StrictSection):
    kind: Weight
    date: Weight
    places: Weight
    actors: Weight
    targets: Weight


class CaseWeights(StrictSection):
    defenders: Weight
    incidents: Weight
    opened: Weight
    places: Weight


class FieldWeights(StrictSection):
    """Per label, what each compared field weighs in the score."""

    Defender: DefenderWeights
    Incident: IncidentWeights
    Case: CaseWeights


class Rules(StrictSection):
    """How records are compared: matching.yaml, checked as it is read."""

    thresholds: Thresholds
    date_tolerance_days: int = Field(ge=0)
    case_opened_tolerance_days: int = Field(ge=0)
    max_block: int = Field(ge=2)
    weights: FieldWeights
    similar_kinds: frozenset[frozenset[str]]
    on_write_per_organization: Rate

    def threshold(self, label: str) -> float:
        score: float = getattr(self.thresholds, label)
        return score

    def weights_of(self, label: str) -> dict[str, float]:
        return self._weights_by_label[label]

    @cached_property
    def _weights_by_label(self) -> dict[str, dict[str, float]]:
        # Read once: a run looks them up for every pair it compares.
        return self.weights.model_dump()

    def with_overrides(self, threshold: float | None = None, **changes: Any) -> Rules:
        """These rules with some values changed (None keeps one); `threshold`: every label's."""
        known = {k: v for k, v in changes.items() if v is not None}
        if threshold is not None:
            known["thresholds"] = dict.fromkeys(Thresholds.model_fields, threshold)
        return Rules.model_validate({**self.model_dump(), **known})


@cache
def default_rules(path: Path = DEFAULT_MATCHING) -> Rules:
    return read_config_file(path, Rules)


def _jaccard(a: Collection[str], b: Collection[str]) -> float | None:
    if not a or not b:
        return None
    return len(set(a) & set(b)) / len(set(a) | set(b))


def _days_apart(a: dt.date, b: dt.date, tolerance: int) -> float:
    return max(0.0, 1.0 - abs((a - b).days) / (tolerance + 1))


def _score(label: str, left: str, right: str, rules: Rules, **fields: float | None) -> Candidate:
    weights = rules.weights_of(label)
    explanation = tuple(
        Agreement(name, value, weights[name]) for name, value in fields.items() if value is not None
    )
    total = sum(a.weight for a in explanation)
    score = sum(a.similarity * a.weight for a in explanation) / total if total else 0.0
    return Candidate(label, left, right, score, explanation)


def _veto(label: str, left: str, right: str, field: str) -> Candidate:
    return Candidate(label, left, right, 0.0, (Agreement(field, 0.0, 0.0),))


def compare_defenders(a: Defender, b: Defender, places: Places, rules: Rules) -> Candidate:
    if a.country and b.country and a.country != b.country:
        return _veto("Defender", a.id, b.id, "country")
    if a.gender and b.gender and a.gender != b.gender:
        return _veto("Defender", a.id, b.id, "gender")
    return _score(
        "Defender",
        a.id,
        b.id,
        rules,
        name=name_similarity(a.name, b.name),
        places=places.agreement(a.places, b.places),
        gender=1.0 if a.gender and b.gender else None,
        identities=_jaccard(a.identities, b.identities),
        focus=_jaccard(a.focus, b.focus),
    )


def _best_name(left: Collection[str], right: Collection[str]) -> float | None:
    if not left or not right:
        return None
    return max(name_similarity(x, y) for x in left for y in right)


def compare_incidents(a: Incident, b: Incident, places: Places, rules: Rules) -> Candidate:
    if abs((a.date - b.date).days) > rules.date_tolerance_days:
        return _veto("Incident", a.id, b.id, "date")
    similar = frozenset((a.kind, b.kind)) in rules.similar_kinds
    return _score(
        "Incident",
        a.id,
        b.id,
        rules,
        kind=1.0 if a.kind == b.kind else 0.5 if similar else 0.0,
        date=_days_apart(a.date, b.date, rules.date_tolerance_days),
        places=places.agreement(a.places, b.places),
        actors=_jaccard(a.actors, b.actors),
        targets=_best_name(a.targets, b.targets),
    )


IncidentScore = Callable[[str, str], float]


SIDE_PERSON = 0.75  # a file's match on someone it names beside the people it is about


def _twins(a: Case, b: Case) -> float | None:
    """The best name agreement between a defender of one file and a different defender record
    of the other, discounted unless both files are about (not merely name) the two. Two files
    about the very same record are two holders working on the same person, which the graph
    already shows; a match is about records that are not yet linked."""
    subjects = {i for i, _ in a.subjects()} | {j for j, _ in b.subjects()}
    pairs = [
        name_similarity(x, y) * (1.0 if i in subjects and j in subjects else SIDE_PERSON)
        for i, x in zip(a.defenders, a.names, strict=True)
        for j, y in zip(b.defenders, b.names, strict=True)
        if i != j and x and y
    ]
    return max(pairs) if pairs else None


def compare_cases(
    a: Case, b: Case, places: Places, rules: Rules, incident_score: IncidentScore
) -> Candidate:
    """`incident_score(x, y)` is the score of two incidents (0 when they were never paired)."""
    incidents: float | None = None
    if a.incidents and b.incidents:
        short, long_ = sorted((a.incidents, b.incidents), key=len)
        found = [max(incident_score(x, y) for y in long_) for x in short]
        incidents = sum(s for s in found if s >= rules.threshold("Incident")) / len(short)
    opened = None
    if a.opened and b.opened:
        opened = _days_apart(a.opened, b.opened, rules.case_opened_tolerance_days)
    return _score(
        "Case",
        a.id,
        b.id,
        rules,
        defenders=_twins(a, b),
        incidents=incidents,
        opened=opened,
        places=places.agreement(a.places, b.places),
    )
