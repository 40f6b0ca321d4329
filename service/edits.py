"""Writes on behalf of a viewer: analysts change their own organization's records.

Every edit goes through the same validation as `tejido load` (service/ingest), with one
difference: references are looked up as the viewer sees the graph, so naming a record the
viewer may not see reads exactly like naming one that does not exist. New records get fresh
ids; an existing record can only be changed by its owner organization, and only if visible.

Who may call these at all (analysts and admins; admins for networks) is checked by the
GraphQL fields that call them, the only callers (service/api/permissions.py).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from service.access import Tlp, Viewer, record_acl
from service.errors import InvalidInput, Problem
from service.i18n import N_, _, gettext
from service.i18n.model_labels import names_no
from service.ingest.cells import format_cell
from service.ingest.load import load_tables
from service.ingest.validate import KnownRecord
from service.model import load_model
from service.placement import derive_place_access
from service.store import Row, Store


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:16]}"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


async def visible_records(store: Store, viewer: Viewer, ids: Iterable[str]) -> dict[str, Row]:
    rows = await store.read("records_by_ids", ids=sorted(set(ids)), **viewer.params())
    return {row["record"]["id"]: row for row in rows}


async def _write(store: Store, viewer: Viewer, **files: list[dict[str, Any]]) -> None:
    import pandas as pd

    async def lookup(ids: set[str]) -> dict[str, KnownRecord]:
        found = await visible_records(store, viewer, ids)
        return {
            i: KnownRecord(
                row["label"], row["record"].get("reliability"), row["record"].get("credibility")
            )
            for i, row in found.items()
        }

    tables = {
        f"{name}.csv": pd.DataFrame([{k: format_cell(v) for k, v in row.items()} for row in rows])
        for name, rows in files.items()
        if rows
    }
    await load_tables(store, tables, batch_size=1000, lookup=lookup)


async def _own(store: Store, viewer: Viewer, record_id: str, label: str) -> Row:
    """A record the viewer may see, of `label`, owned by the viewer's organization."""
    found = (await visible_records(store, viewer, [record_id])).get(record_id)
    if found is None or found["label"] != label:
        raise InvalidInput([Problem("input", None, "id", names_no(record_id, label))])
    if found["record"]["owner"] != viewer.org:
        raise InvalidInput(
            [Problem("input", None, "id", _("only your organization's own records can be changed"))]
        )
    return found


async def upsert(store: Store, viewer: Viewer, label: str, values: dict[str, Any]) -> str:
    """Create a record (no `id`) or change one of the viewer's organization; returns its id."""
    record_id = values.get("id")
    if record_id:
        await _own(store, viewer, record_id, label)
    else:
        record_id = new_id(load_model().labels[label].prefix)
    row = {**values, "id": record_id, "owner": viewer.org}
    await _write(store, viewer, **{load_model().labels[label].file.removesuffix(".csv"): [row]})
    return str(record_id)


