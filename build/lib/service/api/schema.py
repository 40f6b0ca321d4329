"""The GraphQL schema: the root types put together from the resolvers, and the limits that keep
one request from costing the database what a thousand should."""

from __future__ import annotations

import strawberry
from strawberry.extensions import MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter

from service.api.audit import AuditTrail
from service.api.errors import ErrorCodes
from service.api.observability import GraphQLMetrics
from service.api.resolvers.analytics import AnalyticsQuery
from service.api.resolvers.edits import RecordMutation
from service.api.resolvers.embeds import EmbedMutation, EmbedQuery
from service.api.resolvers.networks import NetworkMutation
from service.api.resolvers.records import RecordQuery
from service.api.resolvers.xref import CrossReferenceMutation, CrossReferenceQuery
from service.api.types.records import TYPES

MAX_DEPTH = 10
MAX_ALIASES = 30
MAX_TOKENS = 2000


@strawberry.type
class Query(AnalyticsQuery, CrossReferenceQuery, EmbedQuery, RecordQuery):
    pass


@strawberry.type
class Mutation(RecordMutation, NetworkMutation, CrossReferenceMutation, EmbedMutation):
    pass


schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    types=list(TYPES.values()),
    extensions=[
        lambda: QueryDepthLimiter(max_depth=MAX_DEPTH),
        lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        ErrorCodes,
        AuditTrail,
        GraphQLMetrics,
    ],
)
