"""The sentence of every term of a score, by its stable code (docs/methodology.md, Answers in
names and sentences). Templates are English messages marked for translation; `sentence()`
renders one in the current request's language from the term's own numbers."""

from __future__ import annotations

from service.analytics.risk import Factor
from service.i18n import N_, gettext
from service.i18n.model_labels import readable

TEMPLATES: dict[str, str] = {
    # Threats
    "incidents": N_(
        "{count} incident(s) against the defender, by severity, age and verification: "
        "{value} x {weight} = {contribution}."
    ),
    "organization_incidents": N_(
        "{count} incident(s) against her organizations: {value} x {weight} = {contribution}."
    ),
    "victim_organization": N_(
        "{count} member(s) of her organizations killed or disappeared, by time since: "
        "{value} x {weight} = {contribution}."
    ),
    "victim_territory": N_(
        "{count} defender(s) killed or disappeared where she works or near, by time and "
        "distance: {value} x {weight} = {contribution}."
    ),
    "victim_case": N_(
        "{count} co-plaintiff(s) in her cases killed or disappeared, by time since: "
        "{value} x {weight} = {contribution}."
    ),
    "hostile_control": N_(
        "{count} armed or criminal actor(s) control where she works ({colluding} colluding "
        "with the state): {value} x {weight} = {contribution}."
    ),
    "hostile_dispute": N_(
        "{count} armed or criminal actor(s) dispute where she works ({colluding} colluding "
        "with the state): {value} x {weight} = {contribution}."
    ),
    # Vulnerabilities
    "vulnerability_base": N_("Base of vulnerabilities: {value} x {weight} = {contribution}."),
    "isolation": N_("Isolation, 1 / (1 + {ties} ties): {value} x {weight} = {contribution}."),
    "no_organization": N_("She belongs to no organization: {value} x {weight} = {contribution}."),
    "double_risk": N_("Double risk ({which}): {value} x {weight} = {contribution}."),
    "land_defender": N_(
        "Defender of land, territory or environment ({which}): {value} x {weight} = {contribution}."
    ),
    "extractive_territory": N_(
        "Extractive interests where she works: {value} x {weight} = {contribution}."
    ),
    "detained": N_("She is detained: {value} x {weight} = {contribution}."),
    "displaced": N_("She is displaced: {value} x {weight} = {contribution}."),
    # Capacities
    "capacity_base": N_("Base of capacities: {value} x {weight} = {contribution}."),
    "support": N_("{count} organization(s) support her: {value} x {weight} = {contribution}."),
    "solidarity": N_("{count} solidarity tie(s): {value} x {weight} = {contribution}."),
    "membership": N_("Member of {count} organization(s): {value} x {weight} = {contribution}."),
    "protection_measures": N_(
        "{count} protection measure(s): {value} x {weight} = {contribution}."
    ),
    # Shadow power
    "covert_reach": N_(
        "Reaches {count} state institution(s) through covert ties: {value} x {weight} = "
        "{contribution}."
    ),
    "brokerage": N_(
        "Covertly ties state and non-state actors who have no tie of their own: "
        "{value} x {weight} = {contribution}."
    ),
    "territorial_control": N_("Covert control of territory: {value} x {weight} = {contribution}."),
    "attributed_incidents": N_(
        "{count} incident(s) attributed to it, an actor not openly accountable: "
        "{value} x {weight} = {contribution}."
    ),
    # Collective risk
    "collective_incidents": N_(
        "{count} incident(s) against the collective: {value} x {weight} = {contribution}."
    ),
    "member_risk_mean": N_(
        "Mean risk of its {count} living member(s): {value} x {weight} = {contribution}."
    ),
    "member_risk_max": N_(
        "Risk of its most threatened member: {value} x {weight} = {contribution}."
    ),
    "collective_victims": N_(
        "{count} member(s) killed or disappeared, by time since: {value} x {weight} = "
        "{contribution}."
    ),
    # Power classes
    "formal_authority": N_("Formal authority: a state body ({kind})."),
    "open_control": N_("Openly controls a territory (confidence {value})."),
    "covert_tie": N_("Holds a covert tie ({type}; confidence {value})."),
    "infiltration": N_("Infiltrates another actor (confidence {value})."),
    "covert_control": N_("Covert tie ({type}) to a territory (confidence {value})."),
    "unaccountable_violence": N_(
        "{count} violent incident(s) attributed to it, an actor not openly accountable."
    ),
    "narrative_actor": N_("Shapes what is said of defenders: a {kind}."),
    "stigmatization": N_("{count} stigmatization incident(s) attributed to it."),
}
FORMULAS: dict[str, str] = {
    "risk": N_(
        "Risk {score} = threats {threats} x vulnerabilities {vulnerabilities} / capacities "
        "{capacities}: each the sum of its terms' contributions."
    ),
    "sum": N_("Score {score} = the sum of its terms' contributions."),
}


def number(value: float) -> str:
    """Two decimals, as a person reads them (the fields keep full precision)."""
    return f"{value:.2f}"


def sentence(term: Factor) -> str:
    """The term's sentence in the current language, from its code, parameters and numbers."""
    params = {
        **{k: number(v) if isinstance(v, float) else v for k, v in term.params},
        "value": number(term.value),
        "weight": number(term.weight),
        "contribution": number(term.contribution),
    }
    return gettext(TEMPLATES[term.code], **readable(params))


def formula(kind: str, **numbers: float) -> str:
    return gettext(FORMULAS[kind], **{k: number(v) for k, v in numbers.items()})
