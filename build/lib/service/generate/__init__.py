"""Deterministic synthetic data in the interchange format: `write_dataset`.

Everything is drawn from one `random.Random(seed)` in a fixed order, so the same (scale, seed)
gives byte-identical files. Names of people, organizations and places below the region are
invented (see `names.py`); countries and regions are real.
"""

import random
from dataclasses import dataclass
from pathlib import Path

from service.generate.actors import ARMED, ActorBuilder
from service.generate.alliances import AllianceBuilder
from service.generate.events import Events
from service.generate.geo import GeoIndex, PlaceNames, build_territories
from service.generate.marks import Marker
from service.generate.model import World
from service.generate.orgs import build_organizations, build_sources, mark_organizations
from service.generate.output import IdBook, write_nodes, write_truth
from service.generate.ties import write_relationships
from service.generate.xref import NOISE, Duplicator, Noise

__all__ = ["write_dataset"]


@dataclass(frozen=True, slots=True)
class Sizes:
    """Records to draw. Per unit of scale there are about 1,000 nodes in the files (re-recorded
    defenders, incidents and cases come on top of `defenders`, `incidents` and `cases`) and
    about ten relationships per node."""

    territories: int
    regions: int
    organizations: int
    sources: int
    actors: int
    defenders: int
    incidents: int
    cases: int

    @classmethod
    def at(cls, scale: float) -> "Sizes":
        def n(per_unit: int, least: int) -> int:
            return max(least, round(per_unit * scale))

        return cls(
            n(90, 20), n(12, 5), n(50, 15), n(40, 6), n(180, 20), n(130, 10), n(300, 20), n(80, 5)
        )


@dataclass(slots=True)
class _Built:
    world: World
    rng: random.Random
    marker: Marker
    geo: GeoIndex


def _heat_up(world: World) -> None:
    # Where armed groups claim land or companies hold concessions, conflict concentrates.
    t = world.territories
    for tie in world.presence:
        if tie.type in ("CONTROLS", "DISPUTES") and world.actors[tie.source].kind in ARMED:
            t[tie.target].heat += 1.5
            if t[tie.target].kind == "community":
                t[t[tie.target].parent].heat += 0.5
        elif tie.type == "HAS_INTEREST_IN":
            t[tie.target].heat += 0.5


def _mark_places_and_actors(world: World, marker: Marker) -> None:
    for t in world.territories:
        t.marks = marker.marks("place", marker.researcher(t.country), 0.3)
    for a in world.actors:
        a.marks = marker.marks("public" if a.public else "open", marker.researcher(a.country))


def _build(size: Sizes, seed: int, noise: Noise) -> _Built:
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data, not security
    names = PlaceNames(rng)
    world = World(territories=build_territories(rng, names, size.territories, size.regions))
    geo = GeoIndex.of(world.territories)
    actors = ActorBuilder(rng, names, world.territories, geo)
    world.actors = actors.build(size.actors)
    world.presence = actors.presence
    _heat_up(world)
    world.organizations = build_organizations(
        rng, names, world.territories, geo, size.organizations
    )
    marker = Marker(rng, world.organizations, size.sources)
    mark_organizations(world.organizations, marker)
    world.sources = build_sources(rng, world.territories, geo, marker, size.sources)
    alliances = AllianceBuilder(rng, world.actors, world.territories, geo, world.presence)
    alliances.build(world.organizations)
    world.actor_ties, world.actor_org_funds = alliances.ties, alliances.org_funds
    _mark_places_and_actors(world, marker)
    events = Events(rng, marker, world.territories, geo, world.organizations, world.actors)
    events.index_actors(world.presence, world.actor_ties)
    events.build_defenders(size.defenders)
    events.build_incidents(size.incidents)
    events.build_cases(size.cases)
    duplicator = Duplicator(rng, events, marker, noise)
    duplicator.run(size.defenders)
    world.defenders, world.incidents, world.cases = events.defenders, events.incidents, events.cases
    world.truth, world.same_as = duplicator.truth, duplicator.same_as
    return _Built(world, rng, marker, geo)


def write_dataset(
    out: Path, scale: float = 1.0, seed: int = 2017, noise: str = "standard"
) -> dict[str, int]:
    """Write a synthetic dataset in the interchange format to the folder `out` (created if
    missing; files in it are overwritten) and return the number of rows per file.

    About 1,000 nodes and 10,000 relationships per unit of `scale`, plus `xref_truth.csv`: the
    pairs of records (Defender, Incident, Case) that different holders made of the same thing.
    `noise` (a key of NOISE) says how differently those holders recorded it.
    """
    if scale <= 0:
        raise ValueError(f"scale must be positive, got {scale}")
    built = _build(Sizes.at(scale), seed, NOISE[noise])
    out.mkdir(parents=True, exist_ok=True)
    book = IdBook(built.world, built.rng)
    counts = write_nodes(out, built.world, book)
    counts["relationships.csv"] = write_relationships(
        out / "relationships.csv", built.rng, built.marker, built.world, built.geo, book
    )
    counts["xref_truth.csv"] = write_truth(out, built.world, book)
    return counts
