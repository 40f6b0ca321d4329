"""The real app under uvicorn on a free loopback port, for tests that need a live server (the
browser tests drive it with Chromium). Usage:

    with serve_app(graph.settings) as base_url:   # or seeded_graph.settings for the seed
        httpx.get(f"{base_url}/healthz")

The app opens its own store from `settings` (in uvicorn's thread and event loop), so it sees
exactly the graph the test wrote to through its `store` fixture.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from service.api.app import create_app
from service.config import Settings

START_TIMEOUT_S = 30.0


@contextmanager
def serve_app(settings: Settings) -> Iterator[str]:
    """Serve create_app(settings) until the block ends; yields the base URL."""
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=0, log_level="warning", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="tejido-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=START_TIMEOUT_S)
