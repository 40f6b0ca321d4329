"""Embeddable views: a view's name, its parameters, a viewer and a date -> the GraphView JSON
that the embed page, the /views endpoint and `tejido export` share (docs/embedding.md).

Every view is computed from what the viewer may see (the analytics and the reads check access
inside the Cypher); its nodes are then read through `records_by_ids` and its relationships
through `links_of_many`, the statements the API uses, so names, pseudonyms and the rule that
keeps a pseudonymous defender away from villages hold here exactly as they do there.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from service.access import Tlp, Viewer
from service.analytics.cache import cached
from service.analytics.collusion import collusion_network
from service.analytics.describe import display_name
from service.analytics.influence_paths import expand, influence_paths
from service.analytics.power_map import power_map
from service.analytics.sentences import sentence
from service.errors import InvalidInput, Problem
from service.i18n import _
from service.model import INTERNAL, load_model
from service.store import Row, Store

MAX_PATHS = 10
MAX_HOPS = 3
MAX_NODES = 2_000  # a view larger than this is unreadable in a page: narrow it
LINKS_PER_RECORD = 100_000
PATH_HOPS = 4  # the longest influence path a `paths` view looks for
# How a power map sizes an actor: hidden power first (docs/methodology.md).
POWER_SCORE = {"HIDDEN": 1.0, "INVISIBLE": 0.7, "VISIBLE": 0.4, "UNCLASSIFIED": 0.2}
DASHED_ATTRIBUTIONS = frozenset({"alleged", "suspected"})
LOW_CONFIDENCE = 0.5
_RECORD_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,99}")


def _record_id(value: str) -> str:
    if not _RECORD_ID.fullmatch(value):
        raise ValueError(
            _("{value} is not a record id (letters, digits, '.', '_', ':', '-')", value=repr(value))
        )
    return value


def _whole_number(low: int, high: int) -> Callable[[str], str]:
    def check(value: str) -> str:
        try:
            number = int(value)
        except ValueError:
            raise ValueError(_("{value} is not a whole number", value=repr(value))) from None
        if not low <= number <= high:
            raise ValueError(
                _(
                    "must be between {low} and {high}, not {number}",
                    low=low,
                    high=high,
                    number=number,
                )
            )
        return str(number)

    return check


def _relationship_types(value: str) -> str:
    names = sorted({name.strip() for name in value.split(",") if name.strip()})
    known = load_model().relationship_types
    unknown = [name for name in names if name not in known]
    if unknown:
        raise ValueError(
            _(
                "unknown relationship types {unknown}; known: {known}",
                unknown=unknown,
                known=", ".join(sorted(known)),
            )
        )
    return ",".join(names)


@dataclass(frozen=True)
class ParamSpec:
    check: Callable[[str], str]
    default: str | None = None  # None: required


PARAMS: dict[str, dict[str, ParamSpec]] = {
    "collusion": {"territory": ParamSpec(_record_id)},
    "paths": {
        "from": ParamSpec(_record_id),
        "to": ParamSpec(_record_id),
        "k": ParamSpec(_whole_number(1, MAX_PATHS), "3"),
    },
    "neighbourhood": {
        "id": ParamSpec(_record_id),
        "hops": ParamSpec(_whole_number(1, MAX_HOPS), "1"),
        "types": ParamSpec(_relationship_types, ""),
    },
    "powermap": {"territory": ParamSpec(_record_id)},
}
VIEWS = tuple(PARAMS)


def check_params(view: str, params: Mapping[str, str]) -> dict[str, str]:
    """The view's parameters with defaults filled in, or InvalidInput naming each bad one."""
    if view not in PARAMS:
        raise InvalidInput(
            [
                Problem(
                    "embed",
                    None,
                    "view",
                    _("{value} is not one of {allowed}", value=repr(view), allowed=VIEWS),
                )
            ]
        )
    spec = PARAMS[view]
    problems = [
        Problem(
            "embed",
            None,
            f"params.{name}",
            _(
                "{view} takes no {name} (only {known})",
                view=view,
                name=repr(name),
                known=list(spec),
            ),
        )
        for name in sorted(set(params) - set(spec))
    ]
    checked: dict[str, str] = {}
    for name, param in spec.items():
        value = str(params.get(name) or "").strip() or param.default
        if value is None:
            problems.append(
                Problem(
                    "embed",
                    None,
                    f"params.{name}",
                    _("{view} needs {name}", view=view, name=repr(name)),
                )
            )
            continue
        try:
            checked[name] = param.check(value) if value else value
        except ValueError as exc:
            problems.append(Problem("embed", None, f"params.{name}", str(exc)))
    if view == "paths" and checked.get("from") and checked.get("from") == checked.get("to"):
        problems.append(Problem("embed", None, "params.to", _("must differ from 'from'")))
    if problems:
        raise InvalidInput(problems)
    return checked


