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
from strawberry.types.field import StrawberryField

from service import edits
from service.api import audit
from service.api.context import context
from service.api.errors import InputErrors, input_errors
from service.api.permissions import IsAdminToDisclose, IsWriter, only
from service.api.resolvers.watch import warn_after_write
from service.api.types.from_model import plain, with_fields_of
from service.api.types.inputs import (
    INPUTS,
    CaseInput,
    IncidentInput,
    LinkInput,
    OrganizationInput,
)
from service.api.types.results import Linked, LinkResult, Saved, SaveResult, Shared, ShareResult
from service.errors import InvalidInput, TejidoError
from service.model import load_model
from service.store import Store
from service.warnings.triggers import kinds_after_link, kinds_after_record
from service.xref import throttle
from service.xref.workflow import MATCHED_LABELS, match_new

log = structlog.get_logger(__name__)


def _values(data: object, leave_out: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        f.name: plain(getattr(data, f.name))
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
    incident = record_id if label == "Incident" else None
    await warn_after_write(info, kinds_after_record(label), incident)
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


# Labels written through a workflow of their own (below) rather than `upsert<Label>`.
OWN_WORKFLOW = frozenset({"Incident", "Case"})


def _upsert_field(label: str) -> StrawberryField:
    """`upsert<Label>(input)`: create a record of the label, or change one of the viewer's
    organization (analysts and admins)."""

    async def resolve(info: Info[Any, Any], input: Any) -> Any:
        return await _upsert(info, label, input)

    resolve.__annotations__ = {"info": Info, "input": INPUTS[label], "return": SaveResult}
    return strawberry.mutation(
        resolve,
        name=f"upsert{label}",
        description=f"Create a record ({label}), or change one of your organization's.",
        extensions=only(IsWriter()),
    )


class _RecordMutation:
    @strawberry.mutation(
        description="Create an organization, or change your own; `xrefDisclose` is for admins.",
        extensions=only(IsWriter(), IsAdminToDisclose()),
    )
    async def upsert_organization(
        self, info: Info[Any, Any], input: OrganizationInput
    ) -> SaveResult:
        return await _upsert(info, "Organization", input)

    @strawberry.mutation(
        description="An incident with its place, perpetrators and targets.",
        extensions=only(IsWriter()),
    )
    async def record_incident(self, info: Info[Any, Any], input: IncidentInput) -> SaveResult:
        ctx = context(info)
        perpetrators = [(str(p.actor), plain(p.attribution)) for p in input.perpetrators]
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
        await warn_after_write(info, kinds_after_link(input.type))
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
        await warn_after_write(info, kinds_after_link(kind))
        return Linked(id=link, type=kind)


# The hand-written mutations, and `upsert<Label>` for every other label of the model.
RecordMutation: type = strawberry.type(
    with_fields_of(
        "RecordMutation",
        _RecordMutation,
        {
            f"upsert_{label.lower()}": _upsert_field(label)
            for label in load_model().labels
            if label not in OWN_WORKFLOW and f"upsert_{label.lower()}" not in vars(_RecordMutation)
        },
    )
)
