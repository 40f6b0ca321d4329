"""A small world for the tests of changes, trends, impunity, watches and warnings (issue 17).

org-a watches; org-b holds what org-a may not see: a RED actor, a RED collusion tie, an AMBER
defender and a RED incident, all in the same municipality. Any of their ids, names or
pseudonyms in what org-a reads is a leak.
"""

from __future__ import annotations

from typing import Any

from service.store import Store
from tests.support.tables import load_rows


def _rec(record_id: str, owner: str = "org-a", tlp: str = "GREEN", **values: Any) -> dict[str, Any]:
    return {"id": record_id, "tlp": tlp, "owner": owner, **values}


def _rel(
    rel_id: str,
    rel_type: str,
    start: str,
    end: str,
    owner: str = "org-a",
    tlp: str = "GREEN",
    **values: Any,
) -> dict[str, Any]:
    return {
        "id": rel_id,
        "type": rel_type,
        "from_id": start,
        "to_id": end,
        "tlp": tlp,
        "owner": owner,
        **values,
    }


HIDDEN = {
    "act-hidden": "Grupo Oculto Sombra",
    "def-hidden": "Defensora Escondida",
    "inc-hidden": "",
    "rel-hidden-collusion": "",
    "rel-hidden-control": "",
    "rel-hidden-target": "",
}

WORLD: dict[str, list[dict[str, Any]]] = {
    "organizations": [
        _rec("org-a", name="Colectivo Aurora", kind="ngo"),
        _rec("org-b", owner="org-b", name="Red Boreal", kind="ngo"),
    ],
    "territories": [
        _rec("ter-r", name="Región Norte", kind="region"),
        _rec("ter-m", name="Municipio Alto", kind="municipality", parent_id="ter-r"),
    ],
    "actors": [
        _rec(
            "act-police",
            name="Policía Municipal Alto",
            sector="state",
            kind="police",
            public="true",
        ),
        _rec("act-cartel", name="Cártel del Valle", sector="non_state", kind="organized_crime"),
        _rec(
            "act-hidden",
            owner="org-b",
            tlp="RED",
            name=HIDDEN["act-hidden"],
            sector="non_state",
            kind="paramilitary",
        ),
    ],
    "defenders": [
        _rec("def-1", pseudonym="Ceiba", name="Nombre Inventado Ceiba", status="active"),
        _rec(
            "def-hidden",
            owner="org-b",
            tlp="AMBER",
            pseudonym=HIDDEN["def-hidden"],
            name="Nombre Oculto",
        ),
    ],
    "incidents": [
        _rec("inc-old", kind="threat", date="2023-11-10", severity="2", territory_id="ter-m"),
        _rec(
            "inc-hidden",
            owner="org-b",
            tlp="RED",
            kind="attack",
            date="2024-03-15",
            severity="4",
            territory_id="ter-m",
        ),
    ],
    "cases": [
        _rec(
            "case-1",
            reference="CA-2024-001",
            holder_id="org-a",
            opened="2023-11-20",
            reported_on="2023-11-20",
            investigated_on="2024-01-15",
        ),
    ],
    "relationships": [
        _rel(
            "rel-cartel-controls",
            "CONTROLS",
            "act-cartel",
            "ter-m",
            degree="0.8",
            valid_from="2020-01-01",
        ),
        _rel("rel-police-operates", "OPERATES_IN", "act-police", "ter-m"),
        _rel("rel-def-operates", "OPERATES_IN", "def-1", "ter-m"),
        _rel("rel-supports", "SUPPORTS", "org-a", "def-1", kind="accompaniment"),
        _rel("rel-old-threat", "PERPETRATED_BY", "inc-old", "act-cartel", attribution="alleged"),
        _rel("rel-old-target", "TARGETED", "inc-old", "def-1"),
        _rel("rel-case-documents", "DOCUMENTS", "case-1", "inc-old"),
        _rel(
            "rel-hidden-control",
            "CONTROLS",
            "act-hidden",
            "ter-m",
            owner="org-b",
            tlp="RED",
            valid_from="2024-02-01",
        ),
        _rel("rel-hidden-target", "TARGETED", "inc-hidden", "def-hidden", owner="org-b", tlp="RED"),
        _rel(
            "rel-hidden-perp",
            "PERPETRATED_BY",
            "inc-hidden",
            "act-hidden",
            owner="org-b",
            tlp="RED",
        ),
        _rel(
            "rel-def-hidden-operates",
            "OPERATES_IN",
            "def-hidden",
            "ter-m",
            owner="org-b",
            tlp="AMBER",
        ),
    ],
}

# Changes between these two days: a covert tie starts, the hidden ones too.
ESCALATION_TIES = [
    _rel(
        "rel-collusion",
        "COLLUDES_WITH",
        "act-cartel",
        "act-police",
        mode="protection",
        valid_from="2024-03-01",
    ),
    _rel(
        "rel-hidden-collusion",
        "COLLUDES_WITH",
        "act-hidden",
        "act-police",
        owner="org-b",
        tlp="RED",
        valid_from="2024-03-02",
    ),
]


async def load_world(store: Store, with_escalation: bool = True) -> None:
    rows = {**WORLD}
    if with_escalation:
        rows["relationships"] = [*WORLD["relationships"], *ESCALATION_TIES]
    await load_rows(store, **rows)


def leaks(payload: object) -> list[str]:
    """The hidden ids and names found anywhere in `payload` (its repr)."""
    text = repr(payload)
    return [k for k, name in HIDDEN.items() if k in text or (name and name in text)]