@dataclass(frozen=True)
class ViewGraph:
    """What a view shows: records the viewer may see and the relationships among them."""

    nodes: dict[str, Row]  # id -> {label, record} as records_by_ids returns them
    edges: dict[str, Row]  # id -> relationship properties with source, target and type
    scores: dict[str, float] = field(default_factory=dict)  # node id -> 0..1, for sizing
    extra: dict[str, dict[str, Any]] = field(default_factory=dict)  # node id -> view's own fields
    # The records the parameters name (a power map's territory), by the name the viewer may
    # read: titles say "Región del Valle", not its id, even when it is not drawn.
    named: dict[str, str] = field(default_factory=dict)


def _oriented(asked: str, link: Row) -> Row:
    """A link of `asked` (links_of_many) as a relationship from its start to its end."""
    other = link["other_id"]
    start, end = (asked, other) if link["direction"] == "OUT" else (other, asked)
    kept = {k: v for k, v in link.items() if k in _published_fields(link["type"])}
    return {**kept, "source": start, "target": end}


# What a view may say of a relationship beyond what the model declares: the fields reads compute.
_COMPUTED_LINK_FIELDS = frozenset({"type", "corroboration", "derived", "created_at", "updated_at"})


def _published_fields(rel_type: str) -> frozenset[str]:
    """The model's fields of `rel_type`, and the computed ones: what a stored relationship holds
    beyond them (a judgement's key and note, the holders' tokens) is never published."""
    model = load_model()
    declared = model.relationship_types.get(rel_type)
    own = declared.properties if declared else {}
    return frozenset({*model.relationship_common, *own}) - INTERNAL | _COMPUTED_LINK_FIELDS


async def _relationships(
    store: Store, viewer: Viewer, as_of: str, node_ids: Iterable[str], wanted: set[str]
) -> dict[str, Row]:
    """The relationships with ids in `wanted` that leave `node_ids`, as the viewer sees them."""
    ids = sorted(set(node_ids))
    if not ids or not wanted:
        return {}
    rows = await store.read(
        "links_of_many",
        ids=ids,
        types=[],
        direction="OUT",
        as_of=as_of,
        offset=0,
        first=LINKS_PER_RECORD,
        **viewer.params(),
    )
    return {
        link["id"]: _oriented(row["source"], link)
        for row in rows
        for link in row["links"]
        if link["id"] in wanted
    }


async def _view_graph(
    store: Store,
    viewer: Viewer,
    node_ids: Iterable[str],
    edges: dict[str, Row],
    scores: dict[str, float],
    extra: dict[str, dict[str, Any]] | None = None,
) -> ViewGraph:
    """Read the nodes as the viewer sees them; keep only edges whose ends both came back."""
    records = await store.read("records_by_ids", ids=sorted(set(node_ids)), **viewer.params())
    nodes = {row["record"]["id"]: row for row in records}
    kept = {i: e for i, e in edges.items() if e["source"] in nodes and e["target"] in nodes}
    return ViewGraph(nodes, kept, {n: scores.get(n, 0.0) for n in nodes}, extra or {})


def _scaled(values: Mapping[str, float]) -> dict[str, float]:
    top = max(values.values(), default=0.0)
    return {k: round(v / top, 6) if top > 0 else 0.0 for k, v in values.items()}


async def _collusion(store: Store, viewer: Viewer, params: dict[str, str], day: str) -> ViewGraph:
    view = await collusion_network(store, viewer, params["territory"], day)
    brokers = set(view.brokers)
    extra = {n.id: {"community": n.group, "broker": n.id in brokers} for n in view.nodes}
    ids = [n.id for n in view.nodes]
    edges = await _relationships(store, viewer, day, ids, {e.id for e in view.edges})
    scores = _scaled({n.id: n.score for n in view.nodes})
    return await _view_graph(store, viewer, ids, edges, scores, extra)


