"""Bearer key -> Viewer. No key, a malformed one, an unknown or a revoked one: HTTP 401, with a
GraphQL-shaped body (service/api/errors.py).

A key's holder is remembered for `Settings.key_cache_s` seconds (KeyCache), so that a request
does not cost a database round trip to look its key up: a revoked key, or a change to the
networks its organization belongs to, takes effect within that many seconds (docs/access.md).
"""

from __future__ import annotations

import asyncio
import hashlib

from cachetools import TTLCache
from fastapi import Request

from service.errors import Unauthenticated
from service.i18n import _
from service.keys import KeyHolder, holder_of_key
from service.store import Store

# Keys remembered at once: past this the oldest are dropped, so random keys sent in bulk cost
# memory only up to here (each entry is a digest and a small holder).
MAX_CACHED_KEYS = 10_000


class KeyCache:
    """Who each presented key stands for (None: nobody), for `seconds` after it was looked up.

    Entries are keyed by the key's SHA-256, so the cache never holds a secret as it was sent.
    Unknown keys are remembered too: one cannot guess a key into existence, and a client
    retrying a bad key then costs no round trip either. `seconds` 0 looks up every time.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._holders: TTLCache[str, KeyHolder | None] = TTLCache(
            maxsize=MAX_CACHED_KEYS, ttl=max(seconds, 1e-9)
        )
        self._looking_up: dict[str, asyncio.Future[KeyHolder | None]] = {}

    async def holder(self, store: Store, key: str) -> KeyHolder | None:
        if self.seconds <= 0:
            return await holder_of_key(store, key)
        digest = f"{store.cache_scope}:{hashlib.sha256(key.encode()).hexdigest()}"
        if digest in self._holders:
            return self._holders[digest]
        # Requests presenting the same new key at once share one lookup: a dashboard opening
        # eight panels with a key not yet cached sent eight (420 ms each at start-up, measured).
        lookup = self._looking_up.get(digest)
        if lookup is None:
            lookup = asyncio.ensure_future(holder_of_key(store, key))
            self._looking_up[digest] = lookup
            lookup.add_done_callback(lambda _done: self._looking_up.pop(digest, None))
        found = await asyncio.shield(lookup)  # a client that leaves does not cancel the others'
        self._holders[digest] = found
        return found


async def authenticate(request: Request, store: Store, keys: KeyCache) -> KeyHolder:
    scheme, _space, key = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise Unauthenticated(_("an API key is required"))
    holder = await keys.holder(store, key.strip())
    if holder is None:
        raise Unauthenticated(_("unknown or revoked API key"))
    return holder
