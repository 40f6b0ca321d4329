"""Bearer key -> Viewer. No key, a malformed one, an unknown or a revoked one: HTTP 401, with a
GraphQL-shaped body (service/api/errors.py)."""

from __future__ import annotations

from fastapi import Request

from service.errors import Unauthenticated
from service.i18n import _
from service.keys import KeyHolder, holder_of_key
from service.store import Store


async def authenticate(request: Request, store: Store) -> KeyHolder:
    scheme, _space, key = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise Unauthenticated(_("an API key is required"))
    holder = await holder_of_key(store, key.strip())
    if holder is None:
        raise Unauthenticated(_("unknown or revoked API key"))
    return holder
