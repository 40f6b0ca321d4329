"""Errors as GraphQL clients read them.

Bad input to a mutation comes back in the payload, as `InputErrors` on the error side of the
result unions; an error raised on purpose (service/errors.py) comes back with its
`extensions.code`; anything else is masked as INTERNAL and logged with a request id.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import strawberry
from strawberry.extensions import SchemaExtension

from graphql import GraphQLError
from service.api.observability import current_request_id
from service.errors import InvalidInput, TejidoError
from service.logs import get_logger

log = get_logger(__name__)


@strawberry.type(description="One thing wrong with the input: the field and what is wrong.")
class UserError:
    field: str | None
    message: str


@strawberry.type
class InputErrors:
    errors: list[UserError]


def input_errors(exc: InvalidInput) -> InputErrors:
    return InputErrors(errors=[UserError(field=p.column, message=p.message) for p in exc.problems])


def input_error(field: str, message: str) -> InputErrors:
    """One thing wrong with one argument."""
    return InputErrors(errors=[UserError(field=field, message=message)])


class ErrorCodes(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is None or not result.errors:
            return
        result.errors = [_public(error) for error in result.errors]


def _public(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    if original is None:  # validation and limit errors: the client's to read
        return error
    if isinstance(original, GraphQLError):  # a variable GraphQL could not take ("$m": NaN)
        return GraphQLError(
            error.message, error.nodes, path=error.path, extensions={"code": InvalidInput.code}
        )
    if isinstance(original, TejidoError):
        log.info("request refused", code=original.code, path=error.path)  # one line, no trace
        return GraphQLError(
            str(original), error.nodes, path=error.path, extensions={"code": original.code}
        )
    request_id = current_request_id() or uuid.uuid4().hex[:16]
    log.error(
        "unexpected error",
        request_id=request_id,
        error=repr(original),
        path=error.path,
        exc_info=original,
    )
    return GraphQLError(
        "unexpected error",
        error.nodes,
        path=error.path,
        extensions={"code": "INTERNAL", "request_id": request_id},
    )
