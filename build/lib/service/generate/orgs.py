"""Organizations (invented names) and sources of evidence."""

import random
from datetime import date

from service.generate.geo import COUNTRY, GeoIndex, PlaceNames
from service.generate.marks import FIRST_DAY, LAST_DAY, Marker, Weighted, weighted
from service.generate.model import Organization, Source, Territory

FOCUS_WEIGHTS = {
    "land_territory": 5.0,
    "environment": 3.0,
    "indigenous_rights": 3.0,
    "women_rights": 2.5,
    "journalism": 1.2,
    "justice_memory": 1.5,
    "labour": 0.8,
    "lgbtiq_rights": 0.6,
    "migrants": 0.8,
}
_SHARES = {
    "community": 0.17,
    "grassroots": 0.2,
    "ingo": 0.1,
    "donor": 0.07,
    "network": 0.07,
    "indigenous_authority": 0.1,
}
_MINIMUM = {
    "community": 1,
    "grassroots": 1,
    "ingo": 3,
    "donor": 2,
    "network": 2,
    "indigenous_authority": 1,
    "ngo": 2,
}
_COUNTRY_WEIGHT = {"MX": 0.3, "CO": 0.3, "GT": 0.15, "HN": 0.15, "SV": 0.1}
# Motifs for invented organization names (weaving, water, seeds, mountains).
_MOTIFS = (
    "Raíz del Agua",
    "Semilla Despierta",
    "Hilo de Maíz",
    "Río Abierto",
    "Ceiba Florecida",
    "Montaña que Escucha",
    "Palabra Sembrada",
    "Fuego Nuevo",
    "Luna Clara",
    "Nido de Colibríes",
    "Manos de Barro",
    "Flor de Cacao",
    "Camino Largo",
    "Huella Viva",
    "Tierra y Memoria",
    "Voz del Monte",
    "Trenza de Agua",
    "Telar Común",
    "Brasa Viva",
    "Cántaro Lleno",
    "Sendero de Copal",
    "Corazón de Milpa",
    "Lluvia Tejida",
    "Piedra de Sal",
    "Ala de Garza",
)
_TEMPLATES = {
    "community": (
        "Comité Comunitario de {w}",
        "Asamblea Comunitaria de {w}",
        "Comité de Agua de {w}",
        "Junta Comunal de {w}",
    ),
    "grassroots": (
        "Colectivo {m}",
        "Colectiva de Mujeres {m}",
        "Movimiento {m} de {w}",
        "Frente de Defensa de {w}",
        "Coordinadora {m}",
    ),
    "ngo": (
        "Centro {m} para la Defensa de los Derechos Humanos",
        "Fundación {m}",
        "Asociación {m} de {w}",
        "Centro de Estudios {m}",
        "Defensoría Popular {m}",
    ),
    "network": (
        "Red de Defensoras {m}",
        "Red de Comunidades {m}",
        "Articulación {m}",
        "Red Regional {m} de {w}",
    ),
    "indigenous_authority": (
        "Consejo de Autoridades Ancestrales de {w}",
        "Gobierno Comunal de {w}",
        "Cabildo de {w}",
        "Consejo Mayor de {w}",
    ),
}
_INGO_FIRST = (
    "Northwind",
    "Lantern",
    "Cedar Bridge",
    "Tidewater",
    "Common Thread",
    "Harbor Light",
    "Silver Birch",
    "Stone Circle",
    "Wayfarer",
    "Kestrel",
    "Meridian",
)
_INGO_SECOND = ("Accompaniment", "Solidarity", "Safeguard", "Shelter", "Allies", "Presence")
_INGO_THIRD = ("International", "Initiative", "Alliance", "Collective", "Network")
_DONOR_FIRST = (
    "Quillwater",
    "Bramblegate",
    "Ashgrove",
    "Fernhollow",
    "Larkspur",
    "Oakmere",
    "Willowmere",
    "Marrowind",
    "Hollin",
    "Sedgefield",
)
_DONOR_SECOND = ("Foundation", "Fund", "Trust")
_SMALL_WORDS = {"de", "del", "la", "las", "los", "y", "para", "que", "el"}


def _kind_counts(n: int) -> dict[str, int]:
    counts = {k: max(_MINIMUM[k], round(share * n)) for k, share in _SHARES.items()}
    counts["ngo"] = max(_MINIMUM["ngo"], n - sum(counts.values()))
    return counts


def _acronym(name: str) -> str:
    letters = [w[0] for w in name.replace("-", " ").split() if w.lower() not in _SMALL_WORDS]
    return "".join(letters).upper()[:5]


class _OrgNames:
    def __init__(self, rng: random.Random, names: PlaceNames) -> None:
        self.rng = rng
        self.names = names
        self.used: set[str] = set()
        self.motifs: list[str] = []

    def motif(self) -> str:
        # Each motif once before any is used again, so that few names sound alike.
        if not self.motifs:
            self.motifs = list(_MOTIFS)
            self.rng.shuffle(self.motifs)
        return self.motifs.pop()

    def draw(self, kind: str) -> str:
        for _ in range(20):
            name = self._candidate(kind)
            if name not in self.used:
                self.used.add(name)
                return name
        name = f"{self._candidate(kind)} {self.names.word()}"
        self.used.add(name)
        return name

    def _candidate(self, kind: str) -> str:
        rng = self.rng
        if kind == "ingo":
            return " ".join(rng.choice(p) for p in (_INGO_FIRST, _INGO_SECOND, _INGO_THIRD))
        if kind == "donor":
            if rng.random() < 0.4:
                return f"Fondo {self.motif()}"
            return f"{rng.choice(_DONOR_FIRST)} {rng.choice(_DONOR_SECOND)}"
        template = rng.choice(_TEMPLATES[kind])
        word = self.names.word() if "{w}" in template else ""
        return template.format(m=self.motif() if "{m}" in template else "", w=word)


