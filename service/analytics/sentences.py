"""The sentence of every term of a score, by its stable code (docs/methodology.md, Answers in
names and sentences). Templates are English messages marked for translation; `sentence()`
renders one in the current request's language from the term's own numbers. A template with a
count is marked with both forms and kept by its singular: `gettext` agrees it with `{count}`."""

from __future__ import annotations

from service.analytics.risk import Factor
from service.i18n import N_, Nn_, gettext
from service.i18n.model_labels import readable

TEMPLATES: dict[str, str] = {
    # Threats
    "incidents": Nn_(
        "{count} incident against the defender, by severity, age and verification: "
        "{value} x {weight} = {contribution}.",
        "{count} incidents against the defender, by severity, age and verification: "
        "{value} x {weight} = {contribution}.",
    )[0],
    "organization_incidents": Nn_(
        "{count} incident against her organizations: {value} x {weight} = {contribution}.",
        "{count} incidents against her organizations: {value} x {weight} = {contribution}.",
    )[0],
    "victim_organization": Nn_(
        "{count} member of her organizations killed or disappeared, by time since: "
        "{value} x {weight} = {contribution}.",
        "{count} members of her organizations killed or disappeared, by time since: "
        "{value} x {weight} = {contribution}.",
    )[0],
    "victim_territory": Nn_(
        "{count} defender killed or disappeared where she works or near, by time and "
        "distance: {value} x {weight} = {contribution}.",
        "{count} defenders killed or disappeared where she works or near, by time and "
        "distance: {value} x {weight} = {contribution}.",
    )[0],
    "victim_case": Nn_(
        "{count} co-plaintiff in her cases killed or disappeared, by time since: "
        "{value} x {weight} = {contribution}.",
        "{count} co-plaintiffs in her cases killed or disappeared, by time since: "
        "{value} x {weight} = {contribution}.",
    )[0],
    "hostile_control": Nn_(
        "{count} armed or criminal actor controls where she works ({colluding} colluding "
        "with the state): {value} x {weight} = {contribution}.",
        "{count} armed or criminal actors control where she works ({colluding} colluding "
        "with the state): {value} x {weight} = {contribution}.",
    )[0],
    "hostile_dispute": Nn_(
        "{count} armed or criminal actor disputes where she works ({colluding} colluding "
        "with the state): {value} x {weight} = {contribution}.",
        "{count} armed or criminal actors dispute where she works ({colluding} colluding "
        "with the state): {value} x {weight} = {contribution}.",
    )[0],
    # Vulnerabilities
    "vulnerability_base": N_("Base of vulnerabilities: {value} x {weight} = {contribution}."),
    "isolation": N_(
        "Isolation, 1 / (1 + ties), ties = {ties}: {value} x {weight} = {contribution}."
    ),
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
    "support": Nn_(
        "{count} organization supports her: {value} x {weight} = {contribution}.",
        "{count} organizations support her: {value} x {weight} = {contribution}.",
    )[0],
    "solidarity": Nn_(
        "{count} solidarity tie: {value} x {weight} = {contribution}.",
        "{count} solidarity ties: {value} x {weight} = {contribution}.",
    )[0],
    "membership": Nn_(
        "Member of {count} organization: {value} x {weight} = {contribution}.",
        "Member of {count} organizations: {value} x {weight} = {contribution}.",
    )[0],
    "protection_measures": Nn_(
        "{count} protection measure: {value} x {weight} = {contribution}.",
        "{count} protection measures: {value} x {weight} = {contribution}.",
    )[0],
    # Shadow power
    "covert_reach": Nn_(
        "Reaches {count} state institution through covert ties: {value} x {weight} = "
        "{contribution}.",
        "Reaches {count} state institutions through covert ties: {value} x {weight} = "
        "{contribution}.",
    )[0],
    "brokerage": N_(
        "Covertly ties state and non-state actors who have no tie of their own: "
        "{value} x {weight} = {contribution}."
    ),
    "territorial_control": N_("Covert control of territory: {value} x {weight} = {contribution}."),
    "attributed_incidents": Nn_(
        "{count} incident attributed to it, an actor not openly accountable: "
        "{value} x {weight} = {contribution}.",
        "{count} incidents attributed to it, an actor not openly accountable: "
        "{value} x {weight} = {contribution}.",
    )[0],
    # Collective risk
    "collective_incidents": Nn_(
        "{count} incident against the collective: {value} x {weight} = {contribution}.",
        "{count} incidents against the collective: {value} x {weight} = {contribution}.",
    )[0],
    "member_risk_mean": Nn_(
        "Mean risk of its {count} living member: {value} x {weight} = {contribution}.",
        "Mean risk of its {count} living members: {value} x {weight} = {contribution}.",
    )[0],
    "member_risk_max": N_(
        "Risk of its most threatened member: {value} x {weight} = {contribution}."
    ),
    "collective_victims": Nn_(
        "{count} member killed or disappeared, by time since: {value} x {weight} = {contribution}.",
        "{count} members killed or disappeared, by time since: {value} x {weight} = "
        "{contribution}.",
    )[0],
    # Power classes
    "formal_authority": N_("Formal authority: a state body ({kind})."),
    "open_control": N_("Openly controls a territory (confidence {value})."),
    "covert_tie": N_("Holds a covert tie ({type}; confidence {value})."),
    "infiltration": N_("Infiltrates another actor (confidence {value})."),
    "covert_control": N_("Covert tie ({type}) to a territory (confidence {value})."),
    "unaccountable_violence": Nn_(
        "{count} violent incident attributed to it, an actor not openly accountable.",
        "{count} violent incidents attributed to it, an actor not openly accountable.",
    )[0],
    "narrative_actor": N_("Shapes what is said of defenders: a {kind}."),
    "stigmatization": Nn_(
        "{count} stigmatization incident attributed to it.",
        "{count} stigmatization incidents attributed to it.",
    )[0],
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
