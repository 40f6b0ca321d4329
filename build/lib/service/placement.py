"""The one home of the pseudonym rule for places: a viewer who may not read a defender's name
never reads a place finer than a region that would locate that defender (docs/access.md).

The rule is data, not a clause each statement must remember. Ties that place a record (the
model's `places` types: OPERATES_IN, OCCURRED_IN) carry access tokens derived here after every
write, so every read that checks `r.acl`, as every read does, inherits the rule:

- a tie from a defender, or from an incident that targeted defenders, to a place finer than a
  region is readable only by viewers who may read both the tie and every such defender's name
  (`meet` of the tokens);
- where that shuts out some of the tie's readers, a derived tie (`derived: true`) to the
  region above (or the country) stands in for it under the tie's own marking: a pseudonym is
  placed in its region, as the domain model asks, and nowhere finer.

Writes close the ties they touch first (cypher/access/close_place_ties.cypher, fail closed) and
call `derive_place_access` after, so a reader sees a place either under the derived tokens or
not at all.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from typing import Any

from service.access import EVERYONE, Tlp, record_acl
from service.logs import get_logger, phase
from service.model import load_model
from service.store import Row, Store

log = get_logger(__name__)
COARSE_KINDS = ("region", "country")  # the finest places a pseudonym may be tied to
PLACED_LABELS = frozenset({"Defender", "Incident"})  # what may place a defender
CHUNK = 2000
# A token implies the tokens that every viewer holding it also holds (service/access.py
# Viewer.grants): RED:<org> is held only by viewers of <org> cleared RED, who also hold
# STRICT:<org> and AMBER:<org>; STRICT:<org> likewise implies AMBER:<org>.
_IMPLIED = {"RED": ("STRICT", "AMBER"), "STRICT": ("AMBER",)}


def _implies(token: str, other: str) -> bool:
    if token == other or other == EVERYONE:
        return True
    kind, _, org = token.partition(":")
    return any(other == f"{weaker}:{org}" for weaker in _IMPLIED.get(kind, ()))


def meet(left: Iterable[str], right: Iterable[str]) -> list[str]:
    """Tokens whose holders may read under both access lists. Conservative: a viewer who could
    satisfy each list only with a different token (its own AMBER and a network's) is left
    out, since one token list cannot say "one of these and one of those"."""
    a, b = set(left), set(right)
    return sorted(
        t for t in a | b if any(_implies(t, x) for x in a) and any(_implies(t, y) for y in b)
    )


@dataclass(frozen=True)
class Derived:
    """What one placing tie becomes: its own tokens and, maybe, a coarse stand-in."""

    marking: list[str]  # the tokens of the tie's own marking
    acl: list[str]  # who may read the tie: the marking, met with the names it would place
    coarse: str | None  # the region or country a derived tie points to


def derive(row: Row) -> Derived:
    """The tokens of one placing tie (a row of cypher/operator/place_ties.cypher)."""
    marking = record_acl(Tlp(row["tlp"]), row["owner"], row["shared_with"] or ())
    names = [n for n in row["names"] if n is not None]
    if row["from_label"] not in PLACED_LABELS or row["kind"] in COARSE_KINDS or not names:
        return Derived(marking, marking, None)
    acl = reduce(meet, names, marking)
    if set(acl) == set(marking):
        return Derived(marking, acl, None)
    above = {c["kind"]: c["id"] for c in row["coarse"]}
    return Derived(marking, acl, next((above[k] for k in COARSE_KINDS if k in above), None))


def _covers(wide: Iterable[str], narrow: Iterable[str]) -> bool:
    """Whether every viewer who may read under `narrow` may read under `wide` too."""
    return all(any(_implies(n, w) for w in wide) for n in narrow)


async def derive_place_access(store: Store, ids: Iterable[str] | None = None) -> int:
    """Derive the tokens of the ties that place `ids`, or records at `ids` (territories), or
    every placing tie when `ids` is None. Returns the ties derived."""
    # Every write derives the ties it touched: only a whole derivation is worth an info line.
    with phase(log, "place access", "info" if ids is None else "debug", whole=ids is None) as done:
        types = load_model().place_types
        if ids is None:
            starts = [r["id"] for r in await store.operator_read("place_tie_records", types=types)]
        else:
            given = sorted(set(ids))
            placed = await store.operator_read("placed_at", ids=given, types=types)
            starts = sorted({*given, *(r["id"] for r in placed)})
        derived = 0
        for i in range(0, len(starts), CHUNK):
            chunk = starts[i : i + CHUNK]
            rows = await store.operator_read("place_ties", ids=chunk, types=types)
            await store.write_all(_steps(chunk, rows))
            derived += len(rows)
        done.update(records=len(starts), ties=derived)
    return derived


def _steps(starts: list[str], rows: list[Row]) -> list[tuple[str, dict[str, Any]]]:
    """Tokens for every tie of `starts`, and one stand-in per record, type, region and marking
    for the ties it shuts out, unless a tie of the record's own already says as much."""
    acls, gated = [], defaultdict(list)
    direct = defaultdict(list)  # (record, type, place) -> markings of its own ties there
    for row in rows:
        result = derive(row)
        acls.append({"from": row["from"], "id": row["id"], "acl": result.acl})
        direct[(row["from"], row["type"], row["to"])].append(result.marking)
        if result.coarse is not None:
            gated[(row["from"], row["type"], result.coarse, tuple(result.marking))].append(row)
    keep: dict[str, list[str]] = {start: [] for start in starts}
    stand_ins: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for (start, kind, place, marking), fine in sorted(gated.items()):
        if any(_covers(own, marking) for own in direct[(start, kind, place)]):
            continue
        key = f"{place}|{','.join(marking)}"
        keep[start].append(key)
        stand_ins[kind].append(
            {
                "from": start,
                "to": place,
                "key": key,
                "id": f"rel-s{uuid.uuid4().hex[:16]}",
                "props": _stand_in(fine, list(marking)),
            }
        )
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return [
        ("set_place_acl", {"rows": acls}),
        ("drop_derived_places", {"rows": [{"from": k, "keep": v} for k, v in keep.items()]}),
        *((f"derive_{t.lower()}", {"rows": r, "now": now}) for t, r in stand_ins.items()),
    ]


def _stand_in(fine: list[Row], marking: list[str]) -> dict[str, Any]:
    """What a stand-in says of the ties it stands for: their marking and evidence, the best
    confidence, and the days any of them held."""
    first = fine[0]
    sources = sorted({s for row in fine for s in row["sources"] or ()})
    starts, ends = [r["valid_from"] for r in fine], [r["valid_to"] for r in fine]
    props = {
        "tlp": first["tlp"],
        "owner": first["owner"],
        "shared_with": first["shared_with"] or [],
        "acl": marking,
        "sources": sources,
        "corroboration": len(sources),
        "confidence": max(
            (r["confidence"] for r in fine if r["confidence"] is not None), default=None
        ),
        "valid_from": None if None in starts else min(starts),
        "valid_to": None if None in ends else max(ends),
        "stands_for": sorted(r["id"] for r in fine),
    }
    return props  # a None removes what an earlier derivation wrote (SET +=)
