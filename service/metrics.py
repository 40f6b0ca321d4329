"""Prometheus metrics (prometheus-client), served on GET /metrics (service/api/observability.py).

Every label value comes from a bounded set the service defines (statement names from cypher/,
root fields from the schema, cache names), never from what a client sends, so no request can
grow the number of series. With several workers (`tejido serve --workers N`), `serve` sets
PROMETHEUS_MULTIPROC_DIR and one scrape adds up every worker (prometheus-client's multiprocess
mode); see docs/deployment.md.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import Counter, Histogram

# Latency buckets from 1 ms to 30 s: statements on the seed take milliseconds, analytics on
# large graphs seconds, and 30 s is the default budget of a request.
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)

GRAPHQL_REQUESTS = Counter(
    "tejido_graphql_requests",
    "GraphQL operations by root field and outcome (ok, error).",
    ["operation", "outcome"],
)
GRAPHQL_SECONDS = Histogram(
    "tejido_graphql_seconds",
    "Time to execute a GraphQL operation, by root field.",
    ["operation"],
    buckets=BUCKETS,
)
STATEMENT_SECONDS = Histogram(
    "tejido_db_statement_seconds",
    "Time of one database round trip, by Cypher statement (cypher/) and kind.",
    ["statement", "kind"],
    buckets=BUCKETS,
)
CACHE_LOOKUPS = Counter(
    "tejido_cache_lookups",
    "Lookups in the per-process caches, by cache and result "
    "(hit, miss, shared: joined a computation under way).",
    ["cache", "result"],
)
ROWS_WRITTEN = Counter(
    "tejido_rows_written",
    "Rows sent to the database by write statements (loads, edits), by statement.",
    ["statement"],
)
XREF_PAIRS = Counter(
    "tejido_xref_pairs",
    "Cross-referencing: candidate pairs compared, and proposals written.",
    ["stage"],
)


@contextmanager
def timed(histogram: Histogram, *labels: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        histogram.labels(*labels).observe(time.perf_counter() - started)
