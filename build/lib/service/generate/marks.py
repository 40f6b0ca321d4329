"""Random helpers shared by the generator: weighted picks, dates, TLP markings and owners."""

import random
from collections.abc import Sequence
from datetime import date
from functools import cache
from itertools import accumulate
from typing import Generic, TypeVar

from service.generate.model import Marks, Organization

T = TypeVar("T")

FIRST_DAY = date(2015, 1, 1).toordinal()  # incidents run from here ...
LAST_DAY = date(2026, 10, 31).toordinal()  # ... to here
TIES_FROM = date(2008, 1, 1).toordinal()  # oldest start of a structural tie
EXPIRED_BY = date(2025, 12, 31).toordinal()  # an expired tie ended before this day

TLPS = ("CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED")
# Weights of CLEAR, GREEN, AMBER, AMBER+STRICT, RED per kind of record.
TLP_PROFILES = {
    "public": (0.45, 0.4, 0.1, 0.03, 0.02),
    "place": (0.6, 0.3, 0.06, 0.02, 0.02),
    "open": (0.3, 0.45, 0.15, 0.06, 0.04),
    "covert": (0.04, 0.22, 0.4, 0.2, 0.14),
    "protection": (0.04, 0.2, 0.4, 0.2, 0.16),
    "incident": (0.08, 0.27, 0.35, 0.17, 0.13),
    "person": (0.02, 0.1, 0.4, 0.25, 0.23),
    "case": (0.02, 0.08, 0.45, 0.25, 0.2),
}
_RESEARCH_KINDS = ("ngo", "ingo", "network", "grassroots")


class Weighted(Generic[T]):
    """Items with weights, picked in O(log n) by bisecting the cumulative weights."""

    __slots__ = ("cum", "items")

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cum = list(accumulate(weights))

    def pick(self, rng: random.Random) -> T:
        return rng.choices(self.items, cum_weights=self.cum)[0]

    def __bool__(self) -> bool:
        return bool(self.items)


def weighted(pairs: dict[T, float]) -> Weighted[T]:
    return Weighted(list(pairs), list(pairs.values()))


@cache  # a few thousand distinct days, a million calls
def iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat() if ordinal else ""


def fmt(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}"


class Marker:
    """Draws markings: TLP by profile, an owner among the researching organizations of a
    country, `shared_with` among the owner's partners (AMBER and AMBER+STRICT only), sources."""

    def __init__(self, rng: random.Random, orgs: list[Organization], n_sources: int) -> None:
        self.rng = rng
        self.n_sources = n_sources
        self.orgs = orgs
        self._tlp = {k: Weighted(TLPS, w) for k, w in TLP_PROFILES.items()}
        ingos = [i for i, o in enumerate(orgs) if o.kind == "ingo"]
        self.researchers: dict[str, list[int]] = {}
        for i, org in enumerate(orgs):
            if org.kind in _RESEARCH_KINDS and org.kind != "ingo":
                self.researchers.setdefault(org.country, []).append(i)
        for country in self.researchers:
            self.researchers[country].extend(ingos)
        self.any_researcher = [i for i, o in enumerate(orgs) if o.kind in _RESEARCH_KINDS]

    def tlp(self, profile: str) -> str:
        return self._tlp[profile].pick(self.rng)

    def researcher(self, country: str) -> int:
        return self.rng.choice(self.researchers.get(country) or self.any_researcher)

    def shared(self, tlp: str, owner: int) -> tuple[int, ...]:
        if tlp not in ("AMBER", "AMBER+STRICT"):
            return ()
        partners = self.orgs[owner].partners
        k = min(len(partners), self.rng.choice((1, 1, 2, 3)))
        return tuple(sorted(self.rng.sample(partners, k)))

    def sources(self, p: float = 0.6) -> tuple[int, ...]:
        if self.rng.random() >= p:
            return ()
        k = self.rng.choice((1, 1, 2, 3))
        return tuple(sorted({self.rng.randrange(self.n_sources) for _ in range(k)}))

    def marks(self, profile: str, owner: int, p_sources: float = 0.6) -> Marks:
        tlp = self.tlp(profile)
        return Marks(tlp, owner, self.shared(tlp, owner), self.sources(p_sources))
