"""Collective risk of an organization or a community (docs/methodology.md): the incidents
against it, its living members' risks and its killed or disappeared members, term by term."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from service.access import Viewer
from service.analytics.questions import logged_question
from service.analytics.risk import (
    ALL_DEFENDERS,
    Factor,
    Risk,
    at_risk_defenders,
    exited,
    incident_weight,
    incidents_of,
    level,
    victim_weight,
)
from service.analytics.scope import territory_scope
from service.analytics.victims import VictimLink, read_victims
from service.analytics.weights import Weights, load_weights
from service.errors import InvalidInput, Problem
from service.store import Store

COLLECTIVE = "COLLECTIVE"


@dataclass(frozen=True)
class CollectiveRisk:
    subject: str  # the organization or territory
    score: float
    level: str
    terms: tuple[Factor, ...]
    members: tuple[tuple[str, Risk], ...]  # the living members, highest risk first


def _members_terms(members: list[tuple[str, Risk]], weights: Weights) -> list[Factor]:
    w = weights.collective_risk
    scores = [r.score for _, r in members]
    mean = sum(scores) / len(scores) if scores else 0.0
    ids = tuple(d for d, _ in members)
    top = tuple(d for d, r in members[:1])
    count = (("count", len(members)),)
    return [
        Factor("member_risk_mean", COLLECTIVE, mean, w.member_mean, ids, count),
        Factor("member_risk_max", COLLECTIVE, max(scores, default=0.0), w.member_max, top, count),
    ]


@logged_question
async def collective_risk(
    store: Store,
    viewer: Viewer,
    as_of: dt.date,
    organization: str | None = None,
    territory: str | None = None,
    weights: Weights | None = None,
) -> CollectiveRisk:
    """Exactly one of `organization` and `territory`."""
    if (organization is None) == (territory is None):
        problem = "give exactly one of 'organization' and 'territory'"
        raise InvalidInput([Problem("collectiveRisk", None, "organization", problem)])
    w = weights or load_weights()
    day, params = as_of.isoformat(), viewer.params()
    if organization is not None:
        rows = await store.read("organization_members", id=organization, as_of=day, **params)
        member_ids = {r["id"] for r in rows if not exited(r["status"], w.risk)}
        ranked = await at_risk_defenders(store, viewer, as_of, first=ALL_DEFENDERS, weights=w.risk)
        members = [(d, r) for d, r in ranked if d in member_ids]
        found = await store.read("organization_incidents", ids=[organization], as_of=day, **params)
        # A membership closed at her death still counts her (service/analytics/victims.py).
        everyone = await read_victims(store, viewer, day, None, w.risk)
        victims = [v for v in everyone if organization in v.organizations]
        subject = organization
    else:
        assert territory is not None  # noqa: S101 - one of the two, checked above
        scope = await territory_scope(store, viewer, territory) or []
        members = list(
            await at_risk_defenders(
                store, viewer, as_of, territory, first=ALL_DEFENDERS, weights=w.risk
            )
        )
        found = await store.read("incidents_in_scope", scope=scope, as_of=day, **params)
        victims = await read_victims(store, viewer, day, scope, w.risk)
        subject = territory
    incidents = incidents_of(found)
    c = w.collective_risk
    links = [VictimLink(v.id, "collective", 0, v.date, v.evidence) for v in victims]
    terms = (
        Factor(
            "collective_incidents",
            COLLECTIVE,
            sum(incident_weight(i, as_of, w.risk) for i in incidents),
            c.incidents,
            tuple(i.id for i in incidents),
            (("count", len(incidents)),),
        ),
        *_members_terms(members, w),
        Factor(
            "collective_victims",
            COLLECTIVE,
            sum(victim_weight(link, as_of, w.risk) for link in links),
            c.victims,
            tuple(e for v in victims for e in v.evidence),
            (("count", len(victims)),),
        ),
    )
    total = sum(t.contribution for t in terms)
    return CollectiveRisk(subject, total, level(total, w.risk), terms, tuple(members))
