"""A webhook receiver on a free loopback port, for the warning deliveries of the tests: it
checks each signature, keeps the deliveries it accepted by their idempotency key (the
`Tejido-Delivery` header) and answers `status` (set it to 503 to make deliveries fail)."""

from __future__ import annotations

import hmac
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from service.warnings.webhook import (
    DELIVERY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    signature,
)


@dataclass
class Receiver:
    url: str
    secret: str = ""
    status: int = 200
    attempts: int = 0
    bad_signatures: int = 0
    accepted: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # key -> bodies
    lock: threading.Lock = field(default_factory=threading.Lock)

    def bodies(self) -> list[dict[str, Any]]:
        """The first accepted body of each key, in the order they came."""
        with self.lock:
            return [found[0] for found in self.accepted.values()]


@contextmanager
def webhook_receiver() -> Iterator[Receiver]:
    receiver = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            expected = signature(receiver.secret, self.headers[TIMESTAMP_HEADER], body)
            with receiver.lock:
                receiver.attempts += 1
                if not hmac.compare_digest(expected, self.headers[SIGNATURE_HEADER]):
                    receiver.bad_signatures += 1
                    status = 401
                else:
                    status = receiver.status
                    if status == 200:
                        key = self.headers[DELIVERY_HEADER]
                        receiver.accepted.setdefault(key, []).append(json.loads(body))
            self.send_response(status)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
