"""Write a fictional list of lethal attacks on land and environmental defenders, in the style
of the public lists that cover some sixty countries over ten years, to try
`lethal_attacks.mapping.yaml` on (docs/mapping.md).

Every name is made up from common given names and surnames and every region from place words:
no row is about a real person or a real place below the country. What real lists do is kept:
most killings in a few countries and a long tail of others, a region spelled with and without
accents or in capitals, rows without a region, an age or a gender, common names that repeat,
and more than one date format. The same seed always writes the same table.

    python examples/lethal_attacks/make_table.py [--rows 1600] [--seed 13] [--out FILE]
"""

from __future__ import annotations

import argparse
import csv
import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from babel import Locale

HERE = Path(__file__).resolve().parent
COLUMNS = [
    "Date",
    "Name",
    "Gender",
    "Age",
    "Indigenous",
    "Country",
    "Local region",
    "Sector",
    "Perpetrator",
    "Source link",
]
# ISO codes: the first ones carry most of the killings, as in the real lists.
CODES = [
    "CO",
    "BR",
    "PH",
    "MX",
    "HN",
    "GT",
    "NI",
    "PE",
    "IN",
    "CD",
    "VE",
    "ID",
    "BO",
    "EC",
    "PY",
    "AR",
    "CL",
    "CR",
    "PA",
    "SV",
    "DO",
    "HT",
    "KH",
    "TH",
    "MM",
    "LA",
    "VN",
    "BD",
    "NP",
    "PK",
    "KE",
    "UG",
    "TZ",
    "CM",
    "ZA",
    "ZW",
    "MZ",
    "NG",
    "GH",
    "SL",
    "LR",
    "ML",
    "BF",
    "ET",
    "SD",
    "MG",
    "PG",
    "SB",
    "FJ",
    "RU",
    "KZ",
    "TR",
    "IR",
    "IQ",
    "UA",
    "RO",
    "IT",
    "ES",
]
MEN = [
    "José",
    "Juan",
    "Luis",
    "Carlos",
    "Pedro",
    "Antonio",
    "Miguel",
    "Jorge",
    "Manuel",
    "Francisco",
    "Rafael",
    "Andrés",
    "Diego",
    "Rubén",
    "Joaquín",
    "Emilio",
    "Tomás",
    "Raúl",
    "Ramón",
    "Mateo",
]
WOMEN = [
    "María",
    "Ana",
    "Rosa",
    "Marta",
    "Lucía",
    "Elena",
    "Sara",
    "Teresa",
    "Laura",
    "Isabel",
    "Carmen",
    "Julia",
    "Inés",
    "Paula",
    "Nora",
    "Olga",
    "Irene",
    "Alba",
    "Clara",
    "Sofía",
]
SURNAMES = [
    "García",
    "López",
    "Martínez",
    "Pérez",
    "González",
    "Sánchez",
    "Ramírez",
    "Flores",
    "Torres",
    "Díaz",
    "Cruz",
    "Morales",
    "Ortiz",
    "Castillo",
    "Romero",
    "Vargas",
    "Herrera",
    "Medina",
    "Aguilar",
    "Rojas",
    "Núñez",
    "Mendoza",
    "Silva",
    "Ríos",
    "Chávez",
    "Guzmán",
    "Peña",
    "Cabrera",
    "Salazar",
    "Fuentes",
    "Ibáñez",
    "Cortés",
    "Navarro",
    "Benítez",
    "Acosta",
]
PLACE_FIRST = [
    "Río",
    "Alto",
    "Bajo",
    "Valle",
    "Sierra",
    "Llano",
    "Cerro",
    "Monte",
    "Costa",
    "Lago",
    "Laguna",
    "Cañada",
]
PLACE_SECOND = [
    "Verde",
    "Azul",
    "Hondo",
    "Grande",
    "Oscuro",
    "Claro",
    "del Cóndor",
    "del León",
    "de Piedra",
    "de la Niña",
    "del Ángel",
    "Amargo",
    "Escondido",
    "Dorado",
    "de los Ríos",
    "del Águila",
    "Sereno",
]
GENDERS = (("Male", 84), ("Female", 12), ("", 3), ("Unknown", 1))
# Countries also written in Spanish where that is only an accent away (Perú, México).
ACCENTED = {"PE": "Perú", "MX": "México"}
SECTORS = (
    ("Mining", 22),
    ("Agribusiness", 20),
    ("Logging", 12),
    ("Water and dams", 9),
    ("Poaching", 5),
    ("Land reform", 14),
    ("Oil and gas", 3),
    ("", 15),
)
PERPETRATORS = (
    ("Hitmen", 18),
    ("Organised crime", 12),
    ("Police", 8),
    ("Armed forces", 6),
    ("Paramilitaries", 5),
    ("Armed groups", 7),
    ("Landowners", 7),
    ("Private security", 5),
    ("Company", 3),
    ("Illegal miners", 3),
    ("Poachers", 2),
    ("Unidentified gunmen", 6),
    ("Unknown", 18),
)


