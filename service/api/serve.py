"""`tejido serve`: uvicorn in front of the app, the embedded database started first if needed."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import socket
import tempfile

import uvicorn

from service.config import Settings
from service.errors import CannotServe, StoreUnavailable
from service.i18n import _
from service.logs import configure_logging, uvicorn_log_config
from service.store import embedded_server


def _check_address(host: str, port: int) -> None:
    """Fail early, and with a message that says why, when the address cannot be listened on
    (uvicorn would exit 3 after a traceback, and 3 means bad input here)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise CannotServe(
                    _("{address} is in use").format(address=f"{host}:{port}")
                ) from None
            raise CannotServe(
                _("{address} cannot be used: {error}").format(address=f"{host}:{port}", error=exc)
            ) from None


def _ignore(signum: int, frame: object) -> None:
    """Stand in for the default handler once uvicorn has already stopped on the signal."""


def run(settings: Settings, host: str, port: int, workers: int) -> None:
    """Serve until interrupted. With no TEJIDO_GRAPH_URI this process owns the embedded
    database and every worker attaches to it, so workers stay stateless and interchangeable.
    If the embedded database dies and cannot be started again, stop with exit code 4."""
    production = settings.env == "production"
    configure_logging(settings.log_level, json=production)
    _check_address(host, port)
    lost: list[bool] = []

    def database_lost() -> None:
        lost.append(True)
        os.kill(os.getpid(), signal.SIGTERM)  # uvicorn shuts down in order

    with contextlib.ExitStack() as stack:
        if workers > 1 and "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
            # Each worker writes its metrics here and /metrics sums them (service/metrics.py).
            metrics_dir = stack.enter_context(tempfile.TemporaryDirectory(prefix="tejido-metrics-"))
            os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
        if not settings.graph_uri:
            address = stack.enter_context(embedded_server(settings, on_failure=database_lost))
            os.environ["TEJIDO_GRAPH_URI"] = f"falkordb://{address.host}:{address.port}"
        # uvicorn stops on SIGTERM/SIGINT and then raises the signal again for the handler that
        # was there before it; a handler that does nothing lets the database stop in order
        # and the exit code below be ours (0, or 4 when the database was lost).
        for sig in (signal.SIGTERM, signal.SIGINT):
            stack.callback(signal.signal, sig, signal.signal(sig, _ignore))
        try:
            uvicorn.run(
                "service.api.app:app_from_env",
                factory=True,
                host=host,
                port=port,
                workers=workers,
                log_level=settings.log_level.lower(),
                log_config=uvicorn_log_config(settings.log_level, json=production),
            )
        except SystemExit as exc:
            if exc.code not in (0, None):
                raise CannotServe(
                    _("the server did not start on {address}").format(address=f"{host}:{port}")
                ) from None
            raise
    if lost:
        raise StoreUnavailable(_("the embedded database died and could not be started again"))
