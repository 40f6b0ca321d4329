"""Ties between actors: the collusion pockets, chains of command, funding, rivalries and a
preferential-attachment web of open alliances (few actors end up with most ties)."""

import random
from collections import defaultdict

from service.generate.actors import ARMED
from service.generate.geo import GeoIndex
from service.generate.marks import Weighted, fmt, weighted
from service.generate.model import Actor, ActorTie, Organization, Territory
from service.model import load_model

# How a state actor colludes, by its kind.
COLLUSION_MODES = {
    "police": {"protection": 0.35, "bribery": 0.3, "joint_operation": 0.15, "information": 0.2},
    "military": {"joint_operation": 0.5, "protection": 0.3, "information": 0.2},
    "judiciary": {"information": 0.7, "impunity": 0.3},
    "prosecutor": {"impunity": 0.6, "bribery": 0.3, "information": 0.1},
    "local_government": {"bribery": 0.5, "protection": 0.3, "impunity": 0.2},
    "executive": {"impunity": 0.5, "bribery": 0.5},
}
# Chance that an armed group controlling or disputing land has an accomplice of each kind.
_POCKET = {
    "police": 0.75,
    "military": 0.45,
    "judiciary": 0.35,
    "prosecutor": 0.3,
    "local_government": 0.4,
    "executive": 0.1,
}
_INFILTRATED = ("police", "prosecutor", "local_government", "judiciary")
_SYMMETRIC = frozenset(load_model().symmetric_types)  # kept once per pair


