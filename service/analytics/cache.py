"""A per-process cache of expensive derived results, keyed by what the viewer may see.

Entries are keyed by the store, the graph version (which every change to records or
relationships moves on, see Store.write_all), the viewer's access tokens and the question: a
change invalidates everything computed before it, and nothing computed for one set of tokens
is ever served to another.

Requests that ask the same question at once share one computation: after a write, a dashboard
seen by several people asks each of its questions several times within a second, and each
would otherwise start the same projection.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

from cachetools import LRUCache

from service.access import Viewer
from service.metrics import CACHE_LOOKUPS
from service.store import Store

T = TypeVar("T")
_entries: LRUCache[Hashable, Any] = LRUCache(maxsize=256)
_computing: dict[Hashable, asyncio.Task[Any]] = {}


async def cached(
    store: Store, viewer: Viewer, question: Hashable, compute: Callable[[], Awaitable[T]]
) -> T:
    """`compute()`'s answer to `question` for this viewer, reused until the graph changes."""
    key = (store.cache_scope, await store.graph_version(), tuple(sorted(viewer.grants)), question)
    if key in _entries:
        CACHE_LOOKUPS.labels("analytics", "hit").inc()
        found: T = _entries[key]
        return found
    running = _computing.get(key)
    if running is not None:
        CACHE_LOOKUPS.labels("analytics", "shared").inc()
        return await _join(running, store, viewer, question, compute)
    CACHE_LOOKUPS.labels("analytics", "miss").inc()
    task: asyncio.Task[T] = asyncio.ensure_future(compute())
    _computing[key] = task
    try:
        answer = await task  # cancelling this request cancels the computation (offload.py)
    finally:
        if _computing.get(key) is task:
            del _computing[key]
    _entries[key] = answer
    return answer


async def _join(
    running: asyncio.Task[T],
    store: Store,
    viewer: Viewer,
    question: Hashable,
    compute: Callable[[], Awaitable[T]],
) -> T:
    """The answer another request is computing; if that request was cancelled (its client
    left), this one computes it again rather than fail with it."""
    try:
        return await asyncio.shield(running)
    except asyncio.CancelledError:
        current = asyncio.current_task()
        if running.cancelled() and (current is None or current.cancelling() == 0):
            return await cached(store, viewer, question, compute)
        raise
