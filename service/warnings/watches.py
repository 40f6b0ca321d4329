"""Watches: what an organization watches and when it wants to be warned."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from service.access import Tlp, Viewer
from service.analytics.describe import describe
from service.analytics.risk import LEVELS
from service.errors import InvalidInput, NotFound, Problem
from service.i18n import _
from service.model import load_model
from service.store import Row, Store

MAX_WINDOW_DAYS = 3660


class WatchKind(StrEnum):
    RISK_LEVEL = "RISK_LEVEL"  # a defender's risk reaches `level`
    COVERT_TIE = (
        "COVERT_TIE"  # a new covert tie of an actor present in a territory (or of one actor)
    )
    INCIDENT_COUNT = "INCIDENT_COUNT"  # `count` incidents of `kind` within `window_days`
    KILLING_NEARBY = "KILLING_NEARBY"  # a killing in a territory (a defender: where she works)
    INCIDENT_AGAINST = "INCIDENT_AGAINST"  # an incident against a defender or an organization


# The labels each kind may watch.
SUBJECTS = {
    WatchKind.RISK_LEVEL: frozenset({"Defender"}),
    WatchKind.COVERT_TIE: frozenset({"Territory", "Actor"}),
    WatchKind.INCIDENT_COUNT: frozenset({"Territory"}),
    WatchKind.KILLING_NEARBY: frozenset({"Territory", "Defender"}),
    WatchKind.INCIDENT_AGAINST: frozenset({"Defender", "Organization"}),
}


@dataclass(frozen=True)
class Watch:
    id: str
    org: str
    kind: WatchKind
    subject: str
    clearance: Tlp
    since: str  # events before this day do not fire it (unless written after the watch)
    created_at: str
    params: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_row(cls, row: Row) -> Watch:
        return cls(
            row["id"],
            row["org"],
            WatchKind(row["kind"]),
            row["subject"],
            Tlp(row["clearance"]),
            row["since"],
            row["created_at"],
            json.loads(row["params"] or "{}"),
        )


def _problem(where: str, what: str) -> InvalidInput:
    return InvalidInput([Problem("watch", None, where, what)])


def check_params(
    kind: WatchKind,
    level: str | None,
    incident_kind: str | None,
    count: int | None,
    window_days: int | None,
) -> dict[str, Any]:
    """The threshold a kind needs, checked; what it does not need is refused, not ignored."""
    given = {
        "level": level,
        "incidentKind": incident_kind,
        "count": count,
        "windowDays": window_days,
    }
    needed = {
        WatchKind.RISK_LEVEL: {"level"},
        WatchKind.INCIDENT_COUNT: {"incidentKind", "count", "windowDays"},
    }.get(kind, set())
    if missing := sorted(k for k in needed if given[k] is None):
        raise _problem(missing[0], f"a {kind} watch needs {', '.join(missing)}")
    if extra := sorted(k for k, v in given.items() if v is not None and k not in needed):
        raise _problem(extra[0], f"a {kind} watch takes no {', '.join(extra)}")
    if level is not None and level not in LEVELS[1:]:
        raise _problem("level", f"{level!r} is not one of {', '.join(LEVELS[1:])}")
    if incident_kind is not None and incident_kind not in load_model().enums["incident_kind"]:
        raise _problem("incidentKind", f"{incident_kind!r} is not an incident kind")
    if count is not None and not 1 <= count <= 1000:
        raise _problem("count", "between 1 and 1000")
    if window_days is not None and not 1 <= window_days <= MAX_WINDOW_DAYS:
        raise _problem("windowDays", f"between 1 and {MAX_WINDOW_DAYS}")
    return {
        "level": level,
        "kind": incident_kind,
        "count": count,
        "window_days": window_days,
    }


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


async def create_watch(
    store: Store,
    viewer: Viewer,
    kind: WatchKind,
    subject: str,
    params: dict[str, Any],
    created_by: str,
    since: dt.date | None = None,
) -> Watch:
    """A watch of the viewer's organization on a record the viewer may see, evaluated with the
    viewer's clearance (never more than the admin who set it could see)."""
    found = (await describe(store, viewer, [subject])).get(subject)
    if found is None or found.label not in SUBJECTS[kind]:
        labels = " or ".join(sorted(SUBJECTS[kind]))
        raise _problem("subject", f"no {labels} {subject!r}")
    now = _now()
    row = {
        "id": f"watch-{uuid.uuid4().hex[:16]}",
        "org": viewer.org,
        "kind": kind.value,
        "subject": subject,
        "params": json.dumps({k: v for k, v in params.items() if v is not None}),
        "clearance": viewer.clearance.value,
        "since": (since or dt.date.fromisoformat(now[:10])).isoformat(),
        "created_at": now,
    }
    stored = {k: v for k, v in row.items() if k != "created_at"}
    await store.write("create_watch", **stored, created_by=created_by, now=now)
    return Watch.from_row(row)


async def active_watches(store: Store, org: str | None = None) -> list[Watch]:
    return [Watch.from_row(r) for r in await store.operator_read("active_watches", org=org)]


async def end_watch(store: Store, org: str, watch_id: str) -> None:
    if not await store.write("end_watch", id=watch_id, org=org, now=_now()):
        raise NotFound(_("no watch {watch_id}", watch_id=repr(watch_id)))
