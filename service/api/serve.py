"""`tejido serve`: uvicorn in front of the app, the embedded database started first if needed."""

from __future__ import annotations

import contextlib
import os

import uvicorn

from service.config import Settings
from service.store import embedded_server


def run(settings: Settings, host: str, port: int, workers: int) -> None:
    """Serve until interrupted. With no TEJIDO_GRAPH_URI this process owns the embedded
    database and every worker attaches to it, so workers stay stateless and interchangeable."""
    with contextlib.ExitStack() as stack:
        if not settings.graph_uri:
            address = stack.enter_context(embedded_server(settings))
            os.environ["TEJIDO_GRAPH_URI"] = f"falkordb://{address.host}:{address.port}"
        uvicorn.run(
            "service.api.app:app_from_env",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level=settings.log_level.lower(),
        )
