"""CPU-heavy analytics off the event loop, under a work budget that can stop them.

Python code on the event loop cannot be cut short: a timeout fires only when the code yields,
and while it runs nothing else is served, not even /healthz. So the heavy part of an analytics
field (a path search, community detection, a ranking over a whole projection) runs in a small
pool of its own threads. A computation that takes a `WorkBudget` counts its steps with it: past
the budget it stops with `TooExpensive` (the same answer for the same question, whatever the
load), and when the request awaiting it is cancelled (its time budget ran out, the client left)
it stops at its next step instead of running on for nobody.
"""

from __future__ import annotations

import asyncio
import functools
import math
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

from service.errors import TooExpensive

P = ParamSpec("P")
T = TypeVar("T")

# Threads share one interpreter lock, so more of them would not finish the work sooner; two keep
# a second heavy request from waiting behind the first while leaving the event loop its share.
ANALYTICS_THREADS = 2
_pool = ThreadPoolExecutor(ANALYTICS_THREADS, thread_name_prefix="tejido-analytics")


class Cancelled(Exception):
    """The request that wanted the answer is gone; raised inside the worker thread only."""


class WorkBudget:
    """Counts the steps of one computation; `what` and `advice` make the error readable."""

    def __init__(self, limit: float, what: str, advice: str = "") -> None:
        self.limit, self.what, self.advice = limit, what, advice
        self.spent = 0
        self._cancelled = threading.Event()

    @classmethod
    def cancellable(cls, what: str) -> WorkBudget:
        """No limit: for work bounded by its input, which should still stop when cancelled."""
        return cls(math.inf, what)

    def spend(self, steps: int = 1) -> None:
        """Take `steps` from the budget; raise once it is exhausted or the request is gone."""
        self.spent += steps
        if self.spent > self.limit:
            raise TooExpensive(f"{self.what}: more than {self.limit:,} steps; {self.advice}")
        if self._cancelled.is_set():
            raise Cancelled

    def cancel(self) -> None:
        self._cancelled.set()


async def run_off_loop(
    budget: WorkBudget | None, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs
) -> T:
    """`work(*args, **kwargs)` in the analytics pool; cancelling the caller cancels `budget`."""
    call = functools.partial(work, *args, **kwargs)
    future = asyncio.get_running_loop().run_in_executor(_pool, call)
    try:
        return await future
    except asyncio.CancelledError:
        if budget is not None:  # a queued call is dropped by the pool; a running one stops here
            budget.cancel()
        raise
