"""Errors as GraphQL clients read them.

Bad input to a mutation comes back in the payload, as `InputErrors` on the error side of the
result unions; an error raised on purpose (service/errors.py) comes back with its
`extensions.code`, as do the errors GraphQL finds in a request (ErrorCodes), their messages in
the request's language (service/i18n/graphql_messages.py); anything else is masked as INTERNAL
and logged with a request id. The HTTP refusals before GraphQL runs (401,
413, 429 ...) have the same shape: `{"errors": [{"message", "extensions": {"code"}}]}`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import strawberry
from fastapi import Request
from fastapi.responses import JSONResponse
from strawberry.extensions import SchemaExtension

from graphql import GraphQLError
from service.api.observability import current_request_id
from service.errors import (
    InvalidInput,
    RateLimited,
    StoreUnavailable,
    TejidoError,
    Unauthenticated,
)
from service.i18n import _
from service.i18n.graphql_messages import translate
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


# The codes of the errors GraphQL itself finds, before any resolver runs (Apollo's names, which
# clients know): a document that does not parse (or has too many tokens), one that does not fit
# the schema (or is too deep, has too many aliases), and values that do not fit the types of
# their variables or arguments (a missing required variable, a string for an Int, an unknown
# enum value). INVALID_INPUT (service/errors.py) is a value that fits the schema but that the
# service refuses (a NUL byte, a cursor past the end).
PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
BAD_USER_INPUT = "BAD_USER_INPUT"


class ErrorCodes(SchemaExtension):
    """Every error leaves with an `extensions.code`: GraphQL's own checks with the codes above,
    the service's errors with theirs, anything else masked as INTERNAL."""

    def on_parse(self) -> Iterator[None]:
        yield
        self._code_found_errors(PARSE_FAILED)

    def on_validate(self) -> Iterator[None]:
        yield
        self._code_found_errors(VALIDATION_FAILED)

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [_public(error) for error in result.errors]

    def _code_found_errors(self, code: str) -> None:
        # In place: the errors are already in the result being returned (strawberry keeps one
        # list for the context and another for the result).
        for error in self.execution_context.pre_execution_errors or []:
            if not (error.extensions or {}).get("code"):
                error.extensions = {**(error.extensions or {}), "code": code}
                error.message = translate(error.message)


def _with_code(error: GraphQLError, code: str, message: str | None = None) -> GraphQLError:
    return GraphQLError(
        message or error.message,
        error.nodes,
        error.source,
        error.positions,
        error.path,
        error.original_error,
        {**(error.extensions or {}), "code": code},
    )


def _public(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    if (error.extensions or {}).get("code"):  # coded already, while parsing or validating
        return error
    if isinstance(original, TejidoError):
        # One line, no trace; where an unavailable database lives is for the log only.
        detail = original.detail if isinstance(original, StoreUnavailable) else None
        log.info("request refused", code=original.code, path=error.path, detail=detail)
        return _with_code(error, original.code, str(original))
    if error.path is None and (original is None or isinstance(original, GraphQLError)):
        # Before any field ran: a variable whose value does not fit its type (missing,
        # a string for an Int, NaN, an unknown enum value).
        return _with_code(error, BAD_USER_INPUT, translate(error.message))
    request_id = current_request_id() or uuid.uuid4().hex[:16]
    log.error(
        "unexpected error",
        request_id=request_id,
        error=repr(original),
        path=error.path,
        exc_info=original,
    )
    return GraphQLError(
        _("unexpected error"),
        error.nodes,
        path=error.path,
        extensions={"code": "INTERNAL", "request_id": request_id},
    )


def error_response(
    status: int, message: str, code: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    """An HTTP error with a body shaped as GraphQL errors are, so clients read one format."""
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return JSONResponse(body, status_code=status, headers=headers)


def unauthenticated_response(_request: Request, exc: Unauthenticated) -> JSONResponse:
    """401 for a request without a valid API key, with the challenge that names the scheme."""
    headers = {"WWW-Authenticate": exc.challenge}
    return error_response(401, str(exc), Unauthenticated.code, headers)


def rate_limited_response(_request: Request, exc: RateLimited) -> JSONResponse:
    """429 for a request over its key's limit (raised while authenticating, before GraphQL)."""
    headers = {"Retry-After": str(exc.retry_after)}
    return error_response(429, str(exc), RateLimited.code, headers)
