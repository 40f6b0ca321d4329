"""Embed tokens: signed, expiring, revocable links to one view as one organization sees it.

A token is a JWT (PyJWT, HS256 only) whose claims fix the view, its parameters, the
organization whose access it uses, a marking cap and the origins that may frame it. It is also
stored in the database (:EmbedToken, not a :Record, like API keys), and every request checks
it there: a revoked token fails at once on every worker, and a token whose claims differ from
its stored copy is refused even with a valid signature.

The viewer of an embed is a reader of the token's organization cleared up to the cap: it sees
what that organization may see at or below the cap, whatever its creator could see.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import jwt

from service.access import Role, Tlp, Viewer, admitted_networks
from service.config import Settings
from service.embed.views import check_params
from service.errors import InvalidInput, NotFound, Problem, TejidoError
from service.i18n import _
from service.i18n.model_labels import names_no
from service.logs import get_logger
from service.store import Row, Store

log = get_logger(__name__)

ALGORITHM = "HS256"  # the only one accepted: never "none", never one named by the token
AUDIENCE = "tejido-embed"
DEFAULT_EXPIRY = dt.timedelta(days=30)
MAX_EXPIRY = dt.timedelta(days=366)
MIN_EXPIRY = dt.timedelta(minutes=1)
DEFAULT_CAP = Tlp.GREEN
_DURATION = re.compile(r"(\d{1,6})([mhdw])")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
# An origin as CSP's frame-ancestors takes it: scheme, host, optional port; nothing that could
# end the directive or add another (no spaces, quotes, semicolons, paths or wildcards).
_ORIGIN = re.compile(r"https?://[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?(:\d{1,5})?")


class InvalidEmbed(TejidoError):
    """A token that is forged, tampered with, expired, revoked or unknown: HTTP 401."""

    code = "UNAUTHENTICATED"
    exit_code = 3


@dataclass(frozen=True)
class EmbedToken:
    """A verified token: what it shows and whose access it uses."""

    id: str
    org: str
    view: str
    params: dict[str, str]
    max_tlp: Tlp
    expires_at: dt.datetime
    frame_ancestors: tuple[str, ...]
    networks: tuple[str, ...] = ()

    @property
    def viewer(self) -> Viewer:
        return Viewer(self.org, Role.READER, self.max_tlp, self.networks)


@dataclass(frozen=True)
class NewEmbed:
    id: str
    token: str  # the signed token; only its id is stored in clear
    expires_at: dt.datetime

    @property
    def path(self) -> str:
        return f"/embed/{self.token}"


def _problem(field: str, message: str) -> InvalidInput:
    return InvalidInput([Problem("embed", None, field, message)])


def parse_duration(text: str) -> dt.timedelta:
    """'30d', '12h', '90m', '2w' -> a timedelta between a minute and a year."""
    match = _DURATION.fullmatch(text.strip())
    if not match:
        raise _problem(
            "expires", _("{text} is not a duration like 30d, 12h, 90m or 2w", text=repr(text))
        )
    duration = dt.timedelta(**{_UNITS[match[2]]: int(match[1])})
    if not MIN_EXPIRY <= duration <= MAX_EXPIRY:
        raise _problem(
            "expires", _("{text}: a token lives between 1 minute and 366 days", text=repr(text))
        )
    return duration


def check_cap(max_tlp: Tlp, creator_clearance: Tlp = Tlp.RED) -> None:
    """A cap is GREEN at least (the access tokens give CLEAR and GREEN records to every viewer
    alike, so a CLEAR cap would promise what it cannot keep) and never above the creator's."""
    if max_tlp is Tlp.CLEAR:
        raise _problem(
            "maxTlp", _("CLEAR cannot be a cap: GREEN and CLEAR records are shown alike")
        )
    if max_tlp.rank > creator_clearance.rank:
        raise _problem(
            "maxTlp",
            _(
                "{cap} is above the creator's clearance {clearance}",
                cap=max_tlp,
                clearance=creator_clearance,
            ),
        )


def check_origins(origins: Sequence[str]) -> tuple[str, ...]:
    """Origins allowed to frame the view, each exactly scheme://host[:port]."""
    bad = [o for o in origins if not _ORIGIN.fullmatch(o)]
    if bad:
        raise _problem(
            "frameAncestors",
            _("{bad} are not origins like https://dashboard.example.org", bad=bad),
        )
    return tuple(sorted(set(origins)))


async def signing_key(store: Store, settings: Settings) -> str:
    """TEJIDO_EMBED_SIGNING_KEY, else the key kept in the database (made on first use)."""
    if settings.embed_signing_key is not None:
        return settings.embed_signing_key.get_secret_value()
    found = await store.read_or_create(
        "embed_signing_key",
        "ensure_embed_signing_key",
        candidate=secrets.token_urlsafe(48),
        now=_now().isoformat(),
    )
    return str(found[0]["secret"])  # another worker's key if it got there first


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _params_text(params: Mapping[str, str]) -> str:
    return json.dumps(dict(params), sort_keys=True, separators=(",", ":"))


