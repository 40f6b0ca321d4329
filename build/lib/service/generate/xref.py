"""Overlapping case files: the same defender and incidents recorded again by other holders,
with the noise of real files, and the ground truth of which records are the same."""

import random
from dataclasses import dataclass
from itertools import combinations

from service.generate.events import DESCRIPTIONS, Events, severity, who
from service.generate.marks import FIRST_DAY, LAST_DAY, Marker, fmt
from service.generate.model import Defender, Incident
from service.generate.names import noisy_name

# A holder may file an incident under a neighbouring kind.
_SIMILAR_KIND = {
    "threat": "attack",
    "attack": "threat",
    "raid": "arbitrary_detention",
    "arbitrary_detention": "raid",
    "stigmatization": "digital_attack",
    "digital_attack": "surveillance",
    "surveillance": "digital_attack",
    "criminalization": "arbitrary_detention",
    "forced_displacement": "threat",
    "sexual_violence": "attack",
}
_WEAKER = {"confirmed": "alleged", "alleged": "suspected", "suspected": "suspected"}


@dataclass(frozen=True)
class Noise:
    """How differently another holder records the same thing."""

    name_ops: tuple[int, ...] = (1, 2, 2, 3)  # how many kinds of noise on a name, drawn from
    date_days: int = 5  # an incident's date moves by up to this many days
    kind_change: float = 0.2  # share of incidents filed under a neighbouring kind
    keep_perpetrator: float = 0.6  # share of attributed actors a copy keeps


# A second, independent labelled set: noisier names, dates and kinds (benchmarks/xref.py --quality).
NOISE = {"standard": Noise(), "harsh": Noise((2, 3, 3), 9, 0.35, 0.45)}


