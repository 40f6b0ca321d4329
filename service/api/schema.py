"""The GraphQL schema: the root types put together from the resolvers, and the limits that keep
one request from costing the database what a thousand should."""

from __future__ import annotations

import strawberry
from strawberry.extensions import MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from service.api import audit
from service.api.audit import AuditTrail
from service.api.documents import KnownDocuments
from service.api.errors import ErrorCodes
from service.api.observability import GraphQLMetrics
from service.api.resolvers.analytics import AnalyticsQuery
from service.api.resolvers.edits import RecordMutation
from service.api.resolvers.embeds import EmbedMutation, EmbedQuery
from service.api.resolvers.networks import NetworkMutation
from service.api.resolvers.records import RecordQuery
from service.api.resolvers.watch import WatchMutation, WatchQuery
from service.api.resolvers.xref import CrossReferenceMutation, CrossReferenceQuery
from service.api.types.from_model import SCALARS
from service.api.types.records import TYPES

# Two hops from a page of records (actors -> incidents -> defenders, each hop being
# links { edges { node { other } } }) end at depth 11; page sizes bound what each level costs.
MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 2000


Query = merge_types(
    "Query", (AnalyticsQuery, CrossReferenceQuery, EmbedQuery, RecordQuery, WatchQuery)
)
Mutation = merge_types(
    "Mutation",
    (RecordMutation, NetworkMutation, CrossReferenceMutation, EmbedMutation, WatchMutation),
)


schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    types=list(TYPES.values()),
    config=StrawberryConfig(scalar_map=SCALARS),
    extensions=[
        lambda: QueryDepthLimiter(max_depth=MAX_DEPTH),
        lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        KnownDocuments,
        ErrorCodes,
        AuditTrail,
        GraphQLMetrics,
    ],
)
audit.watch(schema._schema)  # what the audit log notes (service/api/audit.py)