@dataclass(frozen=True)
class Row:
    cells: dict[str, str]
    iso: str  # the country's code, known here to check what a load made of the name
    day: date


def _weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _ in pairs], weights=[w for _, w in pairs])[0]


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _variant(rng: random.Random, name: str) -> str:
    """How another person typing the list may spell the same region."""
    return rng.choice([name.upper(), name.lower(), _plain(name), _plain(name).upper()])


def _regions(rng: random.Random) -> list[str]:
    count = rng.randint(2, 7)
    names: dict[str, str] = {}
    while len(names) < count:
        name = f"{rng.choice(PLACE_FIRST)} {rng.choice(PLACE_SECOND)}"
        names.setdefault(_plain(name).casefold(), name)
    return list(names.values())


def _date(rng: random.Random, day: date) -> str:
    # Most rows ISO, some day-first: lists are merged from several hands.
    return day.strftime("%d/%m/%Y") if rng.random() < 0.1 else day.isoformat()


def make_rows(count: int = 1600, seed: int = 13) -> list[Row]:
    """`count` rows (at least one per country), deterministic for a seed."""
    rng = random.Random(seed)  # noqa: S311 - a fixed, fictional table, not a secret
    english = Locale("en").territories
    regions = {iso: _regions(rng) for iso in CODES}
    weights = [1 / (rank + 1) ** 1.1 for rank in range(len(CODES))]
    countries = list(CODES) + rng.choices(CODES, weights=weights, k=max(0, count - len(CODES)))
    # Common names repeat, in one country and across countries: people, not duplicates.
    common = [(rng.choice(MEN), "Male") for _ in range(20)] + [(rng.choice(WOMEN), "Female")] * 5
    common = [(f"{given} {rng.choice(SURNAMES)}", gender) for given, gender in common]
    rows: list[Row] = []
    seen: set[tuple[str, str, str]] = set()
    for iso in countries:
        day = date(2014, 1, 1) + timedelta(days=rng.randrange(3652))
        gender = _weighted(rng, GENDERS)
        if rng.random() < 0.08:
            name, gender = rng.choice(common)
        else:
            given = rng.choice(WOMEN if gender == "Female" else MEN)
            name = f"{given} {rng.choice(SURNAMES)} {rng.choice(SURNAMES)}"
        if (day.isoformat(), iso, name) in seen:
            continue
        seen.add((day.isoformat(), iso, name))
        region = rng.choice(regions[iso]) if rng.random() > 0.12 else ""
        if region and rng.random() < 0.2:
            region = _variant(rng, region)
        country = str(english[iso])
        if rng.random() < 0.3:
            country = ACCENTED.get(iso, country.upper() if rng.random() < 0.1 else country)
        age = rng.randint(16, 84) if rng.random() > 0.3 else None
        cells = {
            "Date": _date(rng, day),
            "Name": name,
            "Gender": gender,
            "Age": "" if age is None else str(age),
            "Indigenous": rng.choice(["Yes", "No", "No", ""]),
            "Country": country,
            "Local region": region,
            "Sector": _weighted(rng, SECTORS),
            "Perpetrator": _weighted(rng, PERPETRATORS),
            "Source link": f"https://example.org/lista/{len(rows) + 1}",
        }
        rows.append(Row(cells, iso, day))
    rows.sort(key=lambda r: r.day)
    return rows


def write_table(path: Path, rows: list[Row]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(r.cells for r in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1600)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", type=Path, default=HERE / "lethal_attacks.csv")
    args = parser.parse_args()
    rows = make_rows(args.rows, args.seed)
    write_table(args.out, rows)
    print(f"{len(rows)} rows, {len({r.iso for r in rows})} countries -> {args.out}")  # noqa: T201 - a script's one line of output


if __name__ == "__main__":
    main()
