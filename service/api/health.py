"""GET /healthz (liveness) and GET /readyz (readiness), for load balancers and supervisors.

/readyz: the database answers now (503 otherwise): take the process out of rotation.
/healthz: the process can still serve: 503 once the database has not answered for
TEJIDO_UNHEALTHY_AFTER_S, so that a supervisor restarts a process that cannot recover on its
own, while a short outage (the embedded database restarting, a Neo4j failover) is waited out.
"""

from __future__ import annotations

import time

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from service.api import deps
from service.config import Settings
from service.errors import StoreUnavailable
from service.logs import get_logger
from service.store import Store

log = get_logger(__name__)
router = APIRouter()
PING_TIMEOUT_S = 2.0


async def _ping(store: Store) -> str | None:
    """None when the database answers, else why not, in words any caller may read: where the
    database lives and what its driver said go to the log only."""
    try:
        await store.ping()
    except StoreUnavailable as exc:
        log.warning("database unavailable", error=str(exc), detail=exc.detail)
        return str(exc)
    return None


@router.get("/healthz")
async def healthz(
    request: Request,
    store: Store = Depends(deps.store),  # noqa: B008
    settings: Settings = Depends(deps.settings),  # noqa: B008
) -> JSONResponse:
    """Alive, unless the database has been out of reach for too long."""
    state = request.app.state
    now = time.monotonic()
    last = getattr(state, "database_answered_at", None) or now
    reason = await _ping(store)
    if reason is None:
        state.database_answered_at = now
        return JSONResponse({"status": "ok"})
    state.database_answered_at = last
    down_for = round(now - last, 1)
    if down_for >= settings.unhealthy_after_s:
        body = {"status": "unhealthy", "database_down_s": down_for, "reason": reason}
        return JSONResponse(body, status_code=503)
    return JSONResponse({"status": "ok", "database": "unavailable", "database_down_s": down_for})


@router.get("/readyz")
async def readyz(store: Store = Depends(deps.store)) -> JSONResponse:  # noqa: B008
    """The database answers."""
    reason = await _ping(store)
    if reason is not None:
        return JSONResponse({"status": "unavailable", "reason": reason}, status_code=503)
    return JSONResponse({"status": "ready", "database": store.dialect})


async def store_unavailable(request: Request, exc: Exception) -> JSONResponse:
    """A request the database could not answer (before GraphQL ran: the key's lookup): 503
    with a GraphQL-shaped error and Retry-After, one log line, no traceback."""
    detail = exc.detail if isinstance(exc, StoreUnavailable) else ""
    log.warning("database unavailable", path=request.url.path, error=str(exc), detail=detail)
    error = {"message": str(exc), "extensions": {"code": StoreUnavailable.code}}
    return JSONResponse({"errors": [error]}, status_code=503, headers={"Retry-After": "1"})
