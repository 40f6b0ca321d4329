"""Which watch kinds a write evaluates at once (the schedule evaluates them all)."""

from __future__ import annotations

from service.warnings.triggers import EVERY, kinds_after_link, kinds_after_record
from service.warnings.watches import WatchKind


def test_a_write_evaluates_the_kinds_it_can_make_fire() -> None:
    assert WatchKind.COVERT_TIE not in kinds_after_record("Incident")
    assert kinds_after_record("Actor") == EVERY  # a marking may reveal anything
    assert kinds_after_link("COLLUDES_WITH") == {WatchKind.COVERT_TIE, WatchKind.RISK_LEVEL}
    assert kinds_after_link("CONTROLS") == {WatchKind.COVERT_TIE, WatchKind.RISK_LEVEL}
    assert WatchKind.INCIDENT_AGAINST in kinds_after_link("TARGETED")
    assert kinds_after_link("SUPPORTS") == {WatchKind.RISK_LEVEL}
