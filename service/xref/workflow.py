"""One matching run: read, block, compare, and propose what scores at the threshold or above.

Pairs that someone already confirmed or rejected are compared (so that quality can be measured
on them) but never proposed again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol

from service.access import Tlp, record_acl
from service.store import Store
from service.xref.blocking import case_pairs, defender_pairs, incident_pairs
from service.xref.compare import (
    Candidate,
    Rules,
    compare_cases,
    compare_defenders,
    compare_incidents,
    default_rules,
)
from service.xref.records import Records, add_cases_about, read_all, read_around

BATCH = 500
MATCHED_LABELS = ("Case", "Defender", "Incident")


@dataclass(frozen=True)
class Outcome:
    candidates: list[Candidate]  # at their label's threshold or above, best first
    compared: list[Candidate]  # every pair compared, whatever its score
    proposed: int  # proposals written (new or refreshed)
    judged: int  # candidates left alone: somebody confirmed or rejected them


class Progress(Protocol):
    """What a progress bar (tqdm) offers: a total that can grow, and steps."""

    total: float | None

    def update(self, n: float | None = 1) -> bool | None: ...


def _no_progress(n: float | None = 1) -> None:
    del n


def _grow(progress: Progress | None, pairs: int) -> Callable[[float | None], object]:
    if progress is None:
        return _no_progress
    progress.total = (progress.total or 0) + pairs
    return progress.update


def compare_people_and_events(
    records: Records, rules: Rules, progress: Progress | None = None
) -> list[Candidate]:
    """Every blocked pair of defenders and of incidents with its score, whatever the score."""
    places = records.places
    defenders = defender_pairs(records, rules.max_block)
    incidents = incident_pairs(
        records, rules.max_block, rules.date_tolerance_days, rules.similar_kinds
    )
    tick = _grow(progress, len(defenders) + len(incidents))
    out = []
    for a, b in sorted(defenders):
        out.append(compare_defenders(records.defenders[a], records.defenders[b], places, rules))
        tick(1)
    for a, b in sorted(incidents):
        out.append(compare_incidents(records.incidents[a], records.incidents[b], places, rules))
        tick(1)
    return out


def compare_case_files(
    records: Records, rules: Rules, found: list[Candidate], progress: Progress | None = None
) -> list[Candidate]:
    """Every pair of cases about defenders or incidents that `found` matched, with its score."""
    scores = {(c.left, c.right): c.score for c in found if c.label == "Incident"}

    def incident_score(x: str, y: str) -> float:
        return scores.get((x, y) if x < y else (y, x), 0.0)

    cases = case_pairs(records, _matched(found, rules))
    tick = _grow(progress, len(cases))
    out = []
    for a, b in sorted(cases):
        out.append(
            compare_cases(records.cases[a], records.cases[b], records.places, rules, incident_score)
        )
        tick(1)
    return out


def compare_all(
    records: Records, rules: Rules, progress: Progress | None = None
) -> list[Candidate]:
    """Every blocked pair with its score, whatever the score."""
    found = compare_people_and_events(records, rules, progress)
    return found + compare_case_files(records, rules, found, progress)


def _matched(compared: list[Candidate], rules: Rules) -> list[Candidate]:
    return [c for c in compared if c.score >= rules.threshold(c.label)]


def _proposal_id(candidate: Candidate) -> str:
    digest = hashlib.sha1(f"{candidate.left}|{candidate.right}".encode()).hexdigest()  # noqa: S324
    return f"xref-{digest[:16]}"


def _holder(records: Records, label: str, record_id: str) -> str:
    if label == "Case":
        return records.cases[record_id].holder
    if label == "Defender":
        return records.defenders[record_id].holder
    return records.incidents[record_id].holder


def _rows(records: Records, candidates: list[Candidate]) -> Iterator[dict[str, object]]:
    for c in candidates:
        left, right = _holder(records, c.label, c.left), _holder(records, c.label, c.right)
        yield {
            "id": _proposal_id(c), "left": c.left, "right": c.right, "score": round(c.score, 4),
            "explanation": json.dumps([a.as_dict() for a in c.explanation]),
            "owner": left, "shared_with": [right],
            "acl": sorted({*record_acl(Tlp.RED, left), *record_acl(Tlp.RED, right)}),
        }  # fmt: skip


async def propose(store: Store, records: Records, candidates: list[Candidate]) -> tuple[int, int]:
    """Refresh standing proposals and create new ones, leaving judged pairs alone (the
    statements check, so two runs at once cannot propose a judged pair); returns (written,
    left alone as judged)."""
    rows = list(_rows(records, candidates))
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    steps = []
    for i in range(0, len(rows), BATCH):
        batch = {"rows": rows[i : i + BATCH], "now": now}
        steps += [("refresh_proposals", batch), ("create_proposals", batch)]
    results = (await store.write_all(steps))[: len(steps)] if steps else []
    written = sum(r[0].get("refreshed", 0) + r[0].get("created", 0) for r in results)
    return written, len(rows) - written


async def run_xref(
    store: Store,
    rules: Rules | None = None,
    progress: Progress | None = None,
    write: bool = True,
) -> Outcome:
    """Match the whole graph; without `write`, only find the candidates."""
    rules = rules or default_rules()
    records = await read_all(store)
    return await _finish(store, records, rules, compare_all(records, rules, progress), write)


async def match_new(store: Store, ids: list[str], rules: Rules | None = None) -> Outcome:
    """Match records just written (cases, defenders, incidents) against the graph."""
    rules = rules or default_rules()
    records = await read_around(store, ids, rules.date_tolerance_days)
    found = compare_people_and_events(records, rules)
    if records.cases:  # a new case: its peers are the cases about what its records matched
        partners = {x for c in _matched(found, rules) for x in (c.left, c.right)}
        await add_cases_about(store, records, sorted(partners - (records.new or set())))
    compared = found + compare_case_files(records, rules, found)
    return await _finish(store, records, rules, compared, True)


async def _finish(
    store: Store, records: Records, rules: Rules, compared: list[Candidate], write: bool
) -> Outcome:
    found = sorted(_matched(compared, rules), key=lambda c: (-c.score, c.label, c.left, c.right))
    written, judged = await propose(store, records, found) if write else (0, 0)
    return Outcome(found, compared, written, judged)
