"""Defenders, the incidents against them (in date order) and the case files that document them."""

import math
import random
from collections import defaultdict
from datetime import date

from service.generate.actors import ARMED
from service.generate.geo import GeoIndex
from service.generate.marks import FIRST_DAY, LAST_DAY, Marker, Weighted, weighted
from service.generate.model import (
    Actor,
    ActorTie,
    Case,
    Defender,
    Incident,
    Organization,
    Territory,
)
from service.generate.names import person_name, pseudonym

INCIDENT_KINDS = {
    "threat": 0.24,
    "attack": 0.1,
    "criminalization": 0.1,
    "stigmatization": 0.12,
    "surveillance": 0.07,
    "forced_displacement": 0.06,
    "killing": 0.03,
    "disappearance": 0.02,
    "sexual_violence": 0.03,
    "raid": 0.05,
    "arbitrary_detention": 0.07,
    "digital_attack": 0.08,
}
SEVERITY = {
    "killing": 5,
    "disappearance": 5,
    "sexual_violence": 5,
    "attack": 4,
    "forced_displacement": 4,
    "arbitrary_detention": 3,
    "raid": 3,
    "criminalization": 3,
    "threat": 3,
    "surveillance": 2,
    "stigmatization": 2,
    "digital_attack": 2,
}
# Which kinds of actor are behind which kind of aggression (others weigh 0.2).
_AFFINITY: dict[str, dict[str, float]] = {
    "killing": {"organized_crime": 3, "paramilitary": 3, "private_security": 2, "police": 1},
    "attack": {"organized_crime": 2, "paramilitary": 2, "private_security": 2, "police": 1.5},
    "threat": {"organized_crime": 3, "paramilitary": 2, "private_security": 2, "corporation": 1.5},
    "criminalization": {"prosecutor": 4, "judiciary": 3, "corporation": 2, "police": 1.5},
    "stigmatization": {"media": 4, "political_group": 3, "executive": 2, "religious_group": 2},
    "surveillance": {"military": 3, "police": 3, "private_security": 3},
    "forced_displacement": {"organized_crime": 3, "paramilitary": 3, "corporation": 2},
    "disappearance": {"organized_crime": 3, "police": 2, "military": 2, "paramilitary": 2},
    "sexual_violence": {"military": 2, "organized_crime": 2, "paramilitary": 2, "police": 2},
    "raid": {"police": 4, "military": 3, "prosecutor": 1},
    "arbitrary_detention": {"police": 4, "military": 2, "prosecutor": 1},
    "digital_attack": {"other": 2, "political_group": 2, "military": 1.5, "organized_crime": 1},
}
_STATUS_AFTER = {
    "killing": "killed",
    "disappearance": "disappeared",
    "arbitrary_detention": "detained",
    "forced_displacement": "displaced",
}
_COLLECTIVE = (
    "threat",
    "stigmatization",
    "raid",
    "forced_displacement",
    "surveillance",
    "digital_attack",
    "criminalization",
    "attack",
)
DESCRIPTIONS = {
    "killing": "Asesinato de {who} en {R}",
    "attack": "Ataque armado contra {who} en {R}",
    "threat": "Amenazas de muerte contra {who} en {R}",
    "criminalization": "Denuncia penal infundada contra {who} en {R}",
    "stigmatization": "Campaña de estigmatización contra {who} en {R}",
    "surveillance": "Seguimiento y vigilancia a {who} en {R}",
    "forced_displacement": "Desplazamiento forzado de {who} en {R}",
    "disappearance": "Desaparición de {who} en {R}",
    "sexual_violence": "Violencia sexual contra {who} en {R}",
    "raid": "Allanamiento del domicilio de {who} en {R}",
    "arbitrary_detention": "Detención arbitraria de {who} en {R}",
    "digital_attack": "Ataque a cuentas y dispositivos de {who} en {R}",
}
KIND_WORDS = {
    "killing": "asesinato",
    "attack": "ataque",
    "threat": "amenazas",
    "criminalization": "criminalización",
    "stigmatization": "estigmatización",
    "surveillance": "vigilancia",
    "forced_displacement": "desplazamiento forzado",
    "disappearance": "desaparición",
    "sexual_violence": "violencia sexual",
    "raid": "allanamiento",
    "arbitrary_detention": "detención arbitraria",
    "digital_attack": "ataque digital",
}
_FOCUS_WORDS = {
    "land_territory": "la tierra",
    "environment": "el ambiente",
    "indigenous_rights": "los derechos indígenas",
    "women_rights": "los derechos de las mujeres",
    "journalism": "la libertad de prensa",
    "justice_memory": "la memoria",
    "labour": "el trabajo",
    "lgbtiq_rights": "la diversidad",
    "migrants": "las personas migrantes",
}
_MEASURES = (
    "botón de pánico",
    "escolta",
    "rondines policiales",
    "cámaras de vigilancia",
    "reubicación temporal",
    "medidas cautelares",
    "línea de emergencia",
    "chaleco antibalas",
)
_HOLDER_WEIGHT = {"ngo": 4.0, "grassroots": 1.0, "network": 2.0, "indigenous_authority": 1.0}
_CREDIBILITY = {"1": 0.15, "2": 0.3, "3": 0.25, "4": 0.15, "5": 0.1, "6": 0.05}


