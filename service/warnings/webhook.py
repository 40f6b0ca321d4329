"""Webhook deliveries: the signature, the address check and one HTTP POST.

A delivery is a JSON body POSTed with these headers (docs/warnings.md):

- `Tejido-Delivery`: the warning's id, the same on every retry: the receiver's idempotency key;
- `Tejido-Timestamp`: Unix seconds when this attempt was signed;
- `Tejido-Signature`: `sha256=` and the hex HMAC-SHA256, keyed by the organization's secret,
  of `<timestamp>.<body>`; a receiver recomputes it and refuses a timestamp too old.

Server-side request forgery: a webhook URL is a request the server makes on someone's behalf,
so by default it may not reach loopback, private, link-local or reserved addresses (checked on
every delivery, after resolving the name, and redirects are not followed).
TEJIDO_WEBHOOK_ALLOW lists the hosts or networks that may be reached anyway (tests: 127.0.0.1).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import ipaddress
import secrets
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from service.errors import InvalidInput, Problem
from service.i18n import _

TIMEOUT_S = 10.0
SIGNATURE_HEADER = "Tejido-Signature"
TIMESTAMP_HEADER = "Tejido-Timestamp"
DELIVERY_HEADER = "Tejido-Delivery"


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """`sha256=<hex>` of HMAC-SHA256(secret, "<timestamp>.<body>")."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def check_url(url: str) -> str:
    """An http(s) URL with a host; what it may reach is checked on delivery."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput(
            [Problem("webhook", None, "url", _("{url} is not an http(s) URL", url=repr(url)))]
        )
    return url


def _allowed(host: str, address: str, allow: tuple[str, ...]) -> bool:
    ip = ipaddress.ip_address(address)
    for entry in allow:
        if entry == host:
            return True
        try:
            if ip in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return ip.is_global and not ip.is_multicast


async def check_destination(url: str, allow: tuple[str, ...]) -> None:
    """Refuse a URL whose host resolves to an address outside the public internet, unless
    the allowlist names the host or a network holding the address."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    infos = await asyncio.get_running_loop().getaddrinfo(host, port)
    for info in infos:
        if not _allowed(host, str(info[4][0]), allow):
            raise PermissionError(f"{host} resolves to {info[4][0]}, not allowed")


@dataclass(frozen=True)
class Outcome:
    delivered: bool
    status: int  # the HTTP status, 0 when no answer came
    error: str


async def deliver(
    url: str, secret: str, delivery_id: str, body: bytes, allow: tuple[str, ...]
) -> Outcome:
    """POST one signed delivery; a 2xx answer delivers it."""
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        DELIVERY_HEADER: delivery_id,
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: signature(secret, timestamp, body),
    }
    try:
        await check_destination(url, allow)
        async with httpx.AsyncClient(timeout=TIMEOUT_S, follow_redirects=False) as client:
            response = await client.post(url, content=body, headers=headers)
    except (httpx.HTTPError, OSError, PermissionError) as exc:
        return Outcome(False, 0, f"{type(exc).__name__}: {exc}"[:300])
    ok = 200 <= response.status_code < 300
    return Outcome(ok, response.status_code, "" if ok else f"HTTP {response.status_code}")
