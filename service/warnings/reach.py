"""Which watches one written incident can make fire, so that the evaluation a write adds before
it answers skips the others (benchmarks/warnings.py: most of its cost was watches of other
places). A superset, read whatever the markings: each watch kept is then evaluated as its own
viewer, and the scheduled pass (runner.py) still checks every watch."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from service.model import load_model
from service.store import Store
from service.warnings.watches import Watch, WatchKind


@dataclass(frozen=True)
class IncidentReach:
    kind: str
    places: frozenset[str]  # the incident's territories and every one above them
    targets: frozenset[str]
    members: frozenset[str]  # defenders who are members of a targeted organization
    victim: bool  # a targeted defender is not active: she may weigh on anyone's risk

    def may_fire(self, watch: Watch) -> bool:
        if watch.kind is WatchKind.INCIDENT_COUNT:
            return watch.params["kind"] == self.kind and watch.subject in self.places
        if watch.kind is WatchKind.KILLING_NEARBY:
            # A defender's places are read as the watch's viewer: checked there.
            defender = watch.subject.startswith(load_model().labels["Defender"].prefix + "-")
            return self.kind == "killing" and (defender or watch.subject in self.places)
        if watch.kind is WatchKind.INCIDENT_AGAINST:
            return watch.subject in self.targets
        if watch.kind is WatchKind.RISK_LEVEL:
            # An incident weighs on the risk of whom it targeted and of the members of a targeted
            # organization (analytics/risk.py); against a victim, on those around her.
            return self.victim or watch.subject in self.targets | self.members
        return True  # covert ties: no incident makes one


async def incident_reach(store: Store, incident: str, today: dt.date) -> IncidentReach | None:
    rows = await store.operator_read("incident_reach", id=incident, today=today.isoformat())
    if not rows:
        return None
    row = rows[0]
    return IncidentReach(
        row["kind"],
        frozenset(row["places"]),
        frozenset(row["targets"]),
        frozenset(row["members"]),
        any(status != "active" for status in row["statuses"]),
    )
