"""`tejido export`: a view, as an organization sees it up to a marking, written for Gephi
(GraphML, GEXF, through networkx's writers), for scripts (the GraphView JSON) or for
spreadsheets (CSV: a folder with nodes.csv and edges.csv)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from service.access import Role, Tlp, Viewer, admitted_networks
from service.embed.tokens import check_cap
from service.embed.views import build_view, check_params, view_json
from service.errors import InvalidInput, Problem
from service.i18n import _
from service.i18n.model_labels import names_no
from service.store import Store

FORMATS = ("graphml", "gexf", "json", "csv")
NODE_COLUMNS = ("id", "label", "name", "group", "kind", "sector", "score", "tlp")
EDGE_COLUMNS = ("id", "source", "target", "type", "confidence", "attribution", "dashed", "tlp")


async def organization_viewer(store: Store, org: str, max_tlp: Tlp) -> Viewer:
    """A reader of `org` cleared up to `max_tlp`, with its networks, as an embed would see."""
    rows = await store.operator_read("organization_networks", org=org)
    if not rows:
        raise InvalidInput([Problem("export", None, "org", names_no(org, "Organization"))])
    return Viewer(org, Role.READER, max_tlp, admitted_networks(rows[0]["memberships"]))


def _attribute(value: Any) -> str | float | bool:
    """GraphML and GEXF take one scalar type per attribute: lists are joined, None is ''."""
    if isinstance(value, bool | float):
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


def to_networkx(view: Mapping[str, Any]) -> nx.MultiDiGraph[str]:
    """The GraphView as a directed multigraph (two records may be tied more than once).

    GEXF reserves an element's `label` (what Gephi shows) and an edge's `type`, so here a node's
    label is its name, its record label is `record_type`, and an edge's type is `relationship`;
    every edge keeps its `id`."""
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph(name=view["view"])
    for node in view["nodes"]:
        attributes = {k: _attribute(v) for k, v in node.items() if k not in ("id", "label")}
        graph.add_node(node["id"], label=node["name"], record_type=node["label"], **attributes)
    for edge in view["edges"]:
        attributes = {
            k: _attribute(v) for k, v in edge.items() if k not in ("source", "target", "type")
        }
        graph.add_edge(
            edge["source"], edge["target"], key=edge["id"], relationship=edge["type"], **attributes
        )
    return graph


def _write_csv(path: Path, columns: tuple[str, ...], rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def write_view(view: Mapping[str, Any], fmt: str, out: Path) -> list[Path]:
    """Write the view in `fmt` to `out` (a folder for csv); returns the files written."""
    if fmt == "graphml":
        nx.write_graphml(to_networkx(view), out)
    elif fmt == "gexf":
        nx.write_gexf(to_networkx(view), out)
    elif fmt == "json":
        out.write_text(json.dumps(view, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    elif fmt == "csv":
        out.mkdir(parents=True, exist_ok=True)
        _write_csv(out / "nodes.csv", NODE_COLUMNS, view["nodes"])
        _write_csv(out / "edges.csv", EDGE_COLUMNS, view["edges"])
        return [out / "nodes.csv", out / "edges.csv"]
    else:
        raise InvalidInput(
            [
                Problem(
                    "export",
                    None,
                    "format",
                    _("{value} is not one of {allowed}", value=repr(fmt), allowed=FORMATS),
                )
            ]
        )
    return [out]


async def export_view(
    store: Store,
    org: str,
    view: str,
    params: Mapping[str, str],
    max_tlp: Tlp,
    as_of: dt.date,
) -> dict[str, Any]:
    """The GraphView JSON of a view as `org` sees it at or below `max_tlp`."""
    check_cap(max_tlp)
    checked = check_params(view, params)
    viewer = await organization_viewer(store, org, max_tlp)
    graph = await build_view(store, view, checked, viewer, as_of)
    return view_json(graph, view, checked, as_of, max_tlp)
