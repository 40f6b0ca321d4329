"""The key cache (service/api/auth.py): a key costs one look-up per key_cache_s seconds, and a
revoked key is refused once that time has passed."""

from __future__ import annotations

import asyncio

import httpx

from service.access import Role, Tlp
from service.config import Settings
from service.keys import create_key, revoke_key, settled
from service.store import Store
from tests.support.graphql_client import app_client
from tests.support.tables import load_rows
from tests.test_access import ORGS

TTL_S = 1.0
QUERY = {"query": "{ viewer { organization } }"}


async def status(http: httpx.AsyncClient, key: str) -> int:
    response = await http.post("/graphql", json=QUERY, headers={"Authorization": f"Bearer {key}"})
    return response.status_code


async def test_a_revoked_key_is_refused_within_the_cache_time(store: Store) -> None:
    await load_rows(store, organizations=ORGS)
    key = await create_key(store, "org-a", Role.READER, Tlp.GREEN)
    async with app_client(store, Settings(key_cache_s=TTL_S)) as http:
        assert await status(http, key.key) == 200
        before = store.round_trips
        assert await status(http, key.key) == 200
        assert store.round_trips == before  # the viewer field reads nothing, the key is cached
        await revoke_key(store, key.id)
        assert await status(http, key.key) == 200  # still remembered: the documented window
        await asyncio.sleep(TTL_S + 0.2)
        assert await status(http, key.key) == 401
        assert await status(http, key.key) == 401  # a refused key stays refused


async def test_unknown_and_forged_keys_are_refused_and_remembered(store: Store) -> None:
    await load_rows(store, organizations=ORGS)
    key = await create_key(store, "org-a", Role.READER, Tlp.GREEN)
    forged = key.key[:-4] + ("AAAA" if not key.key.endswith("AAAA") else "BBBB")
    async with app_client(store, Settings(key_cache_s=60)) as http:
        assert await status(http, forged) == 401
        before = store.round_trips
        assert await status(http, forged) == 401
        assert store.round_trips == before
        assert await status(http, key.key) == 200  # the forged key's entry is not the real one's


async def test_no_cache_looks_every_key_up(store: Store) -> None:
    await load_rows(store, organizations=ORGS)
    key = await create_key(store, "org-a", Role.READER, Tlp.GREEN)
    async with app_client(store, Settings(key_cache_s=0)) as http:
        assert await status(http, key.key) == 200
        await revoke_key(store, key.id)
        assert await status(http, key.key) == 401


async def test_requests_presenting_one_new_key_at_once_share_one_look_up(store: Store) -> None:
    await load_rows(store, organizations=ORGS)
    alone = await create_key(store, "org-a", Role.READER, Tlp.GREEN)
    burst = await create_key(store, "org-a", Role.READER, Tlp.GREEN)
    async with app_client(store, Settings(key_cache_s=60)) as http:
        before = store.round_trips
        assert await status(http, alone.key) == 200
        await settled()
        one_request = store.round_trips - before  # its look-up (and its last-use note)
        before = store.round_trips
        statuses = await asyncio.gather(*(status(http, burst.key) for _ in range(8)))
        await settled()
        assert statuses == [200] * 8
        assert store.round_trips - before == one_request