async def create_embed(
    store: Store,
    settings: Settings,
    org: str,
    view: str,
    params: Mapping[str, str],
    *,
    creator_clearance: Tlp,
    created_by: str,
    max_tlp: Tlp = DEFAULT_CAP,
    expires_in: dt.timedelta = DEFAULT_EXPIRY,
    frame_ancestors: Sequence[str] = (),
    issued_at: dt.datetime | None = None,
) -> NewEmbed:
    """A new token for a view of `org`'s; the cap may not exceed the creator's clearance.
    `issued_at` (default now) lets tests make a token that has already expired."""
    check_cap(max_tlp, creator_clearance)
    if not MIN_EXPIRY <= expires_in <= MAX_EXPIRY:
        raise _problem("expires", _("a token lives between 1 minute and 366 days"))
    checked = check_params(view, params)
    origins = check_origins(frame_ancestors)
    found = await store.operator_read("records_by_id", ids=[org])
    if not found or found[0]["label"] != "Organization":
        raise _problem("org", names_no(org, "Organization"))
    token_id, now = secrets.token_hex(8), (issued_at or _now()).replace(microsecond=0)
    expires_at = now + expires_in
    claims = {
        "jti": token_id,
        "aud": AUDIENCE,
        "iat": now,
        "exp": expires_at,
        "org": org,
        "view": view,
        "params": checked,
        "tlp": max_tlp.value,
        "fa": list(origins),
    }
    token = jwt.encode(claims, await signing_key(store, settings), algorithm=ALGORITHM)
    await store.write(
        "create_embed_token",
        id=token_id,
        org=org,
        view=view,
        params=_params_text(checked),
        max_tlp=max_tlp.value,
        expires_at=expires_at.isoformat(),
        frame_ancestors=list(origins),
        created_by=created_by,
        now=now.isoformat(),
    )
    log.info("embed token created", id=token_id, org=org, view=view, max_tlp=max_tlp.value)
    return NewEmbed(token_id, token, expires_at)


async def list_embeds(store: Store, org: str | None = None) -> list[Row]:
    """Tokens (never the signed tokens themselves), newest first; only `org`'s if given."""
    rows = await store.operator_read("list_embed_tokens", org=org)
    return [{**row, "params": json.loads(row["params"])} for row in rows]


async def revoke_embed(store: Store, token_id: str, org: str | None = None) -> str:
    """Revoke a token (only `org`'s own if given); returns when it was revoked."""
    rows = await store.write("revoke_embed_token", id=token_id, org=org, now=_now().isoformat())
    if not rows:
        raise NotFound(_("no embed token with id {id}", id=repr(token_id)))
    log.info("embed token revoked", id=token_id)
    return str(rows[0]["revoked_at"])


def _claims(token: str, key: str) -> dict[str, Any]:
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            options={"require": ["jti", "aud", "iat", "exp", "org", "view", "params", "tlp"]},
        )
    except jwt.ExpiredSignatureError:  # only raised once the signature has been checked
        raise InvalidEmbed(_("this embed link has expired")) from None
    except jwt.InvalidTokenError:
        raise InvalidEmbed(_("this embed link is not valid")) from None
    return claims


def _matches(claims: Mapping[str, Any], row: Row) -> bool:
    """The signed claims say exactly what the stored token says."""
    return (
        claims["org"] == row["org"]
        and claims["view"] == row["view"]
        and isinstance(claims["params"], dict)
        and _params_text(claims["params"]) == row["params"]
        and claims["tlp"] == row["max_tlp"]
        and list(claims.get("fa") or []) == list(row["frame_ancestors"] or [])
        and dt.datetime.fromtimestamp(claims["exp"], dt.UTC).isoformat() == row["expires_at"]
    )


async def verify_embed(store: Store, settings: Settings, token: str) -> EmbedToken:
    """The token's view and viewer, or InvalidEmbed: forged, tampered, expired or revoked."""
    claims = _claims(token, await signing_key(store, settings))
    rows = await store.operator_read("embed_token_by_id", id=str(claims["jti"]))
    if not rows:
        raise InvalidEmbed(_("this embed link was revoked or does not exist"))
    row = rows[0]
    if not _matches(claims, row):
        log.warning("embed token differs from its record", id=row["id"])
        raise InvalidEmbed(_("this embed link is not valid"))
    expires_at = dt.datetime.fromisoformat(row["expires_at"])
    if expires_at <= _now():  # the stored expiry rules too, whatever the clock skew allowed
        raise InvalidEmbed(_("this embed link has expired"))
    return EmbedToken(
        id=row["id"],
        org=row["org"],
        view=row["view"],
        params=dict(claims["params"]),
        max_tlp=Tlp(row["max_tlp"]),
        expires_at=expires_at,
        frame_ancestors=tuple(row["frame_ancestors"] or ()),
        networks=admitted_networks(row["memberships"], _now().date()),
    )