def _focus(rng: random.Random, by_focus: Weighted[str]) -> tuple[str, ...]:
    return tuple(sorted({by_focus.pick(rng) for _ in range(rng.randint(1, 3))}))


def build_organizations(
    rng: random.Random,
    names: PlaceNames,
    territories: list[Territory],
    geo: GeoIndex,
    n: int,
) -> list[Organization]:
    """Organizations of every kind, grassroots ones where conflicts are, with partners."""
    by_focus = weighted(FOCUS_WEIGHTS)
    by_country = weighted(_COUNTRY_WEIGHT)
    by_heat = Weighted(geo.regions, [_region_heat(territories, geo, r) for r in geo.regions])
    org_names = _OrgNames(rng, names)
    orgs = []
    for kind, count in _kind_counts(n).items():
        for _ in range(count):
            if kind in ("community", "grassroots", "indigenous_authority"):
                region = by_heat.pick(rng)
            else:
                country = by_country.pick(rng)
                region = rng.choice(geo.regions_by_country.get(country) or geo.regions)
            name = org_names.draw(kind)
            disclose = rng.random() < (0.7 if kind in ("ngo", "ingo", "network") else 0.4)
            orgs.append(
                Organization(
                    name,
                    kind,
                    territories[region].country,
                    region,
                    _focus(rng, by_focus),
                    _acronym(name),
                    disclose,
                )
            )
    _link_partners(rng, orgs)
    return orgs


def mark_organizations(orgs: list[Organization], marker: Marker) -> None:
    """An organization records itself; small local ones are more often restricted."""
    for i, org in enumerate(orgs):
        local = org.kind in ("community", "grassroots", "indigenous_authority")
        org.marks = marker.marks("open" if local else "public", i, 0.3)


def _region_heat(territories: list[Territory], geo: GeoIndex, region: int) -> float:
    return territories[region].heat + sum(territories[t].heat for t in geo.places_by_region[region])


def _link_partners(rng: random.Random, orgs: list[Organization]) -> None:
    # Sharing circles: mostly organizations of the same country, plus international ones.
    by_country: dict[str, list[int]] = {}
    for i, org in enumerate(orgs):
        by_country.setdefault(org.country, []).append(i)
    international = [i for i, o in enumerate(orgs) if o.kind in ("ingo", "donor")]
    for i, org in enumerate(orgs):
        pool = sorted(set(by_country[org.country] + international) - {i})
        org.partners = tuple(sorted(rng.sample(pool, min(len(pool), rng.randint(3, 6)))))


_SOURCE_KINDS = {
    "report": 0.2,
    "testimony": 0.25,
    "court_record": 0.1,
    "media_article": 0.25,
    "official_data": 0.08,
    "ngo_alert": 0.12,
}
_SOURCE_PROFILE = {
    "report": "public",
    "testimony": "person",
    "court_record": "open",
    "media_article": "public",
    "official_data": "public",
    "ngo_alert": "open",
}
_RELIABILITY = {"A": 0.1, "B": 0.3, "C": 0.3, "D": 0.15, "E": 0.1, "F": 0.05}
_CREDIBILITY = {"1": 0.15, "2": 0.3, "3": 0.25, "4": 0.15, "5": 0.1, "6": 0.05}
_HEADLINES = (
    "Denuncian amenazas contra defensores comunitarios",
    "Comunidades exigen consulta",
    "Desalojo violento en zona rural",
    "Piden protección para lideresas",
    "Señalan presencia de grupo armado",
    "Criminalizan a opositores de proyecto",
)


def build_sources(
    rng: random.Random, territories: list[Territory], geo: GeoIndex, marker: Marker, n: int
) -> list[Source]:
    """Sources of evidence with Admiralty reliability (A-F) and credibility (1-6)."""
    by_kind = weighted(_SOURCE_KINDS)
    by_reliability = weighted(_RELIABILITY)
    by_credibility = weighted(_CREDIBILITY)
    out = []
    for i in range(n):
        kind = by_kind.pick(rng)
        region = territories[rng.choice(geo.regions)]
        day = rng.randint(FIRST_DAY - 200, LAST_DAY)
        title = _source_title(rng, kind, region, day, i)
        url = "" if kind == "testimony" else f"https://example.org/tejido/{kind}/{i + 1}"
        # The first six cover every grade, so that even a small dataset shows them all.
        reliability = "ABCDEF"[i] if i < 6 else by_reliability.pick(rng)
        credibility = str(i + 1) if i < 6 else by_credibility.pick(rng)
        source = Source(kind, title, url, day, reliability, credibility)
        source.marks = marker.marks(_SOURCE_PROFILE[kind], marker.researcher(region.country), 0)
        out.append(source)
    return out


def _source_title(rng: random.Random, kind: str, region: Territory, day: int, i: int) -> str:
    year = date.fromordinal(day).year
    country = COUNTRY[region.country].name
    return {
        "report": f"Informe {year}: situación de personas defensoras en {region.name}",
        "testimony": f"Testimonio T-{i + 1:04d} recogido en {region.name}",
        "court_record": f"Expediente penal {rng.randint(100, 9999)}/{year}, {region.name}",
        "media_article": f"{rng.choice(_HEADLINES)} en {region.name}",
        "official_data": f"Registro oficial de agresiones {year}, {country}",
        "ngo_alert": f"Alerta urgente {rng.randint(1, 99)}/{year}: {region.name}",
    }[kind]
