"""Fictional names: people from common Spanish name parts, places from invented syllables.

Nothing here names a real person or a real organization. Common given names and surnames are
combined at random; combinations that hold the name of a well-known person (kept as hashes,
see `_FAMOUS_PAIRS`) are drawn again, so a random draw never lands on one of them.
"""

import hashlib
import itertools
import random
from collections.abc import Collection, Sequence

from service.text import strip_accents

# fmt: off
FEMALE_GIVEN = (
    "María", "Ana", "Rosa", "Guadalupe", "Juana", "Carmen", "Elena", "Teresa", "Lucía", "Marta",
    "Isabel", "Patricia", "Verónica", "Adriana", "Gabriela", "Leticia", "Yolanda", "Silvia",
    "Rosario", "Dolores", "Mercedes", "Concepción", "Consuelo", "Socorro", "Refugio", "Esperanza",
    "Irma", "Olga", "Marisol", "Reyna", "Cecilia", "Norma", "Alicia", "Josefina", "Ofelia", "Dora",
    "Luz", "Estela", "Blanca", "Amparo", "Yesenia", "Xóchitl", "Itzel", "Nayeli", "Floridalma",
    "Ixchel", "Yaneth", "Marleny", "Dilcia", "Rosibel", "Yadira", "Lorena", "Maribel", "Sonia",
    "Wendy", "Karla", "Jazmín", "Eulalia", "Florencia", "Aurora"
)
MALE_GIVEN = (
    "José", "Juan", "Pedro", "Francisco", "Antonio", "Manuel", "Jesús", "Luis", "Carlos", "Jorge",
    "Alberto", "Roberto", "Ignacio", "Eduardo", "Enrique", "Gregorio", "Santiago", "Rodolfo",
    "Alejandro", "Fernando", "Ramón", "Raúl", "Sergio", "Arturo", "Hugo", "Julio", "Mario",
    "Víctor", "Rubén", "Tomás", "Agustín", "Benito", "Celestino", "Domingo", "Emiliano", "Fausto",
    "Genaro", "Heriberto", "Isaías", "Jacinto", "Leonel", "Marcos", "Nicolás", "Octavio",
    "Pascual", "Rigoberto", "Saúl", "Teodoro", "Ulises", "Wilmer", "Yovani", "Elmer", "Santos",
    "Darwin", "Erick", "Nelson", "Abelino", "Crisanto", "Fidencio", "Lorenzo"
)
NEUTRAL_GIVEN = ("Alex", "Cruz", "Guadalupe", "Trinidad", "Rosario", "Sol", "Andrea", "Ariel")
SURNAMES = (
    "García", "Hernández", "López", "Martínez", "González", "Pérez", "Rodríguez", "Sánchez",
    "Ramírez", "Cruz", "Flores", "Gómez", "Morales", "Vázquez", "Reyes", "Jiménez", "Torres",
    "Díaz", "Gutiérrez", "Ruiz", "Mendoza", "Aguilar", "Ortiz", "Moreno", "Castillo", "Romero",
    "Álvarez", "Méndez", "Chávez", "Rivera", "Juárez", "Ramos", "Domínguez", "Herrera", "Medina",
    "Castro", "Vargas", "Rojas", "Contreras", "Luna", "Ortega", "Estrada", "Salazar", "Soto",
    "Núñez", "Delgado", "Cabrera", "Ríos", "Velásquez", "Pineda", "Orellana", "Mejía", "Cardona",
    "Osorio", "Quintero", "Bautista", "Santiago", "Vásquez", "Lemus", "Argueta", "Figueroa",
    "Padilla", "Zúñiga", "Benítez", "Carrillo", "Fuentes", "Guerra", "Ibarra", "Lara", "Márquez",
    "Navarro", "Ochoa", "Paredes", "Quiroz", "Salinas", "Tovar", "Urbina", "Villalobos", "Yáñez",
    "Zamora", "Escalante", "Barrios", "Cifuentes", "Solís", "Calix"
)
# Surnames common among Maya, Nasa and other peoples of the region.
INDIGENOUS_SURNAMES = (
    "Tzoc", "Pop", "Coc", "Choc", "Ical", "Cux", "Ixcoy", "Tzul", "Chub", "Ajú", "Quej", "Tiul",
    "Yat", "Sic", "Guetio", "Yatacué", "Noscué", "Pillimué", "Cuetia", "Dagua", "Ipia", "Tunubalá",
    "Pascacio", "Gualán", "Xitumul", "Tecún", "Batz", "Cumes"
)
NICKNAMES = {
    "Rosario": "Chayo", "Guadalupe": "Lupe", "Francisco": "Pancho", "José": "Pepe",
    "Antonio": "Toño", "Ignacio": "Nacho", "Alberto": "Beto", "Roberto": "Beto",
    "Jesús": "Chucho", "Dolores": "Lola", "Mercedes": "Meche", "Concepción": "Concha",
    "Consuelo": "Chelo", "Manuel": "Manolo", "Alejandro": "Alex", "Eduardo": "Lalo",
    "Enrique": "Quique", "Refugio": "Cuca", "Socorro": "Coco", "Gregorio": "Goyo",
    "Santiago": "Chago", "Rodolfo": "Fito", "Isabel": "Chabela", "Teresa": "Tere",
    "Patricia": "Paty", "Josefina": "Chepina", "Jacinto": "Chinto", "Lorenzo": "Lencho",
    "Fernando": "Nando", "Ramón": "Moncho", "Domingo": "Mingo", "Celestino": "Tino",
}
# Well-known real people (defenders, politicians, cartel leaders), kept only as hashes of their
# two name words so that no real name stands in this repository: a generated name that holds
# both words of one of them is drawn again.
_FAMOUS_PAIRS = frozenset({
    "019d6b310c60cb5b", "051e61857aab6f36", "05f3ecdd5a1c365b", "069b6bcd446d867e",
    "0798628787f9ce32", "08e0c5e494d4f6d7", "0b3ee74a53196a1b", "0ca5ce510ff11fc0",
    "11f7b31e686a3863", "18779e283985bcba", "1c257db407377d1d", "22529339a3efc1a9",
    "29df055736100b2e", "2c16b6e0d6d73e20", "324e6d9cc2b12c9a", "4c3ab9cf22a1df6b",
    "4f7b05f096f2b8bb", "50abf1b0992ac1d5", "57996947ec91be86", "5b62ed18fa344643",
    "5c2c09f8d4c67b93", "5cd347048e6d2289", "5e40e928d9deca2d", "5f0585cd29bbf07e",
    "6622e6dca0b04544", "6854a34df8e1c17f", "6aee17e8fb59e083", "6ba8e6cc944d7171",
    "6f868c0e0f9f65fc", "6fb9ff7b22e7e2bf", "717781318f40af98", "72f3954f342ff629",
    "73b773c2105c7bd0", "76ddc38ea5ddf356", "7ba36f9904bd9fd4", "82be73c56a32522f",
    "85b044275a8c8185", "879cd0073bae23ea", "8bfb684f49d1c6df", "9fa96d49a798d1ff",
    "a33ffb804c504d25", "b00583d7eef15c3e", "b10597331ad682a6", "b49dd4f7f714af34",
    "b834d88da4266bed", "bfd192eb2160815a", "c09e55b0b9fd3178", "c45ece853999a8de",
    "c620c104b903b4f9", "cdc4fcb97ba6222e", "d14749f1707d6af9", "d17a24168f8010ed",
    "d2d365112324424e", "da16f66dddf5da75", "df246ea46db2ba83", "e2ead7230708d20d",
    "f111bbd6fab5b561", "ffa6489a70ed0721",
})
_PSEUDONYM_WORDS = (
    "Ceiba", "Caoba", "Guayacán", "Ocote", "Copal", "Amate", "Roble", "Cedro", "Jacaranda",
    "Maguey", "Nance", "Guanacaste", "Sauce", "Mangle", "Ciprés", "Zapote", "Palma", "Bambú",
    "Colibrí", "Quetzal", "Garza", "Tucán", "Jaguar", "Venado", "Tecolote", "Tortuga", "Ocelote"
)
# Syllables for invented place names: they sound like the region's languages.
_ONSETS = ("", "ch", "tz", "x", "k", "y", "m", "n", "t", "p", "c", "h", "j", "b", "l", "s", "tl")
_VOWELS = ("a", "e", "i", "o", "u", "a", "o")
_CODAS = ("", "", "", "", "n", "l", "x", "j", "b")
_ENDINGS = (
    "já", "lú", "xé", "bal", "tún", "chel", "mó", "pix", "nal", "cab", "quí", "yá", "tzín", "hul",
    "bé", "ná", "cuy", "lom", "xaj", "ché", "pú", "guá", "mix", "rú"
)
# fmt: on
_TYPO_SWAPS = (("v", "b"), ("b", "v"), ("s", "z"), ("z", "s"), ("ll", "y"), ("y", "ll"))


