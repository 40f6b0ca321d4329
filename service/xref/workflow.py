"""One matching run: read, block, compare, and propose each pair to the holders for whom it
scores at the threshold or above, from what each may read (service/xref/sides.py).

The candidates of an Outcome are scored on everything, as the operator sees it (`tejido xref
--json`, and quality measured against the labelled pairs); no viewer is ever served those
scores. Pairs that someone already confirmed or rejected keep their status: they are never
proposed again, but what each holder may learn of them is kept up to date.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from service.access import Tlp, record_acl
from service.logs import get_logger, phase
from service.metrics import XREF_PAIRS
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
from service.xref.match_ids import match_id, match_key
from service.xref.records import Records, add_cases_about, read_all, read_around
from service.xref.sides import Proposal, Side, read_lenses, sided

log = get_logger(__name__)
BATCH = 500
MATCHED_LABELS = ("Case", "Defender", "Incident")


@dataclass(frozen=True)
class Outcome:
    candidates: list[Candidate]  # at their label's threshold or above, best first
    compared: list[Candidate]  # every pair compared, whatever its score
    proposed: int  # pairs proposed to at least one holder (new or refreshed)
    judged: int  # of those, pairs somebody confirmed or rejected: their status stays


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


def _side_row(p: Proposal, record: str, side: Side) -> dict[str, object]:
    return {
        "left": p.left,
        "right": p.right,
        "record": record,
        "score": round(side.score, 4),
        "explanation": json.dumps([a.as_dict() for a in side.explanation]),
        "needs": sorted(side.needs),
        "disclosed": side.disclosed,
    }


def _steps(
    records: Records, key: bytes, proposals: list[Proposal], now: str
) -> list[tuple[str, dict[str, object]]]:
    pairs, sides, absent = [], [], []
    for p in proposals:
        left, right = records.holder(p.label, p.left), records.holder(p.label, p.right)
        pairs.append(
            {
                "id": match_id(key, p.left, p.right),
                "left": p.left,
                "right": p.right,
                "owner": left,
                "shared_with": [right],
                "holders_acl": sorted({*record_acl(Tlp.RED, left), *record_acl(Tlp.RED, right)}),
                "sided": any(p.sides),
            }
        )
        for record, side in zip((p.left, p.right), p.sides, strict=True):
            if side is None:
                absent.append({"left": p.left, "right": p.right, "record": record})
            else:
                sides.append(_side_row(p, record, side))
    steps: list[tuple[str, dict[str, object]]] = []
    told = [r for r in pairs if r["sided"]]
    for name, rows in (
        ("refresh_proposals", pairs),
        ("create_proposals", told),
        ("write_sides", sides),
        ("drop_sides", absent),
    ):
        for i in range(0, len(rows), BATCH):
            batch: dict[str, object] = {"rows": rows[i : i + BATCH]}
            steps.append((name, batch if name == "drop_sides" else {**batch, "now": now}))
    return steps


async def propose(
    store: Store, records: Records, proposals: list[Proposal], whole: bool = False
) -> tuple[int, int]:
    """Write each pair's sides, creating a proposal where a holder may learn of it and none
    stands yet; a side that no holder may be told any more goes (`whole`: a run over the whole
    graph, after which a side it did not write is stale). The statements leave the status of
    judged pairs alone, so two runs at once cannot propose a judged pair again. Returns (pairs
    proposed to at least one holder, of those judged)."""
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    steps = _steps(records, await match_key(store), proposals, now)
    if whole:
        steps.append(("drop_stale_sides", {"now": now}))
    results = (await store.write_all(steps))[: len(steps)] if steps else []
    judged = sum(
        int(rows[0].get("judged", 0))
        for (name, _), rows in zip(steps, results, strict=True)
        if name == "refresh_proposals"
    )
    return sum(1 for p in proposals if any(p.sides)) - judged, judged


async def sides_of(
    store: Store, records: Records, rules: Rules, compared: list[Candidate]
) -> list[Proposal]:
    """Every compared pair (and every pair of cases about them) as each holder may learn of it."""
    holders = {records.holder(c.label, x) for c in compared for x in (c.left, c.right)}
    holders |= {c.holder for c in records.cases.values()}
    return sided(records, rules, await read_lenses(store, holders), compared)


async def run_xref(
    store: Store,
    rules: Rules | None = None,
    progress: Progress | None = None,
    write: bool = True,
) -> Outcome:
    """Match the whole graph; without `write`, only find the candidates."""
    rules = rules or default_rules()
    with phase(log, "xref", write=write) as run:
        with phase(log, "xref reading") as read:
            records = await read_all(store)
            read.update(
                defenders=len(records.defenders),
                incidents=len(records.incidents),
                cases=len(records.cases),
            )
        with phase(log, "xref comparing") as comparing:
            compared = compare_all(records, rules, progress)
            comparing["pairs"] = len(compared)
        outcome = await _finish(store, records, rules, compared, write, True)
        run.update(candidates=len(outcome.candidates), proposed=outcome.proposed)
    return outcome


async def match_new(store: Store, ids: list[str], rules: Rules | None = None) -> Outcome:
    """Match records just written (cases, defenders, incidents) against the graph."""
    rules = rules or default_rules()
    # Every write of a case, defender or incident runs this: a debug line, not an info one.
    with phase(log, "xref on write", "debug", records=len(ids)) as run:
        records = await read_around(store, ids, rules.date_tolerance_days)
        found = compare_people_and_events(records, rules)
        if records.cases:  # a new case: its peers are the cases about what its records were
            # paired with (a holder may see a match that the operator's score does not reach)
            partners = {x for c in found for x in (c.left, c.right)}
            await add_cases_about(store, records, sorted(partners - (records.new or set())))
        compared = found + compare_case_files(records, rules, found)
        outcome = await _finish(store, records, rules, compared, True, False)
        run.update(pairs=len(compared), proposed=outcome.proposed)
    return outcome


async def _finish(
    store: Store,
    records: Records,
    rules: Rules,
    compared: list[Candidate],
    write: bool,
    whole: bool,
) -> Outcome:
    found = sorted(_matched(compared, rules), key=lambda c: (-c.score, c.label, c.left, c.right))
    XREF_PAIRS.labels("compared").inc(len(compared))
    XREF_PAIRS.labels("matched").inc(len(found))
    if not write:
        return Outcome(found, compared, 0, 0)
    with phase(log, "xref proposing", "info" if whole else "debug") as proposing:
        proposals = await sides_of(store, records, rules, compared)
        written, judged = await propose(store, records, proposals, whole)
        proposing.update(pairs=len(proposals), proposed=written, judged=judged)
    XREF_PAIRS.labels("proposed").inc(written)
    return Outcome(found, compared, written, judged)
