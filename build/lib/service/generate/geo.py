"""Territories: the five real countries and real regions, invented municipalities and below."""

import random
from dataclasses import dataclass

from service.generate.marks import Weighted
from service.generate.model import Territory
from service.generate.names import place_word


@dataclass(frozen=True, slots=True)
class Country:
    iso: str
    name: str
    lat: tuple[float, float]  # bounding box
    lon: tuple[float, float]
    community_words: tuple[str, ...]
    indigenous_word: str


COUNTRIES = (
    Country(
        "MX",
        "México",
        (14.6, 32.6),
        (-118.3, -86.8),
        ("Ejido", "Ranchería", "Colonia"),
        "Tierras Comunales de",
    ),
    Country(
        "GT",
        "Guatemala",
        (13.8, 17.8),
        (-92.2, -88.3),
        ("Aldea", "Caserío"),
        "Tierras Comunales de",
    ),
    Country("HN", "Honduras", (13.0, 16.5), (-89.3, -83.2), ("Aldea", "Caserío"), "Territorio"),
    Country(
        "SV",
        "El Salvador",
        (13.2, 14.4),
        (-90.1, -87.7),
        ("Cantón", "Caserío"),
        "Territorio Ancestral",
    ),
    Country(
        "CO",
        "Colombia",
        (-4.2, 12.4),
        (-78.9, -66.9),
        ("Vereda", "Corregimiento"),
        "Resguardo Indígena",
    ),
)
COUNTRY = {c.iso: c for c in COUNTRIES}

# Real regions (states, departments): approximate centroid, the resources at stake, and whether
# many indigenous or Afro-descendant communities live there.
REGIONS: dict[str, tuple[tuple[str, float, float, str, bool], ...]] = {
    "MX": (
        ("Guerrero", 17.6, -99.9, "mining drug_route timber water", True),
        ("Oaxaca", 17.0, -96.5, "mining hydro land water", True),
        ("Chiapas", 16.5, -92.6, "hydro timber migration_route land", True),
        ("Michoacán", 19.2, -101.9, "agribusiness timber drug_route mining", True),
        ("Chihuahua", 28.6, -106.1, "mining timber drug_route", True),
        ("Veracruz", 19.4, -96.6, "oil_gas hydro agribusiness", False),
        ("Sonora", 29.3, -110.3, "mining water migration_route", True),
        ("Jalisco", 20.6, -103.6, "agribusiness water drug_route", False),
        ("Tamaulipas", 24.3, -98.8, "oil_gas migration_route drug_route", False),
        ("Puebla", 19.0, -97.9, "hydro mining water", True),
        ("Sinaloa", 25.0, -107.5, "drug_route agribusiness mining", False),
        ("Campeche", 18.8, -90.4, "oil_gas agribusiness timber", True),
    ),
    "GT": (
        ("Petén", 16.9, -90.0, "timber agribusiness drug_route oil_gas", True),
        ("Alta Verapaz", 15.6, -90.2, "hydro agribusiness land", True),
        ("Huehuetenango", 15.6, -91.6, "hydro mining migration_route", True),
        ("Izabal", 15.5, -88.9, "mining agribusiness drug_route", True),
        ("Quiché", 15.5, -91.0, "hydro land timber", True),
        ("San Marcos", 15.0, -91.9, "mining migration_route water", True),
        ("Jalapa", 14.6, -89.9, "mining water", True),
        ("Escuintla", 14.2, -90.8, "agribusiness water", False),
    ),
    "HN": (
        ("Atlántida", 15.7, -87.0, "agribusiness land drug_route", True),
        ("Colón", 15.6, -85.9, "agribusiness land mining", True),
        ("Olancho", 14.8, -85.8, "timber drug_route land", False),
        ("Intibucá", 14.3, -88.2, "hydro water land", True),
        ("Lempira", 14.4, -88.6, "hydro mining", True),
        ("Yoro", 15.1, -87.3, "timber mining", True),
        ("Santa Bárbara", 15.0, -88.3, "hydro mining water", True),
        ("Gracias a Dios", 15.3, -84.3, "drug_route timber land", True),
    ),
    "SV": (
        ("Cabañas", 13.87, -88.75, "mining water", False),
        ("Chalatenango", 14.1, -89.0, "water hydro", False),
        ("Morazán", 13.8, -88.1, "water mining", True),
        ("La Libertad", 13.5, -89.3, "land water", False),
        ("Usulután", 13.4, -88.4, "agribusiness water", False),
        ("Sonsonate", 13.7, -89.7, "agribusiness land", True),
        ("Ahuachapán", 13.9, -89.85, "water hydro", True),
    ),
    "CO": (
        ("Cauca", 2.5, -76.8, "drug_route mining land water", True),
        ("Antioquia", 7.0, -75.5, "mining hydro drug_route", False),
        ("Chocó", 5.7, -76.6, "mining timber drug_route", True),
        ("Nariño", 1.3, -77.4, "drug_route mining land", True),
        ("Putumayo", 0.4, -76.0, "oil_gas drug_route", True),
        ("Norte de Santander", 7.9, -72.9, "drug_route oil_gas migration_route", False),
        ("Arauca", 6.5, -71.0, "oil_gas drug_route", False),
        ("Córdoba", 8.3, -75.7, "land agribusiness mining", True),
        ("Bolívar", 8.6, -74.3, "mining agribusiness land", True),
        ("Caquetá", 1.0, -74.5, "timber land drug_route", False),
        ("Valle del Cauca", 3.8, -76.5, "agribusiness water drug_route", True),
        ("Meta", 3.5, -73.0, "oil_gas agribusiness land", False),
    ),
}
# How much a resource draws conflict, for the heat of a territory.
RESOURCE_HEAT = {
    "drug_route": 2.0,
    "mining": 1.6,
    "hydro": 1.2,
    "oil_gas": 1.2,
    "agribusiness": 1.1,
    "timber": 1.0,
    "land": 0.9,
    "migration_route": 0.9,
    "water": 0.7,
}
_SAINTS = ("Juan", "Pedro", "Miguel", "Andrés", "Pablo", "Lucas", "Mateo", "Felipe", "Marcos")
_SAINTS_F = ("María", "Ana", "Lucía", "Rosa", "Catarina", "Cruz", "Isabel")
_FEATURES = ("del Río", "de la Sierra", "del Monte", "de las Flores", "del Valle", "de la Loma")
_PROTECTED = (
    "Reserva de la Biosfera",
    "Parque Nacional",
    "Reserva Forestal",
    "Refugio de Vida Silvestre",
    "Área de Protección de Flora",
)


