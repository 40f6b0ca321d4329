"""Records named as the viewer may see them: id, label and the name it may read (a defender's
pseudonym unless it may read her name), for the records behind changes and warnings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from service.access import Viewer
from service.store import Store


@dataclass(frozen=True)
class RecordRef:
    id: str
    label: str
    name: str


def _name(label: str, record: dict[str, object]) -> str:
    if label == "Incident":
        return f"{record.get('kind')} {record.get('date')}"
    if label == "Case":
        return str(record.get("reference"))
    if label == "Source":
        return str(record.get("title"))
    return str(record.get("name") or record.get("pseudonym") or record["id"])


async def describe(store: Store, viewer: Viewer, ids: Iterable[str]) -> dict[str, RecordRef]:
    """The records among `ids` that the viewer may see, by id; the others are absent."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = await store.read("records_by_ids", ids=wanted, **viewer.params())
    return {
        row["record"]["id"]: RecordRef(
            row["record"]["id"], row["label"], _name(row["label"], row["record"])
        )
        for row in rows
    }
