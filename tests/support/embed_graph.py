"""A small hand-built graph for the embed tests (tokens, views, routes, CLI), and helpers.

org-a owns an AMBER actor (A) and a RED one (S); org-b owns a RED one (R). Covert ties between
state (P, J) and non-state actors make the collusion network of the region ter-r; the tie J-K
ends on 2025-06-30, so it is drawn on 2025-01-01 and gone on 2026-01-01. A GREEN defender's name
is AMBER (name_acl), and she works in a community: a GREEN-capped view never places her there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from service.access import Tlp
from service.config import Settings
from service.embed.tokens import NewEmbed, create_embed
from service.store import Store
from tests.support.tables import load_rows

BEFORE = dt.date(2025, 1, 1)  # J-K still holds
AFTER = dt.date(2026, 1, 1)  # J-K has ended
PSEUDONYM, NAME = "Defensora Roble", "Nombre Inventado Uno"


def row(**values: str) -> dict[str, str]:
    return {"tlp": "GREEN", "owner": "org-a", **values}


def actor(id_: str, sector: str, kind: str, **values: str) -> dict[str, str]:
    return row(id=id_, name=f"Actor {id_}", sector=sector, kind=kind, **values)


GRAPH: dict[str, list[dict[str, str]]] = {
    "organizations": [
        {"id": o, "name": f"Org {o}", "kind": "ngo", "tlp": "GREEN", "owner": o}
        for o in ("org-a", "org-b")
    ],
    "sources": [
        row(
            id="src-1",
            kind="media_article",
            title="Nota de prensa",
            date="2024-05-01",
            reliability="B",
            credibility="2",
        )
    ],
    "territories": [
        row(id="ter-r", name="Región", kind="region"),
        row(id="ter-v", name="Comunidad", kind="community", parent_id="ter-r"),
    ],
    "actors": [
        actor("P", "state", "police", public="true"),
        actor("J", "state", "judiciary", public="true"),
        actor("B", "non_state", "corporation"),
        actor("C", "non_state", "organized_crime"),
        actor("K", "non_state", "organized_crime"),
        actor("A", "non_state", "paramilitary", tlp="AMBER"),  # org-a's AMBER
        actor("S", "non_state", "paramilitary", tlp="RED"),  # org-a's RED
        actor("R", "non_state", "paramilitary", tlp="RED", owner="org-b"),  # org-b's RED
    ],
    "defenders": [row(id="D", pseudonym=PSEUDONYM, name=NAME)],
    "relationships": [
        row(
            id="t-bp",
            type="COLLUDES_WITH",
            from_id="B",
            to_id="P",
            confidence="0.8",
            mode="bribery",
            sources="src-1",
            credibility="3",
        ),
        row(
            id="t-bc",
            type="COLLUDES_WITH",
            from_id="B",
            to_id="C",
            confidence="0.9",
            mode="protection",
        ),
        row(
            id="t-jk",
            type="COLLUDES_WITH",
            from_id="J",
            to_id="K",
            confidence="0.6",
            mode="information",
            valid_from="2020-01-01",
            valid_to="2025-06-30",
        ),
        row(id="t-ck", type="ALLIED_WITH", from_id="C", to_id="K", confidence="0.7"),
        row(
            id="t-ap",
            type="COLLUDES_WITH",
            from_id="A",
            to_id="P",
            confidence="0.7",
            mode="protection",
            tlp="AMBER",
        ),
        row(
            id="t-sj",
            type="COLLUDES_WITH",
            from_id="S",
            to_id="J",
            confidence="0.9",
            mode="impunity",
            tlp="RED",
        ),
        row(
            id="t-rp",
            type="COLLUDES_WITH",
            from_id="R",
            to_id="P",
            confidence="1.0",
            mode="joint_operation",
            tlp="RED",
            owner="org-b",
        ),
        row(id="op-p", type="OPERATES_IN", from_id="P", to_id="ter-v"),
        row(id="op-b", type="OPERATES_IN", from_id="B", to_id="ter-v"),
        row(id="op-c", type="OPERATES_IN", from_id="C", to_id="ter-v"),
        row(id="op-j", type="OPERATES_IN", from_id="J", to_id="ter-r"),
        row(id="op-k", type="OPERATES_IN", from_id="K", to_id="ter-r"),
        row(id="op-a", type="OPERATES_IN", from_id="A", to_id="ter-r", tlp="AMBER"),
        row(id="op-s", type="OPERATES_IN", from_id="S", to_id="ter-r", tlp="RED"),
        row(id="op-r", type="OPERATES_IN", from_id="R", to_id="ter-r", tlp="RED", owner="org-b"),
        row(id="op-d", type="OPERATES_IN", from_id="D", to_id="ter-v"),
    ],
}
# Never in anything org-a's tokens show, whatever the cap.
OTHER_ORGS_RED = {"R", "t-rp", "op-r"}


async def load_graph(store: Store) -> Store:
    await load_rows(store, **GRAPH)
    return store


async def make_embed(
    store: Store,
    settings: Settings,
    view: str,
    params: Mapping[str, str],
    max_tlp: Tlp = Tlp.GREEN,
    org: str = "org-a",
    **options: Any,
) -> NewEmbed:
    """A token as an admin of `org` cleared for RED would create it."""
    return await create_embed(
        store,
        settings,
        org,
        view,
        params,
        creator_clearance=Tlp.RED,
        created_by="test",
        max_tlp=max_tlp,
        **options,
    )


def ids(view: Mapping[str, Any]) -> set[str]:
    """Every node and edge id in a GraphView."""
    return {n["id"] for n in view["nodes"]} | {e["id"] for e in view["edges"]}
