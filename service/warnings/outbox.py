"""The outbox: warnings waiting for their webhook, delivered at least once.

A warning is recorded 'pending' in the same statement that records it (evaluate.record), so a
crash after a write loses none: whichever process runs next finds it due. Each pass leases the
due warnings (another worker leaves them alone until the lease runs out), posts each, logs the
attempt and either marks it delivered or schedules the next try (exponential backoff, capped).
The receiver sees the same `Tejido-Delivery` id on every try of a warning: its idempotency key.
"""

from __future__ import annotations

import datetime as dt
import json

from service.access import Role, Tlp, Viewer, admitted_networks
from service.analytics.describe import describe
from service.config import Settings
from service.errors import ConfigError
from service.logs import get_logger
from service.store import Row, Store
from service.warnings.inbox import as_warning
from service.warnings.sealing import SecretBox, secret_box
from service.warnings.webhook import deliver

log = get_logger(__name__)

MAX_BACKOFF_S = 3600.0
BATCH = 50


def backoff(attempt: int, base_s: float) -> dt.timedelta:
    """How long to wait after the `attempt`-th failure: base, 2 base, 4 base ... up to an hour."""
    return dt.timedelta(seconds=min(MAX_BACKOFF_S, base_s * 2 ** max(0, attempt - 1)))


async def _viewer(store: Store, org: str, clearance: str, today: dt.date) -> Viewer:
    rows = await store.operator_read("organization_networks", org=org)
    networks = admitted_networks(rows[0]["memberships"], today) if rows else ()
    return Viewer(org, Role.READER, Tlp(clearance), networks)


async def payload(store: Store, row: Row, lang: str) -> bytes | None:
    """The body of a delivery, as the watch's viewer sees its records now; None when one of
    them is hidden from it since (the warning is then not sent)."""
    now = dt.datetime.now(dt.UTC)
    viewer = await _viewer(store, row["org"], row["clearance"], now.date())
    names = await describe(store, viewer, row["records"])
    warning = as_warning({**row, "delivery": "pending"}, names, lang)
    if warning is None:
        return None
    body = {
        "id": warning.id,
        "organization": row["org"],
        "watch": warning.watch,
        "kind": warning.kind,
        "at": warning.at,
        "sentence": warning.sentence,
        "records": [{"id": r.id, "label": r.label, "name": r.name} for r in warning.records],
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True).encode()


def _opened(box: SecretBox | None, hook: Row) -> str | None:
    """The webhook's secret in clear, only in memory and only to sign; None when no key
    opens it."""
    if box is None or hook["sealed_secret"] is None:
        return None
    try:
        return box.open(hook["sealed_secret"], hook["org"])
    except ConfigError:
        return None


async def deliver_due(store: Store, settings: Settings) -> int:
    """One pass over the due deliveries; how many were delivered."""
    now = dt.datetime.now(dt.UTC)
    due = await store.write(
        "claim_deliveries",
        now=now.isoformat(timespec="microseconds"),
        lease_until=(now + dt.timedelta(seconds=settings.webhook_lease_s)).isoformat(
            timespec="microseconds"
        ),
        limit=BATCH,
    )
    delivered = 0
    box = secret_box(settings)
    for row in due:
        hooks = await store.operator_read("warning_webhook", org=row["org"])
        body = await payload(store, row, settings.language)
        attempt = int(row["attempts"] or 0) + 1
        if not hooks or body is None:
            status, error, ok, url = 0, "no webhook or the warning is hidden now", False, ""
        elif (secret := _opened(box, hooks[0])) is None:
            # The start refuses a missing or wrong key (sealing.py): retried once it is fixed.
            status, error, ok, url = 0, "TEJIDO_SECRET_KEY does not open the secret", False, ""
        else:
            url = hooks[0]["url"]
            outcome = await deliver(url, secret, row["id"], body, tuple(settings.webhook_allow))
            status, error, ok = outcome.status, outcome.error, outcome.delivered
        after = dt.datetime.now(dt.UTC)
        await store.write(
            "log_delivery",
            id=row["id"],
            org=row["org"],
            url=url,
            attempt=attempt,
            status=status,
            error=error,
            delivered=ok,
            next_attempt_at=(after + backoff(attempt, settings.webhook_backoff_s)).isoformat(
                timespec="microseconds"
            ),
            now=after.isoformat(timespec="microseconds"),
        )
        delivered += ok
        log.info("warning delivery", warning=row["id"], attempt=attempt, status=status, ok=ok)
    return delivered
