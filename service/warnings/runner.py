"""When watches are evaluated and warnings delivered: after every write (in the request, so a
warning is recorded before the write is acknowledged), on a schedule for what the passing of
days changes, and in a background task inside `serve` that delivers what is due."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import time

from service.analytics.weights import RiskWeights
from service.config import Settings
from service.logs import get_logger
from service.store import Store
from service.warnings.evaluate import evaluate
from service.warnings.outbox import deliver_due
from service.warnings.reach import incident_reach
from service.warnings.watches import WatchKind

log = get_logger(__name__)


async def run_once(
    store: Store, settings: Settings, w: RiskWeights, today: dt.date | None = None
) -> tuple[int, int]:
    """Evaluate every watch, then deliver what is due: (warnings recorded, delivered)."""
    created = await evaluate(store, w, today)
    return len(created), await deliver_due(store, settings)


class Runner:
    """The background task of a serving process. `wake()` after a write delivers at once."""

    def __init__(self, store: Store, settings: Settings, w: RiskWeights) -> None:
        self.store, self.settings, self.weights = store, settings, w
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="tejido-warnings")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def wake(self) -> None:
        self._wake.set()

    async def _loop(self) -> None:
        interval = self.settings.warnings_interval_s
        evaluated = 0.0  # evaluate at start: a write acknowledged before a crash is caught up
        while True:
            try:
                if not evaluated or (interval and time.monotonic() - evaluated >= interval):
                    await evaluate(self.store, self.weights)
                    evaluated = time.monotonic()
                await deliver_due(self.store, self.settings)
            except Exception:
                log.exception("warnings pass failed; retrying on the next one")
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.settings.webhook_poll_s):
                    await self._wake.wait()
            self._wake.clear()


async def after_write(
    store: Store,
    w: RiskWeights,
    runner: Runner | None,
    kinds: frozenset[WatchKind],
    incident: str | None = None,
) -> None:
    """Evaluate the watches of `kinds` (those the write can make fire: triggers.py; of those,
    for a written `incident`, the ones it can reach: reach.py) after a write; never fails the
    write (the schedule catches up)."""
    try:
        today = dt.datetime.now(dt.UTC).date()
        reach = await incident_reach(store, incident, today) if incident is not None else None
        if await evaluate(store, w, today, kinds=kinds, reach=reach) and runner is not None:
            runner.wake()
    except Exception:
        log.exception("evaluating watches after a write failed")