class AllianceBuilder:
    """Builds the actor -> actor ties (and actor -> organization funding) of a world."""

    def __init__(
        self,
        rng: random.Random,
        actors: list[Actor],
        territories: list[Territory],
        geo: GeoIndex,
        presence: list[ActorTie],
    ) -> None:
        self.rng = rng
        self.a = actors
        self.t = territories
        self.geo = geo
        self.presence = presence
        self.ties: list[ActorTie] = []
        self.org_funds: list[ActorTie] = []
        self._seen: set[tuple[str, int, int]] = set()
        self.covert_degree = [0] * len(actors)
        self.by_region: dict[tuple[int, str], list[int]] = defaultdict(list)
        self.by_country: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i, actor in enumerate(actors):
            self.by_region[actor.region, actor.kind].append(i)
            self.by_country[actor.country, actor.kind].append(i)
        self.claims: dict[int, list[int]] = defaultdict(list)  # armed actor -> contested land
        self.interests: dict[int, list[int]] = defaultdict(list)
        self.present: dict[int, set[int]] = defaultdict(set)
        for tie in presence:
            self.present[tie.source].add(tie.target)
            if tie.type in ("CONTROLS", "DISPUTES") and actors[tie.source].kind in ARMED:
                self.claims[tie.source].append(tie.target)
            elif tie.type == "HAS_INTEREST_IN" and actors[tie.source].kind == "corporation":
                self.interests[tie.source].append(tie.target)

    def build(self, orgs: list[Organization]) -> None:
        self._commands()
        self._collusion_pockets()
        self._corporate_pockets(orgs)
        self._infiltration()
        self._rivalries()
        self._alliances()
        self._security_presence()
        self._weigh()

    def add(self, type_: str, a: int, b: int, prop: str = "", covert: bool = False) -> bool:
        key = (type_, min(a, b), max(a, b)) if type_ in _SYMMETRIC else (type_, a, b)
        if a == b or key in self._seen:
            return False
        self._seen.add(key)
        self.ties.append(ActorTie(type_, a, b, prop, covert))
        if covert:
            self.covert_degree[a] += 1
            self.covert_degree[b] += 1
        return True

    def _local(self, actor: Actor, kind: str) -> list[int]:
        """Actors of a kind in the same region, else in the same country."""
        return self.by_region.get((actor.region, kind)) or self.by_country.get(
            (actor.country, kind), []
        )

    def _commands(self) -> None:
        # A company over its private security (always), cartels over local cells, army chains.
        for i, actor in enumerate(self.a):
            if actor.kind == "private_security":
                corps = self._local(actor, "corporation") or [
                    j for j, x in enumerate(self.a) if x.kind == "corporation"
                ]
                self.add("COMMANDS", self.rng.choice(corps), i, covert=not actor.public)
        for kind, p in (("organized_crime", 0.35), ("paramilitary", 0.4), ("military", 0.3)):
            self._hierarchy(kind, p)
        for i, actor in enumerate(self.a):
            if actor.kind == "police" and actor.home == actor.region and self.rng.random() < 0.6:
                for boss in self.by_region.get((actor.region, "executive"), [])[:1]:
                    self.add("COMMANDS", boss, i)

    def _hierarchy(self, kind: str, p: float) -> None:
        """Preferential attachment: a unit is commanded by an older one, big ones grow bigger."""
        for country in sorted({a.country for a in self.a}):
            ends: list[int] = []  # each unit once, each boss once more per unit it commands
            for i in self.by_country.get((country, kind), []):
                if ends and self.rng.random() < p:
                    boss = self.rng.choice(ends)
                    if self.add("COMMANDS", boss, i, covert=kind in ARMED):
                        ends.append(boss)
                ends.append(i)

    def _pick_partner(self, pool: list[int], near: set[int]) -> int:
        # Units already colluding attract more (heavy tail); presence on the spot counts.
        weights = [
            (1 + self.covert_degree[j]) * (3.0 if self.present[j] & near else 1.0) for j in pool
        ]
        return Weighted(pool, weights).pick(self.rng)

    def _collusion_pockets(self) -> None:
        # Each piece of land an armed group claims comes with its own accomplices.
        for i in sorted(self.claims):
            armed = self.a[i]
            for t in self.claims[i]:
                near = set(self.geo.chain(self.t, t))
                for kind, p in _POCKET.items():
                    pool = self._local(armed, kind)
                    if pool and self.rng.random() < p:
                        self._collude(self._pick_partner(pool, near), i)

    def _collude(self, state: int, other: int) -> None:
        mode = weighted(COLLUSION_MODES[self.a[state].kind]).pick(self.rng)
        self.add("COLLUDES_WITH", state, other, mode, covert=True)

    def _corporate_pockets(self, orgs: list[Organization]) -> None:
        communities = [j for j, o in enumerate(orgs) if o.kind in ("community", "grassroots")]
        for i in sorted(self.interests):
            corp = self.a[i]
            near = {x for t in self.interests[i] for x in self.geo.chain(self.t, t)}
            for kind, p, type_ in (
                ("local_government", 0.5, "FUNDS"),
                ("political_group", 0.25, "FUNDS"),
                ("media", 0.2, "FUNDS"),
                ("local_government", 0.3, "COLLUDES_WITH"),
                ("police", 0.25, "COLLUDES_WITH"),
                ("organized_crime", 0.15, "COLLUDES_WITH"),
            ):
                pool = self._local(corp, kind)
                if not pool or self.rng.random() >= p:
                    continue
                other = self._pick_partner(pool, near)
                if type_ == "FUNDS":
                    self.add("FUNDS", i, other, _amount(self.rng), covert=True)
                elif kind == "organized_crime":
                    self.add("COLLUDES_WITH", i, other, "protection", covert=True)
                else:
                    self._collude(other, i)
            local = [j for j in communities if orgs[j].region == corp.region]
            if local and self.rng.random() < 0.15:  # co-opting a community organization
                org = self.rng.choice(local)
                self.org_funds.append(ActorTie("FUNDS", i, org, _amount(self.rng), True))
        if not self.org_funds and self.interests and communities:
            first = min(self.interests)
            self.org_funds.append(ActorTie("FUNDS", first, communities[0], _amount(self.rng), True))

    def _infiltration(self) -> None:
        for i in sorted(self.claims):
            armed = self.a[i]
            for _ in self.claims[i]:
                kind = self.rng.choice(_INFILTRATED)
                pool = self._local(armed, kind)
                if pool and self.rng.random() < 0.3:
                    self.add("INFILTRATES", i, self.rng.choice(pool), covert=True)
            for kind in ("political_group", "local_government"):
                pool = self._local(armed, kind)
                if pool and self.rng.random() < 0.18:
                    self.add("FUNDS", i, self.rng.choice(pool), _amount(self.rng), covert=True)

    def _rivalries(self) -> None:
        # Groups that claim the same land are rivals; so are some political groups.
        claimants: dict[int, list[int]] = defaultdict(list)
        for tie in self.presence:
            if (
                tie.type in ("CONTROLS", "DISPUTES")
                and self.a[tie.source].kind != "local_government"
            ):
                claimants[tie.target].append(tie.source)
        for t in sorted(claimants):
            group = claimants[t]
            for x in range(len(group)):
                for y in range(x + 1, min(len(group), x + 4)):
                    self.add("RIVAL_OF", group[x], group[y])
        for i, actor in enumerate(self.a):
            if actor.kind == "political_group" and self.rng.random() < 0.4:
                pool = self._local(actor, "political_group")
                self.add("RIVAL_OF", i, self.rng.choice(pool))

    def _compatible(self, x: int, y: int) -> bool:
        # Armed groups and the state do not ally openly: that is collusion, covert.
        a, b = self.a[x], self.a[y]
        return not (
            (a.kind in ARMED and b.sector == "state") or (b.kind in ARMED and a.sector == "state")
        )

    def _alliances(self) -> None:
        region_ends: dict[int, list[int]] = defaultdict(list)
        country_ends: dict[str, list[int]] = defaultdict(list)
        all_ends: list[int] = []
        order = list(range(len(self.a)))
        self.rng.shuffle(order)
        for i in order:
            actor = self.a[i]
            # Pareto-distributed wish for allies: most want a few, some want very many. Tries
            # go on until the wish is met, so small datasets are as dense as large ones.
            wish = min(60, int(4 * self.rng.paretovariate(1.4)))
            made = 0
            for _ in range(4 * wish):
                roll = self.rng.random()
                pool = (
                    region_ends[actor.region]
                    if roll < 0.5
                    else country_ends[actor.country]
                    if roll < 0.9
                    else all_ends
                )
                j = self.rng.choice(pool) if pool else i
                if self._compatible(i, j) and self.add("ALLIED_WITH", i, j):
                    for x in (i, j):
                        region_ends[self.a[x].region].append(x)
                        country_ends[self.a[x].country].append(x)
                        all_ends.append(x)
                    made += 1
                    if made == wish:
                        break
            # Once more on arrival, so that actors without ties can still be chosen.
            region_ends[actor.region].append(i)
            country_ends[actor.country].append(i)
            all_ends.append(i)

    def _security_presence(self) -> None:
        # Private security guards the concessions of the company that commands it.
        for tie in self.ties:
            if tie.type == "COMMANDS" and self.a[tie.target].kind == "private_security":
                for t in self.interests.get(tie.source, [])[:3]:
                    if t not in self.present[tie.target]:
                        self.present[tie.target].add(t)
                        self.presence.append(ActorTie("OPERATES_IN", tie.target, t))

    def _weigh(self) -> None:
        degree = [0] * len(self.a)
        for tie in self.ties:
            degree[tie.source] += 1
            degree[tie.target] += 1
        for i, actor in enumerate(self.a):
            actor.weight = 1.0 + degree[i] + 2.0 * self.covert_degree[i] + 2.0 * len(self.claims[i])


def _amount(rng: random.Random) -> str:
    # Heavy-tailed sums; a fifth of the time the amount is not known.
    return "" if rng.random() < 0.2 else fmt(round(10 ** rng.uniform(3.5, 6.5), -2))
