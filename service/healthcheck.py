"""`python -m service.healthcheck URL`: exit 0 when URL answers 200, 1 otherwise.

The container images have no curl; this is what their HEALTHCHECK runs (against /readyz, so a
container whose database does not answer is unhealthy, not merely alive).
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.request

TIMEOUT_S = 4.0


def main(argv: list[str]) -> int:
    url = argv[1] if len(argv) > 1 else "http://127.0.0.1:8000/readyz"
    if not url.startswith(("http://127.0.0.1", "http://localhost")):
        return 2  # a health check asks the container itself, nothing else
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response:  # noqa: S310 - loopback
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError):
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