class PlaceNames:
    """Invented place words, each used once in the whole dataset."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def word(self) -> str:
        while True:
            word = place_word(self.rng)
            if word not in self.used:
                self.used.add(word)
                return word

    def municipality(self) -> str:
        roll = self.rng.random()
        word = self.word()
        if roll < 0.25:
            return f"San {self.rng.choice(_SAINTS)} {word}"
        if roll < 0.35:
            return f"Santa {self.rng.choice(_SAINTS_F)} {word}"
        if roll < 0.45:
            return f"{word} {self.rng.choice(_FEATURES)}"
        return f"Villa {word}" if roll < 0.5 else word


def _region_order(n: int) -> list[tuple[str, tuple[str, float, float, str, bool]]]:
    """The first n regions, round-robin over the countries so each gets its share."""
    rounds = max(len(v) for v in REGIONS.values())
    order = [
        (iso, REGIONS[iso][r])
        for r in range(rounds)
        for iso in ("MX", "CO", "GT", "HN", "SV")
        if r < len(REGIONS[iso])
    ]
    return order[:n]


def _clip(country: str, lat: float, lon: float) -> tuple[float, float]:
    box = COUNTRY[country]
    return (
        round(min(max(lat, box.lat[0]), box.lat[1]), 4),
        round(min(max(lon, box.lon[0]), box.lon[1]), 4),
    )


def _plan(total: int, regions: int) -> tuple[int, int, int, int, int]:
    """Counts of regions, municipalities, communities, indigenous territories, protected areas.
    Real regions run out at 47; beyond that, the land is divided more finely."""
    regions = min(max(regions, 5), sum(len(v) for v in REGIONS.values()))
    rest = max(total - 5 - regions, 0)
    munis = max(regions, round(0.4 * rest))
    communities = max(1, round(0.35 * rest))
    indigenous = max(1, round(0.12 * rest))
    protected = max(1, rest - munis - communities - indigenous)
    return regions, munis, communities, indigenous, protected


class _Builder:
    def __init__(self, rng: random.Random, names: PlaceNames) -> None:
        self.rng = rng
        self.names = names
        self.out: list[Territory] = []

    def add(self, t: Territory) -> int:
        t.heat = 0.5 + sum(RESOURCE_HEAT[r] for r in t.resources)
        self.out.append(t)
        return len(self.out) - 1

    def below(self, parent: int, name: str, kind: str, resources: set[str], spread: float) -> int:
        """A territory inside `parent`, placed around it."""
        p = self.out[parent]
        lat = p.lat + self.rng.gauss(0, spread)
        lon = p.lon + self.rng.gauss(0, spread)
        lat, lon = _clip(p.country, lat, lon)
        return self.add(
            Territory(name, kind, parent, p.country, p.region, lat, lon, sorted(resources))
        )

    def subset(self, pool: list[str], k_max: int) -> list[str]:
        k = self.rng.randint(1, min(k_max, len(pool))) if pool else 0
        return sorted(self.rng.sample(pool, k))


def build_territories(
    rng: random.Random, names: PlaceNames, total: int, n_regions: int
) -> list[Territory]:
    """About `total` territories: countries, `n_regions` regions, municipalities, communities,
    indigenous territories and protected areas; `parent` makes the PART_OF tree."""
    n_regions, n_munis, n_comms, n_indig, n_prot = _plan(total, n_regions)
    b = _Builder(rng, names)
    country_idx = {}
    for c in COUNTRIES:
        lat, lon = (sum(c.lat) / 2, sum(c.lon) / 2)
        country_idx[c.iso] = b.add(Territory(c.name, "country", -1, c.iso, -1, lat, lon, [], c.iso))
    regions, region_weight = [], []
    for iso_code, (name, lat, lon, resources, indigenous) in _region_order(n_regions):
        t = Territory(name, "region", country_idx[iso_code], iso_code, -1, lat, lon, [])
        t.resources = sorted(resources.split())
        idx = b.add(t)
        t.region = idx
        regions.append(idx)
        region_weight.append(2.0 if indigenous else 1.0)
    munis = _add_municipalities(b, regions, n_munis)
    _add_communities(b, munis, n_comms)
    by_indigenous = Weighted(regions, region_weight)
    for _ in range(n_indig):
        region = by_indigenous.pick(rng)
        word = COUNTRY[b.out[region].country].indigenous_word
        res = set(rng.sample(["land", "water", "timber"], 2) + b.subset(b.out[region].resources, 1))
        b.below(region, f"{word} {names.word()}", "indigenous_territory", res, 0.6)
    for _ in range(n_prot):
        region = rng.choice(regions)
        res = {"water", "timber"} | set(b.subset(b.out[region].resources, 1))
        b.below(region, f"{rng.choice(_PROTECTED)} {names.word()}", "protected_area", res, 0.6)
    return b.out


def _add_municipalities(b: _Builder, regions: list[int], n: int) -> list[int]:
    # One per region first, so that no region is empty; the rest fall where the land is larger.
    weights = [1.3 if b.out[r].country in ("MX", "CO") else 1.0 for r in regions]
    by_size = Weighted(regions, weights)
    munis = []
    for i in range(n):
        region = regions[i] if i < len(regions) else by_size.pick(b.rng)
        res = set(b.subset(b.out[region].resources, 3))
        res |= {x for x, p in (("land", 0.25), ("water", 0.15)) if b.rng.random() < p}
        munis.append(b.below(region, b.names.municipality(), "municipality", res, 0.5))
    return munis


def _add_communities(b: _Builder, munis: list[int], n: int) -> None:
    by_muni = Weighted(munis, [b.out[m].heat for m in munis])
    for _ in range(n):
        muni = by_muni.pick(b.rng)
        word = b.rng.choice(COUNTRY[b.out[muni].country].community_words)
        pool = b.out[muni].resources
        res = set(b.rng.sample(pool, min(len(pool), b.rng.randint(0, 2))))
        res |= {"land"} if b.rng.random() < 0.4 else set()
        b.below(muni, f"{word} {b.names.word()}", "community", res, 0.08)


@dataclass(slots=True)
class GeoIndex:
    """Lookups over the territory tree, built once."""

    regions: list[int]
    regions_by_country: dict[str, list[int]]
    munis_by_region: dict[int, list[int]]
    places_by_region: dict[int, list[int]]  # every territory below a region

    @classmethod
    def of(cls, territories: list[Territory]) -> "GeoIndex":
        index = cls([], {}, {}, {})
        for i, t in enumerate(territories):
            if t.kind == "region":
                index.regions.append(i)
                index.regions_by_country.setdefault(t.country, []).append(i)
                index.munis_by_region[i] = []
                index.places_by_region[i] = []
            elif t.kind != "country":
                index.places_by_region[t.region].append(i)
                if t.kind == "municipality":
                    index.munis_by_region[t.region].append(i)
        return index

    def chain(self, territories: list[Territory], t: int) -> list[int]:
        """The territory and those above it, up to its region."""
        out = [t]
        while territories[t].kind not in ("region", "country") and territories[t].parent >= 0:
            t = territories[t].parent
            out.append(t)
        return out