def who(defender: Defender) -> str:
    """How a description refers to a defender without naming them."""
    word = {"female": "defensora", "male": "defensor"}.get(defender.gender, "persona defensora")
    return f"{word} de {_FOCUS_WORDS[defender.focus[0]]}"


def severity(rng: random.Random, kind: str) -> int:
    return min(5, max(1, SEVERITY[kind] + rng.choice((-1, 0, 0, 0, 1))))


class Events:
    """Builds defenders, incidents and cases on top of territories, organizations and actors."""

    def __init__(
        self,
        rng: random.Random,
        marker: Marker,
        territories: list[Territory],
        geo: GeoIndex,
        orgs: list[Organization],
        actors: list[Actor],
    ) -> None:
        self.rng = rng
        self.marker = marker
        self.t = territories
        self.geo = geo
        self.orgs = orgs
        self.actors = actors
        self.defenders: list[Defender] = []
        self.incidents: list[Incident] = []
        self.cases: list[Case] = []
        self.present_at: dict[int, list[int]] = defaultdict(list)
        self.accomplices: dict[int, list[int]] = defaultdict(list)
        self.credibility = weighted(_CREDIBILITY)
        self.serial = 0  # pseudonym numbers
        self.case_counts: dict[int, int] = defaultdict(int)  # case references per holder
        self._holders: dict[str, Weighted[int]] = {}
        self.orgs_by_region: dict[int, list[int]] = defaultdict(list)
        for j, org in enumerate(orgs):
            self.orgs_by_region[org.region].append(j)

    def index_actors(self, presence: list[ActorTie], ties: list[ActorTie]) -> None:
        """Who is present where, and who stands behind whom (collusion, command)."""
        for tie in presence:
            if tie.type != "HAS_INTEREST_IN":
                self.present_at[tie.target].append(tie.source)
        for tie in ties:
            if tie.type in ("COLLUDES_WITH", "INFILTRATES"):
                self.accomplices[tie.source].append(tie.target)
                self.accomplices[tie.target].append(tie.source)
            elif tie.type == "COMMANDS":
                self.accomplices[tie.target].append(tie.source)

    # --- defenders -------------------------------------------------------------------------

    def build_defenders(self, n: int) -> None:
        homes = [
            i
            for i, t in enumerate(self.t)
            if t.kind in ("community", "municipality", "indigenous_territory")
        ]
        factor = {"community": 1.3, "municipality": 1.0, "indigenous_territory": 0.8}
        by_home = Weighted(homes, [self.t[h].heat * factor[self.t[h].kind] for h in homes])
        local: dict[int, list[int]] = defaultdict(list)
        national: dict[str, list[int]] = defaultdict(list)
        for j, org in enumerate(self.orgs):
            if org.kind in ("community", "grassroots", "indigenous_authority"):
                local[org.region].append(j)
            elif org.kind in ("ngo", "network"):
                national[org.country].append(j)
        for _ in range(n):
            d = self._defender(by_home.pick(self.rng))
            if not d.isolated:
                d.memberships = self._memberships(local[d.region], national[d.country])
            self.defenders.append(d)

    def _defender(self, home: int) -> Defender:
        rng = self.rng
        place = self.t[home]
        gender = weighted({"female": 0.52, "male": 0.44, "non_binary": 0.04}).pick(rng)
        indigenous = rng.random() < (0.65 if place.kind == "indigenous_territory" else 0.3)
        identities = [{"female": "woman", "male": "man"}.get(gender, "non_binary")]
        for identity, p in (
            ("indigenous", 1.0 if indigenous else 0.0),
            ("afro_descendant", 0.15 if place.country in ("CO", "HN") else 0.04),
            ("campesino", 0.15 if indigenous else 0.35),
            ("lgbtiq", 1.0 if gender == "non_binary" else 0.05),
            ("youth", 0.15),
            ("migrant", 0.03),
            ("person_with_disability", 0.03),
        ):
            if rng.random() < p:
                identities.append(identity)
        if "youth" not in identities and rng.random() < 0.12:
            identities.append("elder")
        focus = self._focus(identities)
        name = person_name(rng, gender, indigenous)
        return Defender(
            self.next_pseudonym(gender),
            name,
            gender,
            tuple(identities),
            focus,
            place.country,
            home,
            place.region,
            rng.random() < 0.15,
        )

    def next_pseudonym(self, gender: str) -> str:
        self.serial += 1
        return pseudonym(gender, self.serial)

    def _focus(self, identities: list[str]) -> tuple[str, ...]:
        rng = self.rng
        chances = {
            "land_territory": 0.55,
            "environment": 0.3,
            "indigenous_rights": 0.7 if "indigenous" in identities else 0.05,
            "women_rights": 0.35 if "woman" in identities else 0.03,
            "journalism": 0.08,
            "justice_memory": 0.12,
            "labour": 0.06,
            "lgbtiq_rights": 0.6 if "lgbtiq" in identities else 0.01,
            "migrants": 0.7 if "migrant" in identities else 0.03,
        }
        focus = [f for f, p in chances.items() if rng.random() < p]
        return tuple(focus or ["land_territory"])

    def _memberships(self, local: list[int], national: list[int]) -> list[tuple[int, str]]:
        pool = local + national
        if not pool:
            return []
        weights = [3.0] * len(local) + [1.0] * len(national)
        by_org = Weighted(pool, weights)
        chosen = sorted({by_org.pick(self.rng) for _ in range(self.rng.choice((1, 1, 1, 2, 2, 3)))})
        roles = weighted({"member": 0.7, "leader": 0.15, "spokesperson": 0.15})
        return [(j, roles.pick(self.rng)) for j in chosen]

    # --- incidents -------------------------------------------------------------------------

    def build_incidents(self, n: int) -> None:
        rng = self.rng
        span = LAST_DAY - FIRST_DAY
        # More recent years are better documented: dates lean towards the end.
        days = sorted(FIRST_DAY + int(span * rng.random() ** 0.8) for _ in range(n))
        living: dict[int, list[int]] = defaultdict(list)
        for i, d in enumerate(self.defenders):
            living[d.home].append(i)
        homes = sorted(living)
        by_place = Weighted(homes, [self.t[h].heat * math.sqrt(len(living[h])) for h in homes])
        by_kind = weighted(INCIDENT_KINDS)
        for day in days:
            target = self._pick_target(by_place, living)
            if target >= 0:
                self._incident(day, by_kind.pick(rng), target, living)
        for d in self.defenders:
            if len(d.incidents) >= 2 and rng.random() < 0.5:
                d.protection_measures = tuple(sorted(rng.sample(_MEASURES, rng.randint(1, 3))))

    def _target_weight(self, i: int) -> float:
        # The isolated are attacked most; land defenders, women and indigenous people more.
        d = self.defenders[i]
        w = 3.0 if d.isolated else 1.0
        if "land_territory" in d.focus or "environment" in d.focus:
            w *= 1.5
        if "woman" in d.identities or "indigenous" in d.identities:
            w *= 1.3
        return w * (1 + 0.5 * len(d.incidents))

    def _pick_target(self, by_place: Weighted[int], living: dict[int, list[int]]) -> int:
        for _ in range(8):
            # Incidents come in date order, so whoever is gone is gone before this day.
            alive = [i for i in living[by_place.pick(self.rng)] if not self.defenders[i].gone]
            if alive:
                return Weighted(alive, [self._target_weight(i) for i in alive]).pick(self.rng)
        return -1

    def _incident(self, day: int, kind: str, target: int, living: dict[int, list[int]]) -> None:
        rng = self.rng
        d = self.defenders[target]
        targets = [target]
        if kind in _COLLECTIVE and rng.random() < 0.35:
            others = [i for i in living[d.home] if i != target and not self.defenders[i].gone]
            # Collective threats (a pamphlet naming a whole community's leaders).
            targets += rng.sample(others, min(len(others), rng.randint(1, 6)))
        orgs = []
        if rng.random() < (0.4 if kind in ("raid", "stigmatization", "digital_attack") else 0.15):
            pool = [j for j, _ in d.memberships] or self.orgs_by_region[d.region]
            if pool:
                orgs.append(rng.choice(pool))
        roll = rng.random()
        territory = d.home if roll < 0.8 else self.t[d.home].parent if roll < 0.95 else d.region
        incident = Incident(
            kind,
            day,
            severity(rng, kind),
            rng.choice((True, True, False, None)),
            DESCRIPTIONS[kind].format(who=who(d), R=self.t[d.region].name),
            "" if rng.random() < 0.4 else self.credibility.pick(rng),
            territory,
            sorted(targets),
            orgs,
            self._perpetrators(kind, territory, d.home),
        )
        incident.marks = self.marker.marks("incident", self.marker.researcher(d.country))
        self.incidents.append(incident)
        for i in targets:
            self._suffer(i, len(self.incidents) - 1, kind, day)

    def _suffer(self, i: int, incident: int, kind: str, day: int) -> None:
        d = self.defenders[i]
        d.incidents.append(incident)
        status = _STATUS_AFTER.get(kind)
        # Some of the disappeared are found again; not every detention or displacement lasts.
        if status == "killed" or (status == "disappeared" and self.rng.random() < 0.7):
            d.status, d.gone = status, day
        elif status in ("detained", "displaced") and self.rng.random() < 0.35:
            d.status = status

    def _perpetrators(self, kind: str, territory: int, home: int) -> list[tuple[int, str]]:
        rng = self.rng
        places = set(self.geo.chain(self.t, territory)) | set(self.geo.chain(self.t, home))
        candidates = sorted({a for p in places for a in self.present_at.get(p, [])})
        if not candidates or rng.random() < 0.05:
            return []
        affinity = _AFFINITY[kind]
        weights = [
            affinity.get(self.actors[a].kind, 0.2) * self.actors[a].weight ** 0.7
            for a in candidates
        ]
        first = Weighted(candidates, weights).pick(rng)
        attribution = weighted({"confirmed": 0.3, "alleged": 0.45, "suspected": 0.25})
        out = [(first, attribution.pick(rng))]
        # Hidden actors behind the visible one: accomplices and commanders.
        behind = sorted(set(self.accomplices.get(first, [])))
        for _ in range(rng.choice((0, 1, 1, 2, 2, 3, 3, 4))):
            if behind:
                other = rng.choice(behind)
                if all(other != a for a, _ in out):
                    out.append((other, "alleged" if rng.random() < 0.35 else "suspected"))
        if rng.random() < (0.7 if self.actors[first].kind in ARMED else 0.45):
            second = Weighted(candidates, weights).pick(rng)
            if all(second != a for a, _ in out):
                out.append((second, "suspected"))
        return out

    # --- cases -----------------------------------------------------------------------------

    def holders(self, country: str) -> Weighted[int]:
        """Organizations that keep case files about defenders in a country."""
        if country not in self._holders:
            self._holders[country] = self._find_holders(country)
        return self._holders[country]

    def _find_holders(self, country: str) -> Weighted[int]:
        pool, weights = [], []
        for j, org in enumerate(self.orgs):
            w = _HOLDER_WEIGHT.get(org.kind, 0.0) if org.country == country else 0.0
            w = 2.0 if org.kind == "ingo" else w  # INGOs keep files in every country
            if w:
                pool.append(j)
                weights.append(w)
        return Weighted(pool, weights)

    def build_cases(self, n: int) -> None:
        rng = self.rng
        # Weighted sampling without replacement (Efraimidis-Spirakis): most attacked first.
        keys = sorted(
            (
                (rng.random() ** (1.0 / (1 + len(d.incidents))), i)
                for i, d in enumerate(self.defenders)
            ),
            reverse=True,
        )
        nearby: dict[int, list[int]] = defaultdict(list)
        for k, inc in enumerate(self.incidents):
            nearby[inc.territory].append(k)
            for j in inc.organizations:
                nearby[-1 - j].append(k)  # negative keys: incidents against an organization
        for _, i in keys[:n]:
            d = self.defenders[i]
            # Besides the defender's own incidents, a file cites the pattern around them.
            around = nearby[d.home] + [k for j, _ in d.memberships for k in nearby[-1 - j]]
            context = rng.sample(around, min(len(around), rng.randint(3, 14)))
            incidents = sorted(set(d.incidents) | set(context))
            self.cases.append(self.case_for(i, self.holders(d.country).pick(rng), incidents))
        self._assign_owners()

    def case_for(self, defender: int, holder: int, incidents: list[int]) -> Case:
        """One holder's case file on a defender and (some of) the incidents against them."""
        rng = self.rng
        d = self.defenders[defender]
        concerned = set()
        for k in incidents:
            for other in self.incidents[k].defenders:
                if other != defender and rng.random() < 0.5:
                    concerned.add(other)
        orgs = [d.memberships[0][0]] if d.memberships and rng.random() < 0.3 else []
        first = min((self.incidents[k].date for k in incidents), default=0)
        opened = min(LAST_DAY, (first or rng.randint(FIRST_DAY, LAST_DAY)) + rng.randint(0, 90))
        recent = opened > LAST_DAY - 365
        status = weighted(
            {"open": 0.7, "monitoring": 0.3}
            if recent
            else {"open": 0.3, "monitoring": 0.3, "closed": 0.25, "archived": 0.15}
        )
        kinds = sorted({KIND_WORDS[self.incidents[k].kind] for k in incidents})
        what = ", ".join(kinds) if kinds else "situación de riesgo"
        summary = f"Expediente sobre {what} contra {who(d)} en {self.t[d.region].name}"
        year = date.fromordinal(opened).year
        self.case_counts[holder] += 1
        reference = f"{self.orgs[holder].acronym}-{year}-{self.case_counts[holder]:03d}"
        # The defender the file is about comes first.
        case = Case(
            reference,
            holder,
            opened,
            status.pick(rng),
            summary,
            [defender, *sorted(concerned)],
            orgs,
            sorted(incidents),
        )
        case.marks = self.marker.marks("case", holder)
        return case

    def _assign_owners(self) -> None:
        # A record belongs to whoever documented it first: the case holder, else the
        # defender's organization, else a researching organization of the country.
        claimed: set[int] = set()
        for case in self.cases:
            for i in case.defenders:
                if self.defenders[i].marks.owner < 0:
                    self._own(self.defenders[i], case.holder)
            for k in case.incidents:
                if k not in claimed:
                    claimed.add(k)
                    self.incidents[k].marks = self.marker.marks("incident", case.holder)
        for d in self.defenders:
            if d.marks.owner < 0:
                owner = d.memberships[0][0] if d.memberships else self.marker.researcher(d.country)
                self._own(d, owner)

    def _own(self, d: Defender, owner: int) -> None:
        d.marks = self.marker.marks("person", owner)
