"""Issue 13 on hand-built graphs, both backends: a killed defender leaves every score and
threatens those around her; each power-class rule needs its evidence; covert ties against
public actors; every score recomputes from the terms it returns."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from service.access import Tlp, Viewer
from service.analytics.collective import collective_risk
from service.analytics.power_map import power_map
from service.analytics.protection_gaps import protection_gaps
from service.analytics.risk import Risk, at_risk_defenders
from service.analytics.shadow_power import shadow_power
from service.analytics.victims import victims
from service.analytics.weights import load_weights
from service.store import Store
from tests.support.tables import load_rows

AS_OF = dt.date(2026, 1, 1)
VIEWER = Viewer("org-a", clearance=Tlp.RED)
W = load_weights()


def row(**values: str) -> dict[str, str]:
    return {"tlp": "GREEN", "owner": "org-a", **values}


def tie(id_: str, type_: str, a: str, b: str, **extra: str) -> dict[str, str]:
    return row(id=id_, type=type_, from_id=a, to_id=b, **extra)


def defender(id_: str, **extra: str) -> dict[str, str]:
    return row(id=id_, pseudonym=f"Seudónimo {id_}", identities="woman", **extra)


# r > m > {v, w}; far is another region. K was killed in v; A shares her organization, B her
# community, C a community of the same municipality, D a case, E nothing. J is detained.
STATUS = {
    "organizations": [
        {"id": o, "name": o, "kind": "ngo", "tlp": "GREEN", "owner": o}
        for o in ("org-a", "org-k", "org-x")
    ],
    "territories": [
        row(id="ter-r", name="Región", kind="region"),
        row(id="ter-m", name="Municipio", kind="municipality", parent_id="ter-r"),
        row(id="ter-v", name="Comunidad V", kind="community", parent_id="ter-m"),
        row(id="ter-w", name="Comunidad W", kind="community", parent_id="ter-m"),
        row(id="ter-far", name="Lejos", kind="region"),
    ],
    "defenders": [
        defender("def-k", status="killed"),
        defender("def-a"),
        defender("def-b"),
        defender("def-c"),
        defender("def-d"),
        defender("def-e"),
        defender("def-j", status="detained"),
    ],
    "cases": [row(id="case-1", reference="Caso 1", holder_id="org-a")],
    "incidents": [
        row(id="inc-kill", kind="killing", date="2025-12-01", severity="5", verified="true"),
        *(
            row(id=f"inc-{d}", kind="threat", date="2025-11-01", severity="3", verified="true")
            for d in "kabcdej"
        ),
    ],
    "relationships": [
        tie("tg-kill", "TARGETED", "inc-kill", "def-k"),
        *(tie(f"tg-{d}", "TARGETED", f"inc-{d}", f"def-{d}") for d in "kabcdej"),
        tie("m-k", "MEMBER_OF", "def-k", "org-k", valid_to="2025-12-01"),  # closed at her death
        tie("m-a", "MEMBER_OF", "def-a", "org-k"),
        tie("op-k", "OPERATES_IN", "def-k", "ter-v"),
        tie("op-a", "OPERATES_IN", "def-a", "ter-far"),
        tie("op-b", "OPERATES_IN", "def-b", "ter-v"),
        tie("op-c", "OPERATES_IN", "def-c", "ter-w"),
        tie("op-d", "OPERATES_IN", "def-d", "ter-far"),
        tie("op-e", "OPERATES_IN", "def-e", "ter-far"),
        tie("op-j", "OPERATES_IN", "def-j", "ter-far"),
        tie("cc-k", "CONCERNS", "case-1", "def-k"),
        tie("cc-d", "CONCERNS", "case-1", "def-d"),
    ],
}


def by_code(risk: Risk) -> dict[str, Any]:
    return {f.code: f for f in risk.factors}


def recomputed(risk: Risk) -> float:
    """The score from the returned terms alone: threats x vulnerabilities / capacities."""
    part = {
        t: sum(f.contribution for f in risk.factors if f.term == t)
        for t in ("THREATS", "VULNERABILITIES", "CAPACITIES")
    }
    return part["THREATS"] * part["VULNERABILITIES"] / part["CAPACITIES"]


@pytest.fixture
async def status(store: Store) -> Store:
    await load_rows(store, **STATUS)
    return store


async def test_a_killed_defender_leaves_every_score(status: Store) -> None:
    ranked = dict(await at_risk_defenders(status, VIEWER, AS_OF, first=100))
    assert "def-k" not in ranked
    assert "def-k" not in dict(await at_risk_defenders(status, VIEWER, AS_OF, "ter-v"))
    gaps = await protection_gaps(status, VIEWER, AS_OF, W.risk)
    assert "def-k" not in {d for d, _ in gaps.defenders}
    village = await power_map(status, VIEWER, "ter-v", AS_OF)
    assert village.defenders == ("def-b",)  # she worked there; she is not "working here"
    remembered = await victims(status, VIEWER, AS_OF, "ter-r")
    assert [(v.id, v.status, v.date) for v in remembered] == [("def-k", "killed", "2025-12-01")]
    assert remembered[0].incidents == ("inc-kill",)  # dated by the killing, not the threat
    assert await victims(status, VIEWER, AS_OF, "ter-far") == []
    assert await victims(status, VIEWER, AS_OF, "ter-r", until=dt.date(2025, 6, 1)) == []


async def test_her_killing_threatens_those_around_her(status: Store) -> None:
    ranked = dict(await at_risk_defenders(status, VIEWER, AS_OF, first=100))
    a, b, c, d, e = (by_code(ranked[f"def-{x}"]) for x in "abcde")
    assert "def-k" in a["victim_organization"].evidence and "victim_territory" not in a
    assert "def-k" in d["victim_case"].evidence and "victim_organization" not in d
    assert b["victim_territory"].value > c["victim_territory"].value > 0  # decayed by distance
    assert b["victim_territory"].value == pytest.approx(2 * c["victim_territory"].value * 2)
    assert not {"victim_organization", "victim_territory", "victim_case"} & e.keys()
    for x in "abcd":  # the same threats as E, plus the killing: a higher score
        assert ranked[f"def-{x}"].score > ranked["def-e"].score
    assert "detained" in by_code(ranked["def-j"]) and ranked["def-j"].score > ranked["def-e"].score
    for risk in ranked.values():
        assert risk.score == pytest.approx(recomputed(risk))
    # Decayed by time: a year later the same killing weighs half as much.
    later = dict(await at_risk_defenders(status, VIEWER, AS_OF.replace(year=2027), first=100))
    ratio = by_code(later["def-b"])["victim_territory"].value / b["victim_territory"].value
    assert ratio == pytest.approx(0.5, rel=0.01)


async def test_collective_risk_of_an_organization_and_a_community(status: Store) -> None:
    org = await collective_risk(status, VIEWER, AS_OF, organization="org-k")
    terms = {t.code: t for t in org.terms}
    assert [d for d, _ in org.members] == ["def-a"]  # K is gone: a victim, not a member at risk
    assert terms["collective_victims"].value > 0 and "def-k" in terms["collective_victims"].evidence
    assert org.score == pytest.approx(sum(t.contribution for t in org.terms))
    place = await collective_risk(status, VIEWER, AS_OF, territory="ter-m")
    assert {d for d, _ in place.members} == {"def-b", "def-c"}
    assert place.score == pytest.approx(sum(t.contribution for t in place.terms))


def actor(id_: str, sector: str, kind: str, public: str = "false") -> dict[str, str]:
    return row(id=id_, name=f"Actor {id_}", sector=sector, kind=kind, public=public)


POWER = {
    "organizations": STATUS["organizations"],
    "territories": [row(id="ter-r", name="Región", kind="region")],
    "actors": [
        actor("police", "state", "police", "true"),
        actor("colluding-police", "state", "police", "true"),
        actor("mechanism", "state", "protection_mechanism"),
        actor("paras", "non_state", "paramilitary"),
        actor("company", "non_state", "corporation", "true"),
        actor("secret-funder", "non_state", "corporation", "true"),
        actor("open-funder", "non_state", "corporation", "true"),
        actor("cartel", "non_state", "organized_crime"),
        actor("hitmen", "non_state", "other"),
        actor("public-armed", "non_state", "self_defense_group", "true"),
        actor("radio", "non_state", "media", "true"),
        actor("preacher", "non_state", "other"),
        actor("mole", "non_state", "organized_crime"),
        actor("nobody", "non_state", "other"),
        actor("pact", "non_state", "political_group", "true"),
    ],
    "incidents": [
        row(id="inc-kill", kind="killing", date="2025-10-01", severity="5", verified="true"),
        row(id="inc-pub", kind="killing", date="2025-10-01", severity="5", verified="true"),
        row(id="inc-mech", kind="attack", date="2025-10-01", severity="4", verified="true"),
        row(id="inc-stig", kind="stigmatization", date="2025-10-01", severity="2"),
    ],
    "relationships": [
        *(
            tie(f"op-{a['id']}", "OPERATES_IN", a["id"], "ter-r")
            for a in [
                actor("police", "", ""),
                actor("colluding-police", "", ""),
                actor("mechanism", "", ""),
                actor("secret-funder", "", ""),
                actor("open-funder", "", ""),
                actor("cartel", "", ""),
                actor("hitmen", "", ""),
                actor("public-armed", "", ""),
                actor("radio", "", ""),
                actor("preacher", "", ""),
                actor("mole", "", ""),
                actor("nobody", "", ""),
                actor("pact", "", ""),
            ]
        ),
        tie("ctl-paras", "CONTROLS", "paras", "ter-r", degree="0.8", confidence="0.9"),
        tie("ctl-company", "CONTROLS", "company", "ter-r", degree="0.5", confidence="0.9"),
        tie("col", "COLLUDES_WITH", "cartel", "colluding-police", confidence="0.9"),
        tie("fund-secret", "FUNDS", "secret-funder", "cartel", confidence="0.8", covert="true"),
        tie("fund-open", "FUNDS", "open-funder", "cartel", confidence="0.8"),
        tie("inf", "INFILTRATES", "mole", "police", confidence="0.7"),
        tie("pact-tie", "COLLUDES_WITH", "pact", "police", confidence="0.9", covert="false"),
        tie("by-kill", "PERPETRATED_BY", "inc-kill", "hitmen", attribution="confirmed"),
        tie("by-pub", "PERPETRATED_BY", "inc-pub", "public-armed", attribution="confirmed"),
        tie("by-mech", "PERPETRATED_BY", "inc-mech", "mechanism", attribution="confirmed"),
        tie("by-stig", "PERPETRATED_BY", "inc-stig", "preacher", attribution="confirmed"),
    ],
}


@pytest.fixture
async def classes(store: Store) -> dict[str, Any]:
    await load_rows(store, **POWER)
    found = await power_map(store, VIEWER, "ter-r", AS_OF)
    return {a.actor: a for a in found.actors}


@pytest.mark.parametrize(
    ("actor_id", "powers", "codes"),
    [
        ("police", ("VISIBLE",), {"formal_authority"}),
        ("colluding-police", ("HIDDEN", "VISIBLE"), {"covert_tie", "formal_authority"}),
        ("paras", ("HIDDEN",), {"covert_control"}),  # not public: covert control, not visible
        ("company", ("VISIBLE",), {"open_control"}),  # public: open control
        ("secret-funder", ("HIDDEN",), {"covert_tie"}),  # public actor, tie marked covert
        ("open-funder", (), set()),  # public actor, unmarked FUNDS: nothing hidden
        ("cartel", ("HIDDEN",), {"covert_tie"}),
        ("hitmen", ("HIDDEN",), {"unaccountable_violence"}),
        ("public-armed", (), set()),  # openly accountable for its violence: not hidden
        ("mechanism", ("VISIBLE",), {"formal_authority"}),  # a state body: formal authority
        ("mole", ("HIDDEN",), {"infiltration"}),
        ("radio", ("INVISIBLE",), {"narrative_actor"}),
        ("preacher", ("INVISIBLE",), {"stigmatization"}),
        ("nobody", (), set()),
        ("pact", ("INVISIBLE",), {"narrative_actor"}),  # an acknowledged collusion (covert: false)
    ],
)
async def test_each_power_class_needs_its_evidence(
    classes: dict[str, Any], actor_id: str, powers: tuple[str, ...], codes: set[str]
) -> None:
    found = classes[actor_id]
    assert found.powers == powers
    assert {r.code for r in found.reasons} == codes
    assert found.power == (powers[0] if powers else "UNCLASSIFIED")  # never VISIBLE by default
    assert all(r.evidence for r in found.reasons)


async def test_shadow_power_ranks_only_what_is_hidden(store: Store) -> None:
    await load_rows(store, **POWER)
    ranked = {s.actor: s for s in await shadow_power(store, VIEWER, AS_OF, "ter-r", first=100)}
    # The state protection mechanism's attributed attack is formal, accountable power.
    assert "mechanism" not in ranked and "police" not in ranked
    assert "open-funder" not in ranked and "public-armed" not in ranked and "nobody" not in ranked
    assert ranked["secret-funder"].covert_reach > 0  # through the cartel to the police
    assert ranked["hitmen"].attributed_incidents > 0
    assert ranked["paras"].territorial_control == pytest.approx(0.8 * 0.9)
    assert "company" not in ranked  # its control is open
    for s in ranked.values():
        assert s.score > 0
        assert s.score == pytest.approx(sum(t.contribution for t in s.terms))
