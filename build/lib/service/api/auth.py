"""Bearer key -> Viewer. No key, a malformed one, an unknown or a revoked one: HTTP 401."""

from __future__ import annotations

from fastapi import HTTPException, Request, status

from service.i18n import _
from service.keys import KeyHolder, holder_of_key
from service.store import Store

_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="tejido"'}


async def authenticate(request: Request, store: Store) -> KeyHolder:
    scheme, _space, key = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, _("an API key is required"), _CHALLENGE)
    holder = await holder_of_key(store, key.strip())
    if holder is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, _("unknown or revoked API key"), _CHALLENGE
        )
    return holder
