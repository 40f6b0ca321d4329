"""structlog set-up: readable console lines in development, JSON lines in production."""

from __future__ import annotations

import logging
import sys
from typing import Any

import structlog


def configure_logging(level: str = "INFO", json: bool = False) -> None:
    """Route structlog to stderr at `level`; call once at process start."""
    renderer: Any = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            renderer,
        ],
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
