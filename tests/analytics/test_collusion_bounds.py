"""The collusion view's cost is bounded by its size: networkx cannot be stopped once it runs, so
a view too large to compute in a request's time is refused before it starts, and a large one
estimates betweenness from a fixed sample of sources (the same answer every time)."""

from __future__ import annotations

import pytest

from service.analytics import collusion
from service.analytics.collusion import collusion_view
from service.analytics.projection import ActorNetwork
from service.errors import TooExpensive
from service.i18n import using


def _star(police: int, groups: int) -> ActorNetwork:
    """`police` state units each colluding with `groups` armed groups; unit 0 also with all."""
    actors = {
        f"p{i}": {"name": f"Unidad {i}", "sector": "state", "kind": "police", "public": True}
        for i in range(police)
    } | {
        f"g{j}": {
            "name": f"Grupo {j}",
            "sector": "non_state",
            "kind": "armed_group",
            "public": False,
        }
        for j in range(groups * police)
    }
    ties = [
        {
            "id": f"t{i}-{j}",
            "type": "COLLUDES_WITH",
            "source": f"p{i}",
            "target": f"g{i * groups + j}",
            "confidence": 0.8,
            "covert": True,
        }
        for i in range(police)
        for j in range(groups)
    ] + [
        {
            "id": f"h{j}",
            "type": "COLLUDES_WITH",
            "source": "p0",
            "target": f"g{j}",
            "confidence": 0.9,
            "covert": True,
        }
        for j in range(groups, groups * police)
    ]
    return ActorNetwork(actors, ties)


def test_a_view_past_the_bound_is_refused_in_the_readers_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    network = _star(police=4, groups=5)  # 24 actors
    monkeypatch.setattr(collusion, "MAX_ACTORS", 23)
    with using("es"), pytest.raises(TooExpensive, match="pida un territorio"):
        collusion_view(network)
    monkeypatch.setattr(collusion, "MAX_ACTORS", 24)
    assert len(collusion_view(network).nodes) == 24


def test_sampled_betweenness_is_the_same_every_time_and_finds_the_broker(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    network = _star(police=6, groups=10)  # 66 actors
    exact = {n.id: n.score for n in collusion_view(network).nodes}
    monkeypatch.setattr(collusion, "EXACT_BETWEENNESS_ACTORS", 10)
    monkeypatch.setattr(collusion, "PIVOTS", 20)
    first = {n.id: n.score for n in collusion_view(network).nodes}
    assert first == {n.id: n.score for n in collusion_view(network).nodes}
    assert first != exact  # estimated, not computed exactly
    assert max(first, key=lambda a: first[a]) == max(exact, key=lambda a: exact[a]) == "p0"
