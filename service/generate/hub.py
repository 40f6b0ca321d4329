"""The `hub` profile: one actor tied to nearly everything, the shape that breaks searches.

Real networks have a power-law tail: one armed group or one ministry with hundreds of ties. A
search that expands whole neighbourhoods pulls the whole graph through such a hub. The hub is
the first organized-crime actor (else the first actor); it colludes with or funds every other
actor it is not yet tied to and operates in every territory, so that at --scale 3 (about 3,000
nodes) it has 750+ ties. It draws from its own random generator, so the standard profile's
files stay the same byte for byte.
"""

from __future__ import annotations

import random

from service.generate.alliances import _amount
from service.generate.model import ActorTie, World

PROFILES = ("standard", "hub")
MODES = ("protection", "information", "joint_operation", "bribery", "impunity")


def add_hub(world: World, seed: int) -> int:
    """Tie the hub to every actor and territory it does not yet touch; returns its index."""
    rng = random.Random(f"hub-{seed}")  # noqa: S311 - reproducible synthetic data
    kinds = [a.kind for a in world.actors]
    hub = kinds.index("organized_crime") if "organized_crime" in kinds else 0
    touched = {t.target for t in world.actor_ties if t.source == hub}
    touched |= {t.source for t in world.actor_ties if t.target == hub}
    for other in range(len(world.actors)):
        if other == hub or other in touched:
            continue
        if rng.random() < 0.7:
            tie = ActorTie("COLLUDES_WITH", hub, other, rng.choice(MODES))
        else:
            tie = ActorTie("FUNDS", hub, other, _amount(rng))
        world.actor_ties.append(tie)
    present = {t.target for t in world.presence if t.source == hub}
    for place in range(len(world.territories)):
        if place not in present:
            world.presence.append(ActorTie("OPERATES_IN", hub, place))
    return hub
