"""Parse a GraphQL document once and validate it once, not on every request that sends it.

Clients send the same few documents over and over (with different variables), and parsing and
validating one cost about as much as running it. `KnownDocuments` keeps, per document text, the
parsed document (an LRU of `MAX_DOCUMENTS`) and whether it passed validation. Only what is
the same for every request is kept: a document that fails to parse or validate is handled as
before on every request (its errors are fresh, in the request's language); one that passed
skips validation, which depends on the document and the schema alone (the depth, alias and
token limits are fixed), never on variables or on who asks.
"""

from __future__ import annotations

from collections.abc import Iterator

from cachetools import LRUCache
from strawberry.extensions import SchemaExtension

from graphql import DocumentNode, GraphQLError, parse

# Distinct documents kept: a client sending new documents at every request only evicts older
# ones (each entry is a parsed document of at most the body limit).
MAX_DOCUMENTS = 256

_parsed: LRUCache[tuple[str, int | None], DocumentNode] = LRUCache(maxsize=MAX_DOCUMENTS)
_valid: LRUCache[tuple[str, int | None], bool] = LRUCache(maxsize=MAX_DOCUMENTS)


class KnownDocuments(SchemaExtension):
    """Must come after MaxTokensLimiter, whose token limit is part of the parse and the key."""

    def _key(self) -> tuple[str, int | None] | None:
        query = self.execution_context.query
        if not query:
            return None
        return query, self.execution_context.parse_options.get("max_tokens")

    def on_parse(self) -> Iterator[None]:
        key = self._key()
        if key is not None:
            document = _parsed.get(key)
            if document is None:
                try:
                    document = parse(key[0], **self.execution_context.parse_options)
                except GraphQLError:
                    document = None  # Strawberry parses again and reports it as usual
                else:
                    _parsed[key] = document
            self.execution_context.graphql_document = document
        yield

    def on_validate(self) -> Iterator[None]:
        key = self._key()
        ctx = self.execution_context
        if key is not None and _valid.get(key) and ctx.graphql_document is _parsed.get(key):
            ctx.pre_execution_errors = []  # Strawberry validates only when this is None
        yield
        if key is not None and ctx.pre_execution_errors == []:
            _valid[key] = True