def pair_hash(first: str, second: str) -> str:
    """The hash a pair of name words is kept as: accents, case and order do not matter."""
    folded = sorted(strip_accents(w).casefold() for w in (first, second))
    return hashlib.sha256("|".join(folded).encode()).hexdigest()[:16]


def is_famous(tokens: list[str]) -> bool:
    """Whether the words hold both name words of a well-known real person."""
    return any(pair_hash(a, b) in _FAMOUS_PAIRS for a, b in itertools.combinations(set(tokens), 2))


def person_name(rng: random.Random, gender: str, indigenous: bool) -> str:
    """A fictional full name: one or two given names, then two surnames."""
    pool = {"female": FEMALE_GIVEN, "male": MALE_GIVEN}.get(gender, NEUTRAL_GIVEN)
    while True:
        given = [rng.choice(pool)]
        if rng.random() < 0.3:
            second = rng.choice(pool)
            if second != given[0]:
                given.append(second)
        first = rng.choice(INDIGENOUS_SURNAMES) if indigenous and rng.random() < 0.6 else None
        surnames = [first or rng.choice(SURNAMES), rng.choice(SURNAMES)]
        tokens = given + surnames
        if surnames[0] != surnames[1] and not is_famous(tokens):
            return " ".join(tokens)


def pseudonym(gender: str, serial: int) -> str:
    """A protective code name like "Defensora Ceiba 12", unique for each serial number."""
    title = {"female": "Defensora", "male": "Defensor"}.get(gender, "Persona defensora")
    word = _PSEUDONYM_WORDS[serial % len(_PSEUDONYM_WORDS)]
    return f"{title} {word} {serial // len(_PSEUDONYM_WORDS) + 1}"


