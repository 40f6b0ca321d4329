"""Embed tokens against the attacks we could think of, on both backends. Each attack must end
in InvalidEmbed (HTTP 401 at the routes, tests/embed/test_routes.py) and never in a viewer."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import json
from typing import Any

import jwt
import pytest
from pydantic import SecretStr

from service.access import Role, Tlp
from service.embed.tokens import (
    AUDIENCE,
    InvalidEmbed,
    create_embed,
    list_embeds,
    revoke_embed,
    signing_key,
    verify_embed,
)
from service.errors import InvalidInput, NotFound
from tests.support.backends import Graph
from tests.support.embed_graph import load_graph, make_embed

COLLUSION = {"territory": "ter-r"}


@pytest.fixture
async def small(graph: Graph) -> Graph:
    await load_graph(graph.store)
    return graph


def claims_of(token: str) -> dict[str, Any]:
    return jwt.decode(token, options={"verify_signature": False})


def with_payload(token: str, **changes: Any) -> str:
    """The token with claims changed in its payload and its original signature kept."""
    header, _, signature = token.split(".")
    payload = {**claims_of(token), **changes}
    encoded = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    return f"{header}.{encoded}.{signature}"


async def refused(graph: Graph, token: str) -> str:
    with pytest.raises(InvalidEmbed) as caught:
        await verify_embed(graph.store, graph.settings, token)
    return str(caught.value)


async def test_a_valid_token_gives_a_reader_of_its_org_at_its_cap(small: Graph) -> None:
    new = await make_embed(small.store, small.settings, "collusion", COLLUSION, Tlp.AMBER)
    assert new.path == f"/embed/{new.token}"
    verified = await verify_embed(small.store, small.settings, new.token)
    assert (verified.id, verified.view, verified.params) == (new.id, "collusion", COLLUSION)
    assert verified.viewer.role is Role.READER
    assert verified.viewer.clearance is Tlp.AMBER
    assert verified.frame_ancestors == ()
    assert new.token not in json.dumps(await list_embeds(small.store))  # only its id is stored


async def test_forged_tampered_and_resigned_tokens_are_refused(small: Graph) -> None:
    new = await make_embed(small.store, small.settings, "collusion", COLLUSION)
    token = new.token
    flipped = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert await refused(small, flipped) == "this embed link is not valid"
    for change in (
        {"org": "org-b"},
        {"tlp": "RED"},
        {"view": "powermap"},
        {"params": {"territory": "ter-v"}},
        {"fa": ["https://evil.example"]},
        {"exp": claims_of(token)["exp"] + 86_400 * 365},
        {"jti": "0" * 16},
    ):
        assert await refused(small, with_payload(token, **change)) == "this embed link is not valid"
    other_key = "another-key-of-at-least-thirty-two-characters"
    resigned = jwt.encode({**claims_of(token), "tlp": "RED"}, other_key, algorithm="HS256")
    assert await refused(small, resigned) == "this embed link is not valid"
    for garbage in ("", "x", "a.b.c", "." * 3, token + "." + token, "A" * 5000):
        assert await refused(small, garbage) == "this embed link is not valid"


async def test_alg_none_and_algorithm_confusion_are_refused(small: Graph) -> None:
    new = await make_embed(small.store, small.settings, "collusion", COLLUSION)
    unsigned = jwt.encode(claims_of(new.token), None, algorithm="none")
    assert await refused(small, unsigned) == "this embed link is not valid"
    key = await signing_key(small.store, small.settings)
    hs512 = jwt.encode(claims_of(new.token), key, algorithm="HS512")  # the right key, other alg
    assert await refused(small, hs512) == "this embed link is not valid"


async def test_with_the_signing_key_leaked_the_database_still_decides(small: Graph) -> None:
    """Claims re-signed with the real key must still match the stored token exactly."""
    new = await make_embed(small.store, small.settings, "collusion", COLLUSION)
    key = await signing_key(small.store, small.settings)
    for change in ({"tlp": "RED"}, {"org": "org-b"}, {"params": {"territory": "ter-v"}}):
        forged = jwt.encode({**claims_of(new.token), **change}, key, algorithm="HS256")
        assert await refused(small, forged) == "this embed link is not valid"
    unknown = jwt.encode(
        {**claims_of(new.token), "jti": "feedfacefeedface"}, key, algorithm="HS256"
    )
    assert await refused(small, unknown) == "this embed link was revoked or does not exist"
    no_expiry = {k: v for k, v in claims_of(new.token).items() if k != "exp"}
    assert await refused(small, jwt.encode(no_expiry, key, algorithm="HS256")) == (
        "this embed link is not valid"
    )
    other_audience = jwt.encode({**claims_of(new.token), "aud": "api"}, key, algorithm="HS256")
    assert AUDIENCE != "api"
    assert await refused(small, other_audience) == "this embed link is not valid"


async def test_expired_and_revoked_tokens_are_refused(small: Graph) -> None:
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
    expired = await make_embed(
        small.store,
        small.settings,
        "collusion",
        COLLUSION,
        issued_at=long_ago,
        expires_in=dt.timedelta(days=1),
    )
    assert await refused(small, expired.token) == "this embed link has expired"
    live = await make_embed(small.store, small.settings, "collusion", COLLUSION)
    await verify_embed(small.store, small.settings, live.token)
    await revoke_embed(small.store, live.id)
    assert await refused(small, live.token) == "this embed link was revoked or does not exist"
    listed = {row["id"]: row for row in await list_embeds(small.store)}
    assert listed[live.id]["revoked_at"] and not listed[expired.id]["revoked_at"]
    with pytest.raises(NotFound):
        await revoke_embed(small.store, "no-such-token")
    with pytest.raises(NotFound):  # an admin revokes only its own organization's tokens
        await revoke_embed(small.store, expired.id, org="org-b")


async def test_a_cap_above_the_creators_clearance_is_refused(small: Graph) -> None:
    with pytest.raises(InvalidInput) as caught:
        await create_embed(
            small.store,
            small.settings,
            "org-a",
            "collusion",
            COLLUSION,
            creator_clearance=Tlp.AMBER,
            created_by="test",
            max_tlp=Tlp.RED,
        )
    assert caught.value.problems[0].column == "maxTlp"
    assert await list_embeds(small.store) == []


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"frame_ancestors": ["https://ok.example; script-src *"]}, "frameAncestors"),
        ({"frame_ancestors": ["*"]}, "frameAncestors"),
        ({"frame_ancestors": ["javascript:alert(1)"]}, "frameAncestors"),
        ({"frame_ancestors": ["https://ok.example 'unsafe-inline'"]}, "frameAncestors"),
        ({"expires_in": dt.timedelta(days=400)}, "expires"),
        ({"max_tlp": Tlp.CLEAR}, "maxTlp"),
        ({"org": "org-nope"}, "org"),
    ],
)
async def test_bad_token_options_are_refused(
    small: Graph, options: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        await make_embed(small.store, small.settings, "collusion", COLLUSION, **options)
    assert caught.value.problems[0].column == field


async def test_frame_ancestors_are_kept(small: Graph) -> None:
    origins = ("https://dash.example.org", "http://localhost:3000")
    new = await make_embed(
        small.store, small.settings, "collusion", COLLUSION, frame_ancestors=origins
    )
    verified = await verify_embed(small.store, small.settings, new.token)
    assert verified.frame_ancestors == tuple(sorted(origins))


async def test_one_signing_key_for_every_worker(small: Graph) -> None:
    keys = await asyncio.gather(*(signing_key(small.store, small.settings) for _ in range(8)))
    assert len(set(keys)) == 1
    assert len(keys[0]) >= 32
    new = await make_embed(small.store, small.settings, "collusion", COLLUSION)
    configured = small.settings.model_copy(
        update={"embed_signing_key": SecretStr("configured-key-of-at-least-32-characters")}
    )
    with pytest.raises(InvalidEmbed):  # a token signed by the stored key, checked with another
        await verify_embed(small.store, configured, new.token)
    signed = await make_embed(small.store, configured, "collusion", COLLUSION)
    assert (await verify_embed(small.store, configured, signed.token)).id == signed.id


async def test_tokens_leave_the_graph_version_and_its_caches_alone(small: Graph) -> None:
    before = await small.store.graph_version()
    new = await make_embed(small.store, small.settings, "collusion", COLLUSION)
    await verify_embed(small.store, small.settings, new.token)
    await revoke_embed(small.store, new.id)
    assert await small.store.graph_version() == before
