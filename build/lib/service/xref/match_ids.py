"""Match ids that say nothing of the records they join: an HMAC of the two record ids under a
secret kept in the database (made once, with MERGE, as service/embed/tokens.py keeps its
signing key). Re-runs give a pair the same id, so they refresh the same proposal; without the
secret nobody can tell from an id which records it joins."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from service.store import Store


async def match_key(store: Store) -> bytes:
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    found = await store.read_or_create(
        "xref_match_key", "ensure_match_key", candidate=secrets.token_urlsafe(32), now=now
    )
    return str(found[0]["secret"]).encode()


def match_id(key: bytes, left: str, right: str) -> str:
    digest = hmac.new(key, f"{left}\x1f{right}".encode(), hashlib.sha256).hexdigest()
    return f"xref-{digest[:32]}"