def place_word(rng: random.Random) -> str:
    """An invented place word such as "Tzaxulé" (not checked for uniqueness)."""
    parts = []
    for _ in range(rng.choice((1, 1, 2))):
        parts.append(rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS))
    parts.append(rng.choice(_ENDINGS))
    word = "".join(parts)
    return word[0].upper() + word[1:]


def _typo(rng: random.Random, word: str) -> str:
    for old, new in _TYPO_SWAPS:
        if old in word and rng.random() < 0.5:
            return word.replace(old, new, 1)
    if len(word) < 4:
        return word + word[-1]
    i = rng.randrange(1, len(word) - 2)
    if rng.random() < 0.5:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + word[i + 1 :]


def _split(name: str) -> tuple[list[str], list[str]]:
    tokens = name.split()
    return tokens[:-2], tokens[-2:]


def noisy_name(
    rng: random.Random, name: str, taken: Collection[str] = (), ops: Sequence[int] = (1, 2, 2, 3)
) -> str:
    """The same person's name as another holder typed it: some kinds of noise (how many: one
    of `ops`), never the name itself nor one in `taken` (how the other holders wrote it)."""
    for _ in range(10):
        text = _noise(rng, name, ops)
        if text != name and text not in taken:
            return text
    return strip_accents(name).upper()


def _noise(rng: random.Random, name: str, counts: Sequence[int]) -> str:
    given, surnames = _split(name)
    ops = rng.sample(("accents", "surname", "initial", "order", "typo", "nickname"), k=3)
    ops = ops[: rng.choice(counts)]
    if "nickname" in ops and given[0] in NICKNAMES:
        given = [NICKNAMES[given[0]]]
    elif "initial" in ops:
        given = [given[0][0] + ".", *given[1:]]
    if "surname" in ops:
        surnames = surnames[:1]
    if "typo" in ops:
        surnames = [_typo(rng, surnames[0]), *surnames[1:]]
    text = " ".join(given + surnames)
    if "order" in ops:
        text = " ".join(surnames) + ", " + " ".join(given)
    return strip_accents(text) if "accents" in ops else text
