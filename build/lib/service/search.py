"""Full-text search over names, aliases and pseudonyms, accent- and case-insensitive.

User text is reduced to plain folded words, each matched as a prefix, all required. The two
databases speak different query languages (Lucene for Neo4j, RediSearch for FalkorDB), so the
query string is built here per dialect; the visibility checks stay in the Cypher.
"""

from __future__ import annotations

import re

from service.access import Viewer
from service.store import Row, Store
from service.text import fold

_WORD = re.compile(r"[^\W_]+")
MAX_WORDS = 8
MIN_PREFIX = 2  # shorter prefixes match half the graph and cost the index dearly


def words(text: str) -> list[str]:
    """The folded words of `text` that are long enough to search for."""
    return [w for w in _WORD.findall(fold(text)) if len(w) >= MIN_PREFIX][:MAX_WORDS]


def fulltext_query(dialect: str, field: str, text: str) -> str | None:
    """The index query for `text` on one field, or None when nothing is left to search."""
    terms = words(text)
    if not terms:
        return None
    if dialect == "neo4j":
        return f"{field}:(" + " AND ".join(f"{t}*" for t in terms) + ")"
    return f"@{field}:(" + " ".join(f"{t}*" for t in terms) + ")"


async def search(
    store: Store, viewer: Viewer, text: str, labels: list[str], first: int
) -> list[Row]:
    """Visible records matching `text`, best first; defenders by real name only where the
    viewer may see the name."""
    hits: dict[str, Row] = {}
    for statement, field in (("search_public", "search_text"), ("search_names", "search_name")):
        query = fulltext_query(store.dialect, field, text)
        if query is None:
            return []
        rows = await store.read(
            statement, query=query, labels=labels, first=first, **viewer.params()
        )
        for row in rows:
            if row["id"] not in hits or row["score"] > hits[row["id"]]["score"]:
                hits[row["id"]] = row
    ranked = sorted(hits.values(), key=lambda r: (-r["score"], r["id"]))
    return ranked[:first]
