"""Records named as the viewer may see them: id, label and the name it may read (a defender's
pseudonym unless it may read her name), for the records behind changes and warnings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from service.access import Viewer
from service.store import Store


@dataclass(frozen=True)
class RecordRef:
    id: str
    label: str
    name: str


def display_name(label: str, record: Mapping[str, object]) -> str | None:
    """What a person calls a record, from the fields the viewer may read: its name (a defender's
    only where the viewer may read it); an incident, which has none, by its kind and date; else
    a defender's pseudonym, a case's reference, a source's title. The one rule for analytics
    answers, changes and warnings."""
    if record.get("name"):
        return str(record["name"])
    if label == "Incident":
        return f"{record.get('kind') or ''} {record.get('date') or ''}".strip() or None
    found = record.get("pseudonym") or record.get("reference") or record.get("title")
    return str(found) if found else None


async def describe(store: Store, viewer: Viewer, ids: Iterable[str]) -> dict[str, RecordRef]:
    """The records among `ids` that the viewer may see, by id; the others are absent."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = await store.read("records_by_ids", ids=wanted, **viewer.params())
    return {
        row["record"]["id"]: RecordRef(
            row["record"]["id"],
            row["label"],
            display_name(row["label"], row["record"]) or row["record"]["id"],
        )
        for row in rows
    }
