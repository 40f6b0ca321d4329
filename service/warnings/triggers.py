"""Which watch kinds a write can make fire: evaluation after a write is incremental, limited to
them; the scheduled evaluation (runner.py) checks every watch, so nothing a write misses here
stays missed for long."""

from __future__ import annotations

from service.analytics.changes import power_tie_types, presence_types
from service.warnings.watches import WatchKind

EVERY = frozenset(WatchKind)
# What an incident, or a tie of an incident, can change: counts, killings, incidents against a
# record, and the risk of those it targeted (or of their organizations).
INCIDENT_KINDS = frozenset(
    {
        WatchKind.INCIDENT_COUNT,
        WatchKind.KILLING_NEARBY,
        WatchKind.INCIDENT_AGAINST,
        WatchKind.RISK_LEVEL,
    }
)
INCIDENT_TIES = frozenset({"OCCURRED_IN", "PERPETRATED_BY", "TARGETED"})


def kinds_after_record(label: str) -> frozenset[WatchKind]:
    """A new incident changes what incidents show; any other record may change a marking, and
    with it what a watch sees: every kind."""
    return INCIDENT_KINDS if label == "Incident" else EVERY


def kinds_after_link(link_type: str) -> frozenset[WatchKind]:
    """A tie among actors or one that puts an actor somewhere changes covert ties and risk; a
    tie of an incident, what incidents show; any other tie (support, membership, solidarity),
    only risk."""
    if link_type in INCIDENT_TIES:
        return INCIDENT_KINDS
    if link_type in power_tie_types() or link_type in presence_types():
        return frozenset({WatchKind.COVERT_TIE, WatchKind.RISK_LEVEL})
    return frozenset({WatchKind.RISK_LEVEL})
