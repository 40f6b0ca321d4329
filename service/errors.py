"""The errors Tejido raises on purpose, each with its GraphQL code and CLI exit code."""

from __future__ import annotations

from dataclasses import dataclass

from service.i18n import _, ngettext


class TejidoError(Exception):
    """Base of every expected error. `code` goes to GraphQL extensions, `exit_code` to the CLI."""

    code = "INTERNAL"
    exit_code = 1


class ConfigError(TejidoError):
    code = "CONFIG"
    exit_code = 5


class StoreUnavailable(TejidoError):
    """The database does not answer. The message is what any caller may read; `detail` (the
    database's address, the driver's own words) is for the operator: the log and the CLI."""

    code = "STORE_UNAVAILABLE"
    exit_code = 4

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail


class CannotServe(TejidoError):
    """`tejido serve` cannot listen where it was told to (the address is in use, say)."""

    code = "CANNOT_SERVE"
    exit_code = 6


class QueryTimeout(TejidoError):
    code = "TIMEOUT"
    exit_code = 4


class TooExpensive(TejidoError):
    """The question needs more work than one request may spend: ask a narrower one."""

    code = "TOO_EXPENSIVE"
    exit_code = 3


class RateLimited(TejidoError):
    """The key used up its share of requests for now; `retry_after` says for how long."""

    code = "RATE_LIMITED"

    def __init__(self, what: str, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(
            _(
                "too many {what} for this API key; retry in {seconds} s",
                what=what,
                seconds=retry_after,
            )
        )


class Unauthenticated(TejidoError):
    """No API key, or one the service does not know or has revoked: HTTP 401."""

    code = "UNAUTHENTICATED"
    exit_code = 3
    challenge = 'Bearer realm="tejido"'  # WWW-Authenticate: the scheme a client must use


class Conflict(TejidoError):
    """A write that a uniqueness constraint refused: another writer got there first."""

    code = "CONFLICT"
    exit_code = 1


class NotFound(TejidoError):
    """Also what a viewer gets for a record it may not see: `Forbidden` would leak existence."""

    code = "NOT_FOUND"
    exit_code = 3


class Forbidden(TejidoError):
    """The viewer's role does not allow the operation (never used for record visibility)."""

    code = "FORBIDDEN"
    exit_code = 3  # a request refused, like bad input; 2 is click's own, for usage errors


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as the input allows."""

    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return (
            f"{where}: {self.column}: {self.message}" if self.column else f"{where}: {self.message}"
        )


class InvalidInput(TejidoError):
    """Input that breaks the model; carries every problem found, not just the first."""

    code = "INVALID_INPUT"
    exit_code = 3

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "\n".join(str(p) for p in problems[:200])
        more = (
            "\n" + _("... and {count} more", count=len(problems) - 200)
            if len(problems) > 200
            else ""
        )
        summary = ngettext(
            "{count} problem in the input:", "{count} problems in the input:", len(problems)
        )
        super().__init__(f"{summary}\n{shown}{more}")
