"""Mutations: analysts write their own organization's records (service/edits.py). Bad input
comes back as typed errors in the payload; a reader gets a FORBIDDEN error
(service/api/permissions.py); nothing is half-written."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Awaitable
from typing import Any

import strawberry
import structlog
from strawberry.types import Info

from service import edits
from service.api import audit
from service.api.context import context
from service.api.errors import InputErrors, input_errors
from service.api.permissions import IsAdminToDisclose, IsWriter, only
from service.api.types.inputs import (
    ActorInput,
    CaseInput,
    DefenderInput,
    IncidentInput,
    LinkInput,
    OrganizationInput,
    SourceInput,
    TerritoryInput,
)
from service.api.types.results import Linked, LinkResult, Saved, SaveResult, Shared, ShareResult
from service.errors import InvalidInput, TejidoError
from service.store import Store
from service.xref import throttle
from service.xref.workflow import MATCHED_LABELS, match_new

log = structlog.get_logger(__name__)


def _values(data: object, leave_out: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        f.name: getattr(data, f.name)
        for f in dataclasses.fields(data)  # type: ignore[arg-type]
        if f.name not in leave_out and getattr(data, f.name) is not None
    }


async def _saved(info: Info[Any, Any], label: str, work: Awaitable[str]) -> Saved | InputErrors:
    try:
        record_id = await work
    except InvalidInput as exc:
        return input_errors(exc)
    ctx = context(info)
    audit.changed(ctx, label, record_id)
    if label in MATCHED_LABELS:
        await _match(ctx.store, ctx.viewer.org, record_id)
    return Saved(id=strawberry.ID(record_id))


async def _match(store: Store, org: str, record_id: str) -> None:
    """Match a record just written against the other holders' (cross-referencing), as often as
    the organization's allowance lets it (service/xref/throttle.py). The write stands whatever
    happens here: a deferred or failed match waits for the next `tejido xref`."""
    if not throttle.allow(org):
        log.info("cross-referencing deferred to the next tejido xref", id=record_id, org=org)
        return
    try:
        await match_new(store, [record_id])
    except TejidoError:
        log.exception("cross-referencing a new record failed", id=record_id)


def _upsert(info: Info[Any, Any], label: str, data: object) -> Awaitable[Saved | InputErrors]:
    ctx = context(info)
    return _saved(info, label, edits.upsert(ctx.store, ctx.viewer, label, _values(data)))


@strawberry.type
class RecordMutation:
    @strawberry.mutation(
        description="Create an actor, or change one of your organization's.",
        extensions=only(IsWriter()),
    )
    async def upsert_actor(self, info: Info[Any, Any], input: ActorInput) -> SaveResult:
        return await _upsert(info, "Actor", input)

    @strawberry.mutation(
        description="Create a defender, or change one of your organization's.",
        extensions=only(IsWriter()),
    )
    async def upsert_defender(self, info: Info[Any, Any], input: DefenderInput) -> SaveResult:
        return await _upsert(info, "Defender", input)

    @strawberry.mutation(
        description="Create an organization, or change your own; `xrefDisclose` is for admins.",
        extensions=only(IsWriter(), IsAdminToDisclose()),
    )
    async def upsert_organization(
        self, info: Info[Any, Any], input: OrganizationInput
    ) -> SaveResult:
        return await _upsert(info, "Organization", input)

    @strawberry.mutation(extensions=only(IsWriter()))
    async def upsert_territory(self, info: Info[Any, Any], input: TerritoryInput) -> SaveResult:
        return await _upsert(info, "Territory", input)

    @strawberry.mutation(extensions=only(IsWriter()))
    async def upsert_source(self, info: Info[Any, Any], input: SourceInput) -> SaveResult:
        return await _upsert(info, "Source", input)

    @strawberry.mutation(
        description="An incident with its place, perpetrators and targets.",
        extensions=only(IsWriter()),
    )
    async def record_incident(self, info: Info[Any, Any], input: IncidentInput) -> SaveResult:
        ctx = context(info)
        perpetrators = [(str(p.actor), p.attribution) for p in input.perpetrators]
        work = edits.record_incident(
            ctx.store,
            ctx.viewer,
            _values(input, ("perpetrators", "targets")),
            perpetrators,
            [str(t) for t in input.targets],
        )
        return await _saved(info, "Incident", work)

    @strawberry.mutation(
        description="A case file held by your organization.", extensions=only(IsWriter())
    )
    async def open_case(self, info: Info[Any, Any], input: CaseInput) -> SaveResult:
        ctx = context(info)
        work = edits.open_case(
            ctx.store,
            ctx.viewer,
            _values(input, ("concerns", "documents")),
            [str(i) for i in input.concerns],
            [str(i) for i in input.documents],
        )
        return await _saved(info, "Case", work)

    @strawberry.mutation(
        description="Add organizations to a case's sharing list.", extensions=only(IsWriter())
    )
    async def share_case(
        self,
        info: Info[Any, Any],
        id: strawberry.ID,
        organizations: list[strawberry.ID],
    ) -> ShareResult:
        ctx = context(info)
        try:
            shared = await edits.share_case(
                ctx.store, ctx.viewer, str(id), [str(o) for o in organizations]
            )
        except InvalidInput as exc:
            return input_errors(exc)
        audit.changed(ctx, "Case", str(id))
        return Shared(id=id, shared_with=shared)

    @strawberry.mutation(
        description="A typed relationship, with its evidence and validity.",
        extensions=only(IsWriter()),
    )
    async def link(self, info: Info[Any, Any], input: LinkInput) -> LinkResult:
        ctx = context(info)
        try:
            link_id = await edits.link(ctx.store, ctx.viewer, _values(input))
        except InvalidInput as exc:
            return input_errors(exc)
        return Linked(id=strawberry.ID(link_id), type=input.type)

    @strawberry.mutation(
        description="End a relationship your organization recorded (history is kept).",
        extensions=only(IsWriter()),
    )
    async def unlink(
        self,
        info: Info[Any, Any],
        record: strawberry.ID,
        link: strawberry.ID,
        on: dt.date | None = None,
    ) -> LinkResult:
        ctx = context(info)
        day = on or dt.datetime.now(dt.UTC).date()
        try:
            kind = await edits.unlink(ctx.store, ctx.viewer, str(record), str(link), day)
        except InvalidInput as exc:
            return input_errors(exc)
        return Linked(id=link, type=kind)
