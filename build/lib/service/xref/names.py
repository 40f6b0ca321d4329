"""Names as different holders type them: accents dropped or not, "Surname, Given" order, the
second surname left out, initials, nicknames, typos."""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from importlib import resources
from itertools import combinations

import jellyfish
import yaml
from rapidfuzz.distance import JaroWinkler

_WORD = re.compile(r"[a-z]+\.?")
# Below this a typo'd word is another word: tuned on seed_data (JaroWinkler of two words).
SAME_WORD = 0.88
INITIAL = 0.75  # an initial agrees with a word that starts with it, less than the word itself


@cache
def _nicknames() -> dict[str, tuple[str, ...]]:
    raw = yaml.safe_load(resources.files("service.xref").joinpath("nicknames.yaml").read_text())
    return {
        _plain(nick): tuple(_plain(g) for g in (given if isinstance(given, list) else [given]))
        for nick, given in raw.items()
    }


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    # ñ goes too: a holder who types without accents types "Pena" for "Peña".
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def words(name: str) -> tuple[str, ...]:
    """The words of a name, accent-free and lower case, nicknames read as the given name;
    an initial keeps its dot ("m.")."""
    out: list[str] = []
    for word in _WORD.findall(_plain(name)):
        given = _nicknames().get(word)
        out.append(given[0] if given else word)
    return tuple(out)


def _word_agreement(a: str, b: str) -> float:
    if a.endswith(".") or b.endswith("."):
        return INITIAL if a[0] == b[0] else 0.0
    if a == b:
        return 1.0
    similarity = JaroWinkler.normalized_similarity(a, b)
    return similarity if similarity >= SAME_WORD else 0.0


@lru_cache(maxsize=1 << 16)  # a case compares the names its incidents' targets compared too
def name_similarity(left: str, right: str) -> float:
    """0..1: how well the words of the shorter name find partners in the longer one, each word
    used once, in any order. A word of the longer name left over costs a little (a second
    surname left out); a word of the shorter one with no partner costs a lot."""
    a, b = words(left), words(right)
    if not a or not b:
        return 0.0
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    free = list(long_)
    total, unmatched = 0.0, 0
    for word in sorted(short, key=len, reverse=True):  # full words pick partners before initials
        best, at = 0.0, -1
        for i, other in enumerate(free):
            agreement = _word_agreement(word, other)
            if agreement > best:
                best, at = agreement, i
        if at >= 0:
            free.pop(at)
        total += best
        unmatched += best == 0.0
    # A word that finds no partner is a different name, more than a word left out: sisters
    # share two surnames of three.
    covered = total / len(short) * 0.75**unmatched
    missing = len(long_) - len(short)
    full_words = sum(not w.endswith(".") for w in short)
    # One full word that agrees says little: many people share a surname.
    thin = 0.85 if full_words < 2 else 1.0
    return covered * thin * (0.95**missing)


def _sound(word: str) -> str:
    """How a word is heard: Soundex hears Spanish b/v, s/z and c/k alike, and typos that keep
    the sound. (Adding how a word starts found one more pair of the harsh set at five times
    the comparisons at scale 100.)"""
    return str(jellyfish.soundex(word))


def _full(name: str) -> list[str]:
    return [w for w in words(name) if not w.endswith(".") and len(w) > 2]


def block_keys(name: str) -> set[tuple[str, str]]:
    """Keys for two full words of a name at a time: two names share a key when two of their
    words sound alike, so a common given name or surname alone makes no key."""
    sounds = [_sound(w) for w in dict.fromkeys(_full(name))]
    return {(x, y) if x <= y else (y, x) for x, y in combinations(sounds, 2)}


def initial_keys(name: str) -> set[tuple[str, str]]:
    """What an initial in another name may stand for: the initial of each word (full or
    itself an initial) with the sound of another full word ("m", "G620" for "María García")."""
    all_words, full = words(name), _full(name)
    return {(a[0], _sound(b)) for a in all_words for b in full if a != b}


def probe_keys(name: str) -> set[tuple[str, str]]:
    """The keys a name with initials looks up in `initial_keys` ("m", "G620" for "M. García")."""
    initials = {w[0] for w in words(name) if w.endswith(".")}
    return {(i, _sound(w)) for i in initials for w in _full(name)}


def may_pair(left: str, right: str) -> bool:
    """Would blocking pair the two names: two words that sound alike, or an initial of one
    that may stand for a word of the other (service/xref/blocking.py uses the same keys)."""
    return bool(
        block_keys(left) & block_keys(right)
        or probe_keys(left) & initial_keys(right)
        or initial_keys(left) & probe_keys(right)
    )