def _relationship(
    kind: str, start: str, end: str, marking: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    return {"id": new_id("rel"), "type": kind, "from_id": start, "to_id": end, **marking, **extra}


async def record_incident(
    store: Store,
    viewer: Viewer,
    incident: dict[str, Any],
    perpetrators: list[tuple[str, str]],
    targets: list[str],
) -> str:
    """An incident with where it happened, who is said to be behind it (actor, attribution)
    and whom it targeted: all written, or nothing."""
    incident_id = new_id(load_model().labels["Incident"].prefix)
    marking = {k: incident.get(k) for k in ("tlp", "shared_with", "sources")} | {
        "owner": viewer.org
    }
    relationships = [
        _relationship("PERPETRATED_BY", incident_id, actor, marking, attribution=attribution)
        for actor, attribution in perpetrators
    ] + [_relationship("TARGETED", incident_id, target, marking) for target in targets]
    await _write(
        store,
        viewer,
        incidents=[{**incident, "id": incident_id, "owner": viewer.org}],
        relationships=relationships,
    )
    return incident_id


async def open_case(
    store: Store, viewer: Viewer, case: dict[str, Any], concerns: list[str], documents: list[str]
) -> str:
    """A case file held by the viewer's organization, about defenders or organizations and
    documenting incidents."""
    case_id = new_id(load_model().labels["Case"].prefix)
    marking = {k: case.get(k) for k in ("tlp", "shared_with", "sources")} | {"owner": viewer.org}
    relationships = [_relationship("CONCERNS", case_id, i, marking) for i in concerns]
    relationships += [_relationship("DOCUMENTS", case_id, i, marking) for i in documents]
    row = {**case, "id": case_id, "owner": viewer.org, "holder_id": viewer.org}
    await _write(store, viewer, cases=[row], relationships=relationships)
    return case_id


async def _refuse_authority(store: Store, viewer: Viewer, kind: str, start: str) -> None:
    """`link` writes data, never authority: a tie that confers access or standing is written
    only by whoever holds that authority (docs/access.md)."""
    rel = load_model().relationship_types.get(kind)
    if rel is None or rel.authority is None:
        return
    found = (await visible_records(store, viewer, [start])).get(start)
    if found is not None and rel.confers_authority(found["label"]):
        raise InvalidInput(
            [Problem("input", None, "type", gettext(_AUTHORITY_HINT[rel.authority.written_by]))]
        )


_AUTHORITY_HINT = {
    "network_admins": N_("a network admits organizations through admitToNetwork, not link"),
    "case_owner": N_("a case's holder is named by its owner when the case is opened, not by link"),
    "matching": N_("matches are proposed by cross-referencing and judged with confirmMatch"),
}


async def link(store: Store, viewer: Viewer, values: dict[str, Any]) -> str:
    """A typed relationship between two records the viewer may see; returns its id."""
    await _refuse_authority(store, viewer, str(values.get("type")), str(values.get("from_id")))
    row = {**values, "id": new_id("rel"), "owner": viewer.org}
    await _write(store, viewer, relationships=[row])
    return str(row["id"])


async def admit_to_network(
    store: Store, viewer: Viewer, organization: str, marking: dict[str, Any], role: str | None
) -> str:
    """The admins of a network admit an organization: a MEMBER_OF that the network owns, the
    only kind that gives the member the network's AMBER records (access.admitted_networks)."""
    await _require_network(store, viewer)
    row = {
        **marking,
        "id": new_id("rel"),
        "type": "MEMBER_OF",
        "from_id": organization,
        "to_id": viewer.org,
        "owner": viewer.org,
        "role": role,
    }
    await _write(store, viewer, relationships=[row])
    return str(row["id"])


async def remove_from_network(
    store: Store, viewer: Viewer, network: str, organization: str, on: dt.date
) -> int:
    """End an organization's membership of a network from `on` (it held until the day before):
    the network's admins remove a member, a member's admins leave. Returns how many admissions
    ended (0: none held)."""
    rows = await store.write(
        "end_membership",
        network=network,
        organization=organization,
        last_day=(on - dt.timedelta(days=1)).isoformat(),
        now=_now(),
        **viewer.params(),
    )
    return int(rows[0]["ended"]) if rows else 0


async def _require_network(store: Store, viewer: Viewer) -> None:
    found = (await visible_records(store, viewer, [viewer.org])).get(viewer.org)
    if found is None or found["record"].get("kind") != "network":
        raise InvalidInput(
            [Problem("input", None, "network", _("your organization is not a network"))]
        )


async def unlink(store: Store, viewer: Viewer, record: str, link_id: str, on: dt.date) -> str:
    """End a relationship the viewer's organization recorded; it stays in the history. Ties
    that confer authority are ended only by their own mutations (removeFromNetwork)."""
    rows = await store.write(
        "end_link",
        record=record,
        id=link_id,
        on=on.isoformat(),
        now=_now(),
        viewer_org=viewer.org,
        authority_ties=load_model().authority_ties,
        **viewer.params(),
    )
    if not rows:
        raise InvalidInput(
            [
                Problem(
                    "input",
                    None,
                    "link",
                    _(
                        "no link {link} of your organization at {record}",
                        link=repr(link_id),
                        record=repr(record),
                    ),
                )
            ]
        )
    await derive_place_access(store, [record])  # a derived stand-in ends with its tie
    return str(rows[0]["type"])


async def share_case(
    store: Store, viewer: Viewer, case_id: str, organizations: list[str]
) -> list[str]:
    """Add organizations to a case's `shared_with`; returns the new list."""
    found = await _own(store, viewer, case_id, "Case")
    known = await visible_records(store, viewer, organizations)
    missing = [o for o in organizations if known.get(o, {}).get("label") != "Organization"]
    if missing:
        raise InvalidInput(
            [Problem("input", None, "organizations", names_no(m, "Organization")) for m in missing]
        )
    shared = sorted(set(found["record"].get("shared_with") or []) | set(organizations))
    acl_by_tlp = {tlp.value: record_acl(tlp, viewer.org, shared) for tlp in Tlp}
    rows = await store.write(
        "share_case",
        id=case_id,
        shared_with=shared,
        acl_by_tlp=acl_by_tlp,
        now=_now(),
        viewer_org=viewer.org,
        **viewer.params(),
    )
    return list(rows[0]["shared_with"])