async def _paths(store: Store, viewer: Viewer, params: dict[str, str], day: str) -> ViewGraph:
    found = await influence_paths(
        store, viewer, params["from"], params["to"], day, max_hops=PATH_HOPS, first=int(params["k"])
    )
    strength: dict[str, float] = {params["from"]: 0.0, params["to"]: 0.0}
    for path in found:
        for hop in path.hops:
            for end in (hop.start, hop.end):
                strength[end] = max(strength.get(end, 0.0), path.strength)
    wanted = {hop.id for path in found for hop in path.hops}
    edges = await _relationships(store, viewer, day, strength, wanted)
    return await _view_graph(store, viewer, strength, edges, _scaled(strength))


async def _neighbourhood(
    store: Store, viewer: Viewer, params: dict[str, str], day: str
) -> ViewGraph:
    """Ring by ring through `links_of_many` (one statement per hop, as influence paths do), not
    a statement of its own: that statement also keeps a pseudonymous defender away from
    villages, a rule that must live in one place. A variable-length pattern would cost FalkorDB
    more with a types filter, and would have to repeat the rule."""
    types = [t for t in params["types"].split(",") if t]
    center, hops = params["id"], int(params["hops"])
    links = await expand(store, viewer, center, hops, types, day, field="params.hops")
    edges = {i: _oriented(link["source"], link) for i, link in links.items()}
    degree = Counter(end for e in edges.values() for end in (e["source"], e["target"]))
    if len(degree) > MAX_NODES:
        problem = _(
            "{count} records within {hops} hops, more than {most}: narrow it",
            count=len(degree),
            hops=hops,
            most=MAX_NODES,
        )
        raise InvalidInput([Problem("embed", None, "params.hops", problem)])
    ids = {center, *degree}
    return await _view_graph(store, viewer, ids, edges, _scaled({n: degree[n] for n in ids}))


async def _powermap(store: Store, viewer: Viewer, params: dict[str, str], day: str) -> ViewGraph:
    found = await power_map(store, viewer, params["territory"], dt.date.fromisoformat(day))
    ids = [a.actor for a in found.actors]
    extra = {
        a.actor: {"power": a.power, "powers": list(a.powers), "reasons": a.reasons}
        for a in found.actors
    }
    edges = await _relationships(store, viewer, day, ids, {t["id"] for t in found.ties})
    scores = {a.actor: POWER_SCORE[a.power] for a in found.actors}
    return await _view_graph(store, viewer, ids, edges, scores, extra)


BUILDERS = {
    "collusion": _collusion,
    "paths": _paths,
    "neighbourhood": _neighbourhood,
    "powermap": _powermap,
}


async def build_view(
    store: Store, view: str, params: Mapping[str, str], viewer: Viewer, as_of: dt.date
) -> ViewGraph:
    """The view as `viewer` may see it on `as_of` (params are checked here too)."""
    checked = check_params(view, params)
    question = ("embed_view", view, tuple(sorted(checked.items())), as_of.isoformat())
    graph = await cached(  # a page's clicks on elements ask for the same view again
        store, viewer, question, lambda: _built(store, viewer, view, checked, as_of.isoformat())
    )
    if len(graph.nodes) > MAX_NODES:
        problem = _(
            "{count} records, more than {most}: narrow the view",
            count=len(graph.nodes),
            most=MAX_NODES,
        )
        raise InvalidInput([Problem("embed", None, "params", problem)])
    return graph


async def _built(
    store: Store, viewer: Viewer, view: str, params: dict[str, str], day: str
) -> ViewGraph:
    graph = await BUILDERS[view](store, viewer, params, day)
    ids = sorted({v for k, v in params.items() if PARAMS[view][k].check is _record_id})
    rows = await store.read("records_by_ids", ids=ids, **viewer.params()) if ids else []
    named = {r["record"]["id"]: display_name(r["label"], r["record"]) or "" for r in rows}
    return replace(graph, named=named)


def _extra_json(extra: dict[str, Any]) -> dict[str, Any]:
    """A view's own fields; a power map's reasons as sentences in the current language (the
    view is cached for every language) with their codes, as the API gives them."""
    reasons = extra.get("reasons")
    if reasons is None:
        return extra
    return {
        **extra,
        "reasons": [sentence(r) for r in reasons],
        "reasonCodes": [r.code for r in reasons],
    }


def _node_json(graph: ViewGraph, node_id: str) -> dict[str, Any]:
    label, record = graph.nodes[node_id]["label"], graph.nodes[node_id]["record"]
    sector = record.get("sector") if label == "Actor" else None
    return {
        "id": node_id,
        "label": label,
        "name": record.get("name") or node_id,
        "group": (sector or record.get("kind") or label) if label == "Actor" else label,
        "kind": record.get("kind"),
        "sector": sector,
        "score": graph.scores.get(node_id, 0.0),
        "tlp": record.get("tlp"),
        **_extra_json(graph.extra.get(node_id, {})),
    }


