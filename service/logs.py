"""structlog set-up: readable console lines in development, JSON lines in production.

In production every line on stderr is one JSON object: our own events, uvicorn's access and
error lines and any library's stdlib logging go through the same processors. A traceback
appears only for an unexpected error, as the `exception` field of its one line, with the
request id (service/api/observability.py binds it for each request)."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import structlog

# The row counters of the phases under way in this task (innermost last); the store adds the
# rows of each read to all of them. A tuple of lists, so that tasks started inside a phase,
# which get a copy of the context, still count into the same lists.
_rows_read: ContextVar[tuple[list[int], ...]] = ContextVar("rows_read", default=())


def _shared_processors() -> list[Any]:
    return [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]


def _renderer(json: bool) -> list[Any]:
    if json:
        # The traceback as data, without the frames' local variables: they may hold record
        # contents, names or keys, which never go to a log.
        tracebacks = structlog.processors.ExceptionRenderer(
            structlog.tracebacks.ExceptionDictTransformer(show_locals=False)
        )
        return [tracebacks, structlog.processors.JSONRenderer()]
    return [structlog.dev.ConsoleRenderer(colors=False)]


def json_formatter() -> logging.Formatter:
    """stdlib records (uvicorn's, libraries') rendered as our JSON lines."""
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[
            *_shared_processors(),
            structlog.stdlib.add_logger_name,
            structlog.stdlib.ExtraAdder(),
        ],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *_renderer(True)],
    )


def uvicorn_log_config(level: str, json: bool) -> dict[str, Any] | None:
    """uvicorn's logging in production: its loggers through `json_formatter`; None (uvicorn's
    own console format) in development."""
    if not json:
        return None
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "service.logs.json_formatter"}},
        "handlers": {"json": handler},
        "loggers": {
            name: {"handlers": ["json"], "level": level, "propagate": False}
            for name in ("uvicorn", "uvicorn.error", "uvicorn.access")
        },
        "root": {"handlers": ["json"], "level": "WARNING"},
    }


def configure_logging(level: str = "INFO", json: bool = False) -> None:
    """Route structlog to stderr at `level`; call once at process start."""
    if json:
        # Libraries' stdlib logging (the driver's, asyncio's) as JSON lines too.
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(json_formatter())
        logging.basicConfig(handlers=[handler], level=logging.WARNING, force=True)
    # Strawberry logs every error of a result with its traceback, INVALID_INPUT included;
    # service/api/errors.py logs each one itself: one line, a traceback only when unexpected.
    logging.getLogger("strawberry.execution").setLevel(logging.CRITICAL)
    structlog.configure(
        processors=[*_shared_processors(), *_renderer(json)],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )


def get_logger(name: str) -> Any:
    """A logger bound to the module name; events are short fixed phrases with key-values."""
    if not structlog.is_configured():
        # structlog's own default writes to stdout, which belongs to commands' output.
        configure_logging()
    return structlog.get_logger(name)


def count_rows_read(rows: int) -> None:
    """Add `rows` read from the store to every phase under way (service/store/base.py)."""
    for counter in _rows_read.get():
        counter[0] += rows


@contextmanager
def phase(log: Any, name: str, level: str = "info", **context: Any) -> Iterator[dict[str, Any]]:
    """Log `<name> started` and `<name> finished` with `context`, the rows read from the store
    in between and the seconds taken; `<name> failed` with the error's class when it raises.
    Values the block puts into the yielded dict go into the finished line. Context is ids and
    numbers only: never names or free text from records."""
    emit = getattr(log, level)
    emit(f"{name} started", **context)
    counter = [0]
    token = _rows_read.set((*_rows_read.get(), counter))
    found: dict[str, Any] = {}
    started = time.perf_counter()
    try:
        yield found
    except BaseException as exc:
        seconds = round(time.perf_counter() - started, 3)
        log.warning(f"{name} failed", **context, error=type(exc).__name__, seconds=seconds)
        raise
    finally:
        _rows_read.reset(token)
    seconds = round(time.perf_counter() - started, 3)
    emit(f"{name} finished", **context, **found, rows_read=counter[0], seconds=seconds)