class Duplicator:
    """Re-records a share of the case files by one or two other holders."""

    def __init__(
        self, rng: random.Random, events: Events, marker: Marker, noise: Noise = NOISE["standard"]
    ) -> None:
        self.noise = noise
        self.rng = rng
        self.ev = events
        self.marker = marker
        self.truth: list[tuple[str, int, int]] = []
        self.same_as: list[tuple[int, int, str, str, int]] = []
        # true incident -> holder -> its copy: a collective incident can be in two stories,
        # and a holder keeps one record of it.
        self.copies: dict[int, dict[int, int]] = {}

    def run(self, n_true_defenders: int, share: float = 0.3) -> None:
        cases = self.ev.cases
        n = min(len(cases), round(share * n_true_defenders))
        for c in sorted(self.rng.sample(range(len(cases)), n)):
            self._story(c)
        self._same_as()

    def _other_holders(self, c: int) -> list[int]:
        case = self.ev.cases[c]
        d = self.ev.defenders[case.defenders[0]]
        taken = {case.holder, d.marks.owner}
        taken |= {self.ev.incidents[k].marks.owner for k in case.incidents}
        pool = self.ev.holders(d.country)
        want = 1 if self.rng.random() < 0.65 else 2
        out: list[int] = []
        for _ in range(30):
            h = pool.pick(self.rng)
            if h not in taken:
                taken.add(h)
                out.append(h)
                if len(out) == want:
                    break
        return out

    def _story(self, c: int) -> None:
        case = self.ev.cases[c]
        d = case.defenders[0]
        own = [k for k in case.incidents if d in self.ev.incidents[k].defenders]
        defenders, cases = [d], [c]
        for j, holder in enumerate(self._other_holders(c)):
            twin = self._copy_defender(d, holder, {self.ev.defenders[x].name for x in defenders})
            defenders.append(twin)
            kept = [k for k in own if self.rng.random() < 0.6] or own[:1]
            records = [self._incident_record(k, twin, holder, j) for k in kept]
            cases.append(self._copy_case(twin, holder, [k for k in records if k is not None]))
        self._pairs("Defender", defenders)
        self._pairs("Case", cases)

    def _incident_record(self, k: int, twin: int, holder: int, j: int) -> int | None:
        """The holder's record of true incident k, made on first need; None when two other
        holders already recorded it (no incident is in more than three files)."""
        by_holder = self.copies.setdefault(k, {})
        if holder in by_holder:
            copy = by_holder[holder]
            self.ev.incidents[copy].defenders.append(twin)
            return copy
        if len(by_holder) == 2:
            return None
        copy = self._copy_incident(k, twin, holder, j)
        self.truth.extend(("Incident", other, copy) for other in [k, *by_holder.values()])
        by_holder[holder] = copy
        return copy

    def _pairs(self, label: str, records: list[int]) -> None:
        self.truth.extend((label, a, b) for a, b in combinations(records, 2))

    def _copy_defender(self, i: int, holder: int, taken: set[str]) -> int:
        rng = self.rng
        d = self.ev.defenders[i]
        identities = tuple(x for k, x in enumerate(d.identities) if k == 0 or rng.random() < 0.7)
        focus = tuple(x for k, x in enumerate(d.focus) if k == 0 or rng.random() < 0.6)
        twin = Defender(
            self.ev.next_pseudonym(d.gender),
            noisy_name(rng, d.name, taken),
            d.gender,
            identities,
            focus,
            d.country,
            self._vaguer(d.home, 0),
            d.region,
            False,
            d.status if rng.random() < 0.85 else "active",
            d.protection_measures if rng.random() < 0.3 else (),
            original=i,
        )
        twin.marks = self.marker.marks("person", holder)
        self.ev.defenders.append(twin)
        return len(self.ev.defenders) - 1

    def _vaguer(self, t: int, j: int) -> int:
        """The municipality above a place (first holder) or its region (second holder)."""
        chain = self.ev.geo.chain(self.ev.t, t)
        munis = [x for x in chain if self.ev.t[x].kind == "municipality"]
        if j == 0 and munis and self.rng.random() < 0.8:
            return munis[0]
        return self.ev.t[t].region if j > 0 or self.rng.random() < 0.5 else t

    def _copy_incident(self, k: int, twin: int, holder: int, j: int) -> int:
        rng = self.rng
        inc = self.ev.incidents[k]
        kind = inc.kind
        if kind in _SIMILAR_KIND and rng.random() < self.noise.kind_change:
            kind = _SIMILAR_KIND[kind]
        shift = self.noise.date_days
        day = min(LAST_DAY, max(FIRST_DAY, inc.date + rng.randint(-shift, shift)))
        d = self.ev.defenders[twin]
        perps = [
            (a, _WEAKER[att] if rng.random() < 0.4 else att)
            for a, att in inc.perpetrators
            if rng.random() < self.noise.keep_perpetrator
        ]
        copy = Incident(
            kind,
            day,
            min(5, max(1, (inc.severity + severity(rng, kind)) // 2)),
            rng.choice((True, False, None)),
            DESCRIPTIONS[kind].format(who=who(d), R=self.ev.t[d.region].name),
            self.ev.credibility.pick(rng) if rng.random() < 0.5 else "",
            self._vaguer(inc.territory, j),
            [twin],
            [],
            perps,
            original=k,
        )
        copy.marks = self.marker.marks("incident", holder)
        self.ev.incidents.append(copy)
        return len(self.ev.incidents) - 1

    def _copy_case(self, twin: int, holder: int, incidents: list[int]) -> int:
        case = self.ev.case_for(twin, holder, incidents)
        self.ev.cases.append(case)
        return len(self.ev.cases) - 1

    def _same_as(self) -> None:
        """A few case pairs already judged by a holder: some confirmed (the rest of the truth
        is left for matching to find) and some look-alikes rejected."""
        rng = self.rng
        pairs = [(a, b) for label, a, b in self.truth if label == "Case"]
        if not pairs:
            return
        for a, b in sorted(rng.sample(pairs, max(1, round(0.08 * len(pairs))))):
            judge = self.ev.cases[rng.choice((a, b))].holder
            self.same_as.append((a, b, "confirmed", fmt(rng.uniform(0.85, 0.99)), judge))
        self._rejected(max(1, round(0.04 * len(pairs))), set(pairs))

    def _rejected(self, n: int, true_pairs: set[tuple[int, int]]) -> None:
        # Look-alike files of different defenders that someone checked and kept apart.
        cases = self.ev.cases
        for _ in range(n * 10):
            a, b = sorted(self.rng.sample(range(len(cases)), 2))
            if (a, b) in true_pairs or cases[a].holder == cases[b].holder:
                continue
            true_pairs.add((a, b))  # judged once
            judge = cases[a].holder
            self.same_as.append((a, b, "rejected", fmt(self.rng.uniform(0.5, 0.7)), judge))
            n -= 1
            if n == 0:
                return
