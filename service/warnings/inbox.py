"""Warnings as an organization's keys read them: only those whose every record the key may see
(a key of the organization cleared below the watch's clearance does not learn of the others),
each sentence filled with the names that key may read, in the request's language."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from service.access import Viewer
from service.analytics.describe import RecordRef, describe
from service.errors import NotFound
from service.i18n import _, gettext
from service.i18n.model_labels import readable
from service.store import Row, Store


@dataclass(frozen=True)
class Warning:
    id: str
    watch: str
    kind: str
    at: str
    sentence: str
    records: tuple[RecordRef, ...]
    delivery: str
    acknowledged_at: str | None


def sentence(
    message: str, params: dict[str, object], names: dict[str, RecordRef], lang: str | None = None
) -> str:
    """The template filled in: a parameter that is a record's id becomes the name the reader
    may read, a relationship type its label in the reader's language."""
    filled = {
        k: names[v].name if isinstance(v, str) and v in names else v for k, v in params.items()
    }
    return gettext(message, lang, **readable(filled, lang))


def as_warning(row: Row, names: dict[str, RecordRef], lang: str | None = None) -> Warning | None:
    """The warning as a reader with `names` sees it; None when it names a record they may not."""
    if any(r not in names for r in row["records"]):
        return None
    return Warning(
        row["id"],
        row["watch"],
        row["kind"],
        row["at"],
        sentence(row["message"], json.loads(row["params"]), names, lang),
        tuple(names[r] for r in row["records"]),
        row["delivery"],
        row.get("acknowledged_at"),
    )


async def warnings_for(
    store: Store, viewer: Viewer, since: dt.datetime | None = None, acknowledged: bool | None = None
) -> list[Warning]:
    rows = await store.operator_read(
        "warnings_of_organization",
        org=viewer.org,
        since=since.isoformat() if since else None,
        acknowledged=acknowledged,
    )
    names = await describe(store, viewer, (r for row in rows for r in row["records"]))
    return [w for row in rows if (w := as_warning(row, names)) is not None]


async def acknowledge(store: Store, viewer: Viewer, warning_id: str, key_id: str) -> str:
    """Mark one of the organization's warnings (that the key may read) as read; returns when."""
    visible = {w.id for w in await warnings_for(store, viewer)}
    if warning_id not in visible:
        raise NotFound(_("no warning {warning_id}", warning_id=repr(warning_id)))
    now = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
    rows = await store.write(
        "acknowledge_warning", id=warning_id, org=viewer.org, by=key_id, now=now
    )
    return str(rows[0]["acknowledged_at"])
