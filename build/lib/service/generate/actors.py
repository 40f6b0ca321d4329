"""Actors with invented names, each anchored in a region or municipality, and where they are
present: OPERATES_IN, CONTROLS, DISPUTES, HAS_INTEREST_IN."""

import random

from service.generate.geo import GeoIndex, PlaceNames
from service.generate.marks import Weighted, fmt
from service.generate.model import Actor, ActorTie, Territory
from service.text import strip_accents

STATE_KINDS = {
    "police": 0.14,
    "military": 0.07,
    "local_government": 0.1,
    "judiciary": 0.06,
    "prosecutor": 0.04,
    "executive": 0.03,
    "legislature": 0.02,
    "protection_mechanism": 0.02,
}
NON_STATE_KINDS = {
    "organized_crime": 0.14,
    "corporation": 0.12,
    "paramilitary": 0.04,
    "self_defense_group": 0.03,
    "private_security": 0.07,
    "religious_group": 0.02,
    "political_group": 0.03,
    "media": 0.04,
    "other": 0.03,
}
ARMED = ("organized_crime", "paramilitary")
_REGION_KINDS = {
    "executive": 1.0,
    "protection_mechanism": 1.0,
    "military": 1.0,
    "legislature": 0.5,
    "police": 0.35,
    "prosecutor": 0.5,
    "judiciary": 0.2,
}
_ORDINALS = ("Primero", "Segundo", "Tercero", "Cuarto", "Quinto", "Sexto", "Séptimo", "Octavo")
_NAMES = {
    "executive": (
        "{GOV} {R}",
        "Secretaría de Seguridad de {R}",
        "Secretaría de Desarrollo Rural de {R}",
        "Secretaría de Medio Ambiente de {R}",
        "Secretaría de Gobierno de {R}",
    ),
    "local_government": ("{LG} de {M}",),
    "police": ("{POL} {M}",),
    "military": (
        "Batallón de Infantería {w}",
        "Brigada de Selva {w}",
        "Destacamento Militar de {M}",
        "Fuerza de Tarea {w}",
        "Base de Operaciones {w}",
    ),
    "judiciary": (
        "Juzgado {o} Penal de {M}",
        "Juzgado {o} de Instrucción de {M}",
        "Tribunal {o} de Sentencia de {R}",
        "Juzgado Agrario de {M}",
    ),
    "prosecutor": (
        "Fiscalía Regional de {R}",
        "Fiscalía Especializada de {M}",
        "Fiscalía Seccional de {M}",
        "Agencia del Ministerio Público de {M}",
    ),
    "legislature": ("{LEG} {R}", "Concejo Municipal de {M}"),
    "protection_mechanism": (
        "Oficina de Protección a Personas Defensoras de {R}",
        "Unidad de Protección de {R}",
        "Mesa de Protección de {M}",
    ),
    "organized_crime": (
        "Cártel del {w}",
        "Cártel de {w}",
        "Los {d}",
        "La Empresa de {w}",
        "Clan {w}",
        "Banda de {w}",
    ),
    "paramilitary": ("Bloque {w}", "Frente {w}", "Autodefensas de {w}", "Grupo Armado {w}"),
    "self_defense_group": (
        "Autodefensa Comunitaria de {M}",
        "Grupo de Autodefensa de {M}",
        "Ronda Campesina de {M}",
    ),
    "private_security": (
        "Seguridad Privada {w}",
        "Vigilancia {w} Ltda.",
        "Custodia {w} S.A.",
        "Protección Integral {w}",
    ),
    "religious_group": (
        "Iglesia Evangélica {w}",
        "Congregación {w}",
        "Ministerio {w}",
        "Parroquia de {M}",
    ),
    "political_group": (
        "Movimiento {w}",
        "Frente Cívico de {M}",
        "Partido Renovación {w}",
        "Comité Político de {M}",
    ),
    "media": ("Radio {w}", "Diario de {M}", "Noticias {w}", "Canal {w} TV", "El Vocero de {M}"),
    "other": (
        "Asociación Ganadera de {M}",
        "Sindicato de Transportistas de {M}",
        "Cámara de Comercio de {M}",
        "Cooperativa {w}",
    ),
}
CORPORATE = {
    "mining": ("Minera {w} S.A.", "Compañía Minera {w}", "Minerales {w} S.A."),
    "hydro": ("Hidroeléctrica {w} S.A.", "Energía Renovable {w}"),
    "agribusiness": ("Palmas de {w} S.A.", "Agroindustrial {w}", "Bananera {w}", "Azucarera {w}"),
    "timber": ("Maderas {w}", "Forestal {w} S.A."),
    "oil_gas": ("Petrolera {w} S.A.S.", "Hidrocarburos {w}"),
    "water": ("Embotelladora {w}", "Aguas de {w} S.A."),
    "land": ("Inmobiliaria {w}", "Desarrollos Turísticos {w}"),
}
_REGIONAL_POLICE = (
    "{SPOL} {R}",
    "{SPOL} {R}",
    "Grupo de Operaciones Especiales de {R}",
    "Unidad Antidisturbios {w}",
)
# Country-specific words: local government, regional government, local police, regional
# assembly, regional police.
_INSTITUTIONS = {
    "MX": (
        "Ayuntamiento",
        "Gobierno del Estado de",
        "Policía Municipal de",
        "Congreso del Estado de",
        "Policía Estatal de",
    ),
    "GT": (
        "Municipalidad",
        "Gobernación Departamental de",
        "Policía Nacional Civil, Subestación",
        "Consejo Departamental de Desarrollo de",
        "Policía Nacional Civil, Comisaría de",
    ),
    "HN": (
        "Alcaldía Municipal",
        "Gobernación Departamental de",
        "Policía Nacional, Posta de",
        "Consejo Departamental de",
        "Policía Nacional, Jefatura Departamental de",
    ),
    "SV": (
        "Alcaldía",
        "Gobernación Departamental de",
        "Policía Nacional Civil, Delegación",
        "Consejo Departamental de",
        "Policía Nacional Civil, Delegación Departamental de",
    ),
    "CO": (
        "Alcaldía",
        "Gobernación de",
        "Policía Nacional, Estación",
        "Asamblea Departamental de",
        "Policía Nacional, Departamento de Policía",
    ),
}
_ILLICIT = ("drug_route", "migration_route", "mining", "timber")
_PUBLIC = {
    "organized_crime": 0.0,
    "paramilitary": 0.05,
    "private_security": 0.7,
    "self_defense_group": 0.6,
}


