"""How often one organization's writes are matched at once (matching.yaml,
`on_write_per_organization`). Each match on a write is a question about the other holders'
records; past the allowance a record waits for the next `tejido xref`, so probing costs time.

Counted in this process's memory (`limits`): each worker counts on its own, so N workers allow
N times the rate, and a restart forgets the counts.
"""

from __future__ import annotations

from functools import cache

from limits import RateLimitItem, parse, storage, strategies

from service.xref.compare import default_rules

_counts = storage.MemoryStorage()
_window = strategies.MovingWindowRateLimiter(_counts)


@cache
def _allowance() -> RateLimitItem:
    return parse(default_rules().on_write_per_organization)


def allow(org: str) -> bool:
    """Count one write of `org` to match now; False once it is past its allowance."""
    return _window.hit(_allowance(), "xref-on-write", org)


def reset() -> None:
    """Forget every count (tests, which write as the same organizations again and again)."""
    _counts.reset()