def _edge_json(edge: Row) -> dict[str, Any]:
    confidence = float(edge.get("confidence") or 0.0)
    attribution = edge.get("attribution")
    return {
        "id": edge["id"],
        "source": edge["source"],
        "target": edge["target"],
        "type": edge["type"],
        "confidence": confidence,
        "attribution": attribution,
        "dashed": attribution in DASHED_ATTRIBUTIONS or confidence < LOW_CONFIDENCE,
        "tlp": edge.get("tlp"),
    }


def _new_since(day: str | None, since: dt.date | None, as_of: dt.date) -> bool:
    """Whether something dated `day` happened after `since`, up to `as_of` ("since" mode)."""
    return since is not None and day is not None and since.isoformat() < day <= as_of.isoformat()


def view_json(
    graph: ViewGraph,
    view: str,
    params: Mapping[str, str],
    as_of: dt.date,
    max_tlp: Tlp | None,
    since: dt.date | None = None,
) -> dict[str, Any]:
    """The GraphView JSON of the embed contract (docs/embedding.md). With `since`, every node
    and edge says whether it is `new` between `since` and `as_of`: a tie that began, an
    incident that happened (docs/warnings.md)."""

    def node_is_new(node_id: str) -> bool:  # an incident that happened in the window
        node = graph.nodes[node_id]
        return node["label"] == "Incident" and _new_since(node["record"].get("date"), since, as_of)

    nodes = [{**_node_json(graph, n), "new": node_is_new(n)} for n in sorted(graph.nodes)]
    edges = [
        {
            **_edge_json(graph.edges[e]),
            "new": _new_since(graph.edges[e].get("valid_from"), since, as_of),
        }
        for e in sorted(graph.edges)
    ]
    return {
        "view": view,
        "params": dict(params),
        "asOf": as_of.isoformat(),
        "since": since.isoformat() if since else None,
        "names": {i: name for i, name in graph.named.items() if name},
        "maxTlp": max_tlp.value if max_tlp else None,
        "nodes": nodes,
        "edges": edges,
        "legend": {
            "groups": sorted({str(n["group"]) for n in nodes}),
            "types": sorted({e["type"] for e in edges}),
        },
        "dates": _dates(graph.edges.values()),
        # The page draws these without arrowheads: the model's list, not a copy in the page.
        "symmetricTypes": load_model().symmetric_types,
    }


def _dates(edges: Iterable[Row]) -> dict[str, str | None]:
    """The span of the edges' validity, for the page's time slider (null where open)."""
    days = [d for e in edges for d in (e.get("valid_from"), e.get("valid_to")) if d]
    return {"min": min(days, default=None), "max": max(days, default=None)}


async def _evidence(
    store: Store, viewer: Viewer, sources: Iterable[str], claim_credibility: str | None
) -> list[dict[str, Any]]:
    """The sources behind a record or relationship that the viewer may see, with grades."""
    rows = await store.read("records_by_ids", ids=sorted(set(sources)), **viewer.params())
    evidence = []
    for row in rows:
        source = row["record"]
        reliability = source.get("reliability") or "F"
        credibility = claim_credibility or source.get("credibility") or "6"
        evidence.append(
            {
                "id": source["id"],
                "title": source.get("title"),
                "kind": source.get("kind"),
                "date": source.get("date"),
                "reliability": reliability,
                "credibility": credibility,
                "grade": f"{reliability}{credibility}",
            }
        )
    return evidence


async def element_json(
    store: Store, viewer: Viewer, graph: ViewGraph, element_id: str
) -> dict[str, Any] | None:
    """One node or edge of the view with its visible properties and evidence; None when the
    element is not in this view (an embed is never a way to look up any record)."""
    if element_id in graph.nodes:
        label, found = graph.nodes[element_id]["label"], graph.nodes[element_id]["record"]
        kind = "node"
    elif element_id in graph.edges:
        found, kind = graph.edges[element_id], "edge"
        label = found["type"]
    else:
        return None
    properties = {k: v for k, v in found.items() if k not in INTERNAL}
    credibility = found.get("credibility") if kind == "edge" else None
    evidence = await _evidence(store, viewer, found.get("sources") or [], credibility)
    return {
        "id": element_id,
        "label": label,
        "kind": kind,
        "properties": properties,
        "evidence": evidence,
    }