def _kind_plan(rng: random.Random, n: int) -> list[str]:
    """Every kind at least once, the rest in proportion, in random order."""
    shares = {**STATE_KINDS, **NON_STATE_KINDS}
    kinds = [k for k, share in shares.items() for _ in range(max(1, round(share * n)))]
    rng.shuffle(kinds)
    return kinds


class _ActorNames:
    def __init__(self, rng: random.Random, names: PlaceNames) -> None:
        self.rng = rng
        self.names = names
        self.used: set[str] = set()

    def draw(self, templates: tuple[str, ...], place: dict[str, str]) -> str:
        for _ in range(12):
            name = self._fill(self.rng.choice(templates), place)
            if name not in self.used:
                self.used.add(name)
                return name
        name = f"{self._fill(self.rng.choice(templates), place)}, Sede {self.names.word()}"
        self.used.add(name)
        return name

    def _fill(self, template: str, place: dict[str, str]) -> str:
        word = self.names.word() if "{w}" in template or "{d}" in template else ""
        demonym = strip_accents(word).rstrip("aeiou") + "eños"
        return template.format(w=word, d=demonym, o=self.rng.choice(_ORDINALS), **place)


class ActorBuilder:
    """Creates actors and their presence in territories."""

    def __init__(
        self, rng: random.Random, names: PlaceNames, territories: list[Territory], geo: GeoIndex
    ) -> None:
        self.rng = rng
        self.t = territories
        self.geo = geo
        self.names = _ActorNames(rng, names)
        self.actors: list[Actor] = []
        self.presence: list[ActorTie] = []
        heat = [self._region_heat(r) for r in geo.regions]
        self.by_region = Weighted(geo.regions, heat)
        # Paramilitary groups are mostly a Colombian phenomenon.
        para = [
            h * (4.0 if territories[r].country == "CO" else 0.5)
            for r, h in zip(geo.regions, heat, strict=True)
        ]
        self.by_region_para = Weighted(geo.regions, para)
        self.munis = {
            r: Weighted(m, [territories[x].heat for x in m]) for r, m in geo.munis_by_region.items()
        }
        self.places = {
            r: Weighted(p, [territories[x].heat for x in p])
            for r, p in geo.places_by_region.items()
        }
        self.country_places = {
            c: Weighted(p, [territories[x].heat for x in p])
            for c, p in (
                (c, [x for r in rs for x in geo.places_by_region[r]])
                for c, rs in geo.regions_by_country.items()
            )
        }

    def _region_heat(self, region: int) -> float:
        return sum(self.t[x].heat for x in self.geo.places_by_region[region]) + 1.0

    def build(self, n: int) -> list[Actor]:
        for kind in _kind_plan(self.rng, n):
            self._add(kind)
        return self.actors

    def _add(self, kind: str) -> None:
        rng = self.rng
        region = (self.by_region_para if kind == "paramilitary" else self.by_region).pick(rng)
        at_region = rng.random() < _REGION_KINDS.get(kind, 0.0)
        home = region if at_region else self.munis[region].pick(rng)
        country = self.t[region].country
        sector = "state" if kind in STATE_KINDS else "non_state"
        resource = self._business(region) if kind == "corporation" else ""
        templates = CORPORATE[resource] if resource else _NAMES[kind]
        if kind == "police" and at_region:
            templates = _REGIONAL_POLICE
        words = _INSTITUTIONS[country]
        place = {
            "R": self.t[region].name,
            "M": self.t[home].name,
            "LG": words[0],
            "GOV": words[1],
            "POL": words[2],
            "LEG": words[3],
            "SPOL": words[4],
        }
        if kind in ("local_government", "self_defense_group") and at_region:
            place["M"] = self.t[self.munis[region].pick(rng)].name
        name = self.names.draw(templates, place)
        public = rng.random() < _PUBLIC.get(kind, 0.95)
        self.actors.append(
            Actor(name, sector, kind, country, region, home, self._aliases(kind), public, resource)
        )
        self._place(len(self.actors) - 1)

    def _business(self, region: int) -> str:
        options = [r for r in self.t[region].resources if r in CORPORATE]
        return self.rng.choice(options) if options else "agribusiness"

    def _aliases(self, kind: str) -> tuple[str, ...]:
        if kind in ARMED:
            return tuple(
                f"{p} {self.names.names.word()}"
                for p in self.rng.sample(
                    ("Los de", "La Gente de", "El Grupo"), self.rng.randint(1, 2)
                )
            )
        return ()

    def _tie(self, type_: str, actor: int, territory: int, prop: str = "") -> None:
        self.presence.append(ActorTie(type_, actor, territory, prop))

    def _place(self, i: int) -> None:
        """Presence of one actor: where it operates, controls, disputes or has interests."""
        a = self.actors[i]
        rng = self.rng
        seen = {a.home}
        self._tie("OPERATES_IN", i, a.home)
        pool = self.places[a.region]
        if a.home != a.region and rng.random() < 0.5:
            self._tie("OPERATES_IN", i, a.region)
            seen.add(a.region)
        if a.kind in ARMED:
            n_control = rng.choice((0, 1, 1, 2, 2, 3)) if a.kind == "organized_crime" else 1
            self._claim(i, "CONTROLS", pool, n_control, seen)
            self._claim(i, "DISPUTES", pool, rng.randint(1, 2), seen)
            if rng.random() < 0.2:  # routes cross regions
                other = rng.choice(self.geo.regions_by_country[a.country])
                self._claim(i, "DISPUTES", self.places[other], 1, seen)
        elif a.kind == "corporation":
            self._interests(i, pool, rng.randint(1, 4), seen)
        elif a.kind == "self_defense_group" and rng.random() < 0.3:
            self._claim(i, "DISPUTES", pool, 1, seen)
        elif a.kind == "local_government" and rng.random() < 0.25:
            self._tie("CONTROLS", i, a.home, fmt(rng.uniform(0.3, 0.7)))
        extra = {"military": 4, "police": 3, "executive": 3, "organized_crime": 3}.get(a.kind, 2)
        for _ in range(rng.randint(2, extra + 3)):
            # Mostly near home; sometimes elsewhere in the country (routes, brigades, companies).
            wide = rng.random() < 0.25
            self._claim(i, "OPERATES_IN", self.country_places[a.country] if wide else pool, 1, seen)

    def _claim(self, i: int, type_: str, pool: Weighted[int], n: int, seen: set[int]) -> None:
        for _ in range(n):
            for _try in range(4):
                t = pool.pick(self.rng) if pool else self.actors[i].region
                if t not in seen:
                    seen.add(t)
                    prop = fmt(self.rng.uniform(0.35, 1.0)) if type_ == "CONTROLS" else ""
                    self._tie(type_, i, t, prop)
                    if type_ == "CONTROLS":
                        self._illicit_interest(i, t)
                    break

    def _interests(self, i: int, pool: Weighted[int], n: int, seen: set[int]) -> None:
        # A concession: the territory gets the resource if it did not list it yet.
        a = self.actors[i]
        chosen = {a.home}
        for _ in range(n - 1):
            chosen.add(pool.pick(self.rng) if pool else a.region)
        for t in sorted(chosen):
            if a.resource not in self.t[t].resources:
                self.t[t].resources = sorted([*self.t[t].resources, a.resource])
            self._tie("HAS_INTEREST_IN", i, t, a.resource)
            if t not in seen:
                seen.add(t)
                self._tie("OPERATES_IN", i, t)

    def _illicit_interest(self, i: int, t: int) -> None:
        # Armed groups live off routes, illegal mining and logging where they control.
        illicit = [r for r in self.t[t].resources if r in _ILLICIT]
        if illicit and self.rng.random() < 0.6:
            self._tie("HAS_INTEREST_IN", i, t, self.rng.choice(illicit))
