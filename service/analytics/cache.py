"""A per-process cache of expensive derived results, keyed by what the viewer may see.

Entries are keyed by the store, the graph version (which every change to records or
relationships moves on, see Store.write_all), the viewer's access tokens and the question: a
change invalidates everything computed before it, and nothing computed for one set of tokens
is ever served to another.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

from cachetools import LRUCache

from service.access import Viewer
from service.metrics import CACHE_LOOKUPS
from service.store import Store

T = TypeVar("T")
_entries: LRUCache[Hashable, Any] = LRUCache(maxsize=256)


async def cached(
    store: Store, viewer: Viewer, question: Hashable, compute: Callable[[], Awaitable[T]]
) -> T:
    """`compute()`'s answer to `question` for this viewer, reused until the graph changes."""
    key = (store.cache_scope, await store.graph_version(), tuple(sorted(viewer.grants)), question)
    if key in _entries:
        CACHE_LOOKUPS.labels("analytics", "hit").inc()
        found: T = _entries[key]
        return found
    CACHE_LOOKUPS.labels("analytics", "miss").inc()
    answer = await compute()
    _entries[key] = answer
    return answer
