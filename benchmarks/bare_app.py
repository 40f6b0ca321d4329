"""The yardstick of `api_throughput.py`: the API's Cypher behind bare FastAPI endpoints.

Each endpoint runs exactly the statements the GraphQL API runs for the same question, through
the same `Store`, with the parameters of one fixed `Viewer`, and returns the rows as JSON: no
GraphQL, no DataLoaders, no API key look-up. What the GraphQL API costs on top of this is what
the benchmark measures.

- `GET /bare/actor/{id}`: `records_by_ids` (the actor), `links_of_many` (its first 20 links
  that hold today), `records_by_ids` (the records at their other ends: id and name).
- `GET /bare/incidents?territory=ID`: `incidents_page_in_territory` (first 20, the territory and
  the ones below it), `records_by_ids` (those incidents).

`api_throughput.py` starts it beside `tejido serve`, on the same database:

    TEJIDO_GRAPH_URI=falkordb://127.0.0.1:PORT python benchmarks/bare_app.py \
        --port 8001 --key tjd_...
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from service.access import Viewer
from service.config import Settings
from service.keys import holder_of_key
from service.logs import configure_logging
from service.store import Row, Store, open_store

PAGE = 20  # the GraphQL API's default page, which the benchmark's queries ask for
# Stored for access control and search, never shown (as service.api.types.records.INTERNAL).
INTERNAL = frozenset({"acl", "name_acl", "search_text", "search_name"})


def _today() -> str:
    return dt.datetime.now(dt.UTC).date().isoformat()


def _public(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k not in INTERNAL}


async def _viewer(store: Store, key: str) -> Viewer:
    """The viewer the key stands for, resolved as the API resolves it; looked up once."""
    holder = await holder_of_key(store, key)
    if holder is None:
        raise SystemExit("bare_app: unknown or revoked key")
    return holder.viewer


async def _records(store: Store, params: dict[str, object], ids: list[str]) -> dict[str, Row]:
    """The visible records among `ids`, by id, without the internal fields."""
    if not ids:
        return {}
    rows = await store.read("records_by_ids", ids=ids, **params)
    return {row["record"]["id"]: {"label": row["label"], **_public(row["record"])} for row in rows}


def create_app(settings: Settings, key: str) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with open_store(settings, ensure_schema=False) as store:
            app.state.store = store
            app.state.params = (await _viewer(store, key)).params()
            yield

    app = FastAPI(title="Tejido bare benchmark app", lifespan=lifespan)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/bare/actor/{actor_id}")
    async def actor(actor_id: str, request: Request) -> JSONResponse:
        store: Store = request.app.state.store
        params: dict[str, object] = request.app.state.params
        found = await _records(store, params, [actor_id])
        if actor_id not in found:
            return JSONResponse({"actor": None}, status_code=404)
        pages = await store.read(
            "links_of_many",
            ids=[actor_id],
            types=[],
            direction="BOTH",
            as_of=_today(),
            offset=0,
            first=PAGE,
            **params,
        )
        total, links = (int(pages[0]["total"]), pages[0]["links"]) if pages else (0, [])
        others = await _records(store, params, list(dict.fromkeys(r["other_id"] for r in links)))
        items = []
        for link in links:
            other = others.get(link["other_id"])
            end = {"id": other["id"], "name": other["name"]} if other else None
            items.append({**_public(link), "other": end})
        return JSONResponse({"actor": found[actor_id], "links": {"total": total, "items": items}})

    @app.get("/bare/incidents")
    async def incidents(territory: str, request: Request) -> JSONResponse:
        store: Store = request.app.state.store
        params: dict[str, object] = request.app.state.params
        page = (
            await store.read_within(
                "incidents_page",
                territory,
                kinds=[],
                date_from=None,
                date_to=None,
                perpetrator=None,
                target=None,
                offset=0,
                first=PAGE,
                **params,
            )
        )[0]
        found = await _records(store, params, page["ids"])
        items = [found[i] for i in page["ids"] if i in found]
        return JSONResponse({"total": int(page["total"]), "items": items})

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--key", required=True, help="the API key whose viewer to read as")
    args = parser.parse_args()
    settings = Settings()  # TEJIDO_GRAPH_URI names the running database
    configure_logging(settings.log_level, json=settings.env == "production")
    app = create_app(settings, args.key)
    # The same server set-up as `tejido serve`: uvicorn, one worker, the same log level.
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level=settings.log_level.lower())


if __name__ == "__main__":
    main()
