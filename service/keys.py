"""API keys: created for an organization with a role and a clearance, stored hashed.

A key reads `tjd_<id>_<secret>`. The id is public (it names the key in lists and logs); only
the SHA-256 of the secret is stored. A plain hash is enough here because the secret is 256
random bits, not a password a person chose.

A key may expire (`keys create --expires-in 90d`); an expired key is refused like a revoked one.
When a key was last used is written at most once a minute per key and process (TOUCH_EVERY_S),
in the background, so that reading with a key stays a read.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from service.access import Role, Tlp, Viewer, admitted_networks
from service.errors import InvalidInput, NotFound, Problem
from service.i18n import _
from service.i18n.model_labels import names_no
from service.store import Row, Store

PREFIX = "tjd"
TOUCH_EVERY_S = 60.0
_touched: dict[str, float] = {}  # key id -> when this process last wrote its last_used_at
_touching: set[asyncio.Task[None]] = set()  # the writes under way (the loop keeps weak refs)


@dataclass(frozen=True)
class NewKey:
    id: str
    key: str  # shown once, never stored


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def expired(expires_at: str | None, now: dt.datetime | None = None) -> bool:
    if not expires_at:
        return False
    return dt.datetime.fromisoformat(expires_at) <= (now or dt.datetime.now(dt.UTC))


async def create_key(
    store: Store,
    org: str,
    role: Role,
    clearance: Tlp,
    note: str = "",
    expires_in: dt.timedelta | None = None,
) -> NewKey:
    """A new key for an organization that exists in the graph; it expires after `expires_in`."""
    found = await store.operator_read("records_by_id", ids=[org])
    if not found or found[0]["label"] != "Organization":
        raise InvalidInput([Problem("keys", None, "org", names_no(org, "Organization"))])
    key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    await store.write(
        "create_key",
        id=key_id,
        org=org,
        role=role.value,
        clearance=clearance.value,
        hash=_hash(secret),
        note=note,
        now=_now(),
        expires_at=(dt.datetime.now(dt.UTC) + expires_in).isoformat(timespec="seconds")
        if expires_in
        else None,
    )
    return NewKey(key_id, f"{PREFIX}_{key_id}_{secret}")


async def list_keys(store: Store) -> list[Row]:
    return await store.operator_read("list_keys")


async def revoke_key(store: Store, key_id: str) -> None:
    if not await store.write("revoke_key", id=key_id, now=_now()):
        raise NotFound(_("no key with id {id}", id=repr(key_id)))


@dataclass(frozen=True)
class KeyHolder:
    """Who made a request: the key (for the audit log) and the viewer it stands for."""

    key_id: str
    viewer: Viewer


async def holder_of_key(store: Store, key: str) -> KeyHolder | None:
    """Who a presented key stands for, or None for a malformed, unknown, revoked or expired
    key."""
    prefix, _sep, rest = key.partition("_")
    key_id, _sep, secret = rest.partition("_")
    if prefix != PREFIX or not key_id or not secret:
        return None
    rows = await store.operator_read("key_by_id", id=key_id)
    if not rows or not hmac.compare_digest(rows[0]["hash"], _hash(secret)):
        return None
    row = rows[0]
    if expired(row["expires_at"]):
        return None
    _note_use(store, key_id)
    networks = admitted_networks(row["memberships"])
    viewer = Viewer(row["org"], Role(row["role"]), Tlp(row["clearance"]), networks)
    return KeyHolder(key_id, viewer)


def _note_use(store: Store, key_id: str) -> None:
    """Write the key's last_used_at in the background, at most once per TOUCH_EVERY_S."""
    now = time.monotonic()
    if now - _touched.get(key_id, -TOUCH_EVERY_S) < TOUCH_EVERY_S:
        return
    _touched[key_id] = now

    async def touch() -> None:
        with contextlib.suppress(Exception):  # a lost timestamp must not fail a request
            await store.write("touch_key", id=key_id, now=_now())

    task = asyncio.get_running_loop().create_task(touch())
    _touching.add(task)
    task.add_done_callback(_touching.discard)


async def settled() -> None:
    """Wait for the last-use writes under way (before closing the store; tests that count
    round trips)."""
    await asyncio.gather(*_touching, return_exceptions=True)
