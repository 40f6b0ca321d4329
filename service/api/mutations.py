"""Mutations: analysts write their own organization's records. Bad input comes back as
typed errors in the payload; a reader gets a FORBIDDEN error; nothing is half-written."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from collections.abc import Awaitable
from typing import Annotated, Any

import strawberry
import structlog
from strawberry.types import Info

from service import edits
from service.access import Role
from service.api.types import Node, context
from service.errors import Forbidden, InvalidInput, TejidoError
from service.store import Store
from service.xref import throttle
from service.xref.workflow import MATCHED_LABELS, match_new

log = structlog.get_logger(__name__)


@strawberry.type(description="One thing wrong with the input: the field and what is wrong.")
class UserError:
    field: str | None
    message: str


@strawberry.type
class InputErrors:
    errors: list[UserError]


@strawberry.type
class Saved:
    id: strawberry.ID

    @strawberry.field(description="The record as the viewer now sees it.")
    async def node(self, info: Info[Any, Any]) -> Node | None:
        ctx = context(info)
        with contextlib.suppress(KeyError):  # a record read earlier in this request is stale now
            ctx.records.clear(str(self.id))
        return await ctx.records.load(str(self.id))


@strawberry.type
class Linked:
    id: strawberry.ID
    type: str


@strawberry.type
class Shared:
    id: strawberry.ID
    shared_with: list[str]


SaveResult = Annotated[Saved | InputErrors, strawberry.union("SaveResult")]
LinkResult = Annotated[Linked | InputErrors, strawberry.union("LinkResult")]
ShareResult = Annotated[Shared | InputErrors, strawberry.union("ShareResult")]


@strawberry.input
class Marking:
    tlp: str
    shared_with: list[str] | None = None
    sources: list[str] | None = None


@strawberry.input
class ActorInput(Marking):
    id: strawberry.ID | None = None
    name: str
    sector: str
    kind: str
    country: str | None = None
    aliases: list[str] | None = None
    public: bool | None = None


@strawberry.input
class DefenderInput(Marking):
    id: strawberry.ID | None = None
    pseudonym: str
    name: str | None = None
    gender: str | None = None
    identities: list[str] | None = None
    focus: list[str] | None = None
    status: str | None = None
    protection_measures: list[str] | None = None
    country: str | None = None


@strawberry.input
class OrganizationInput(Marking):
    id: strawberry.ID | None = None
    name: str
    kind: str
    country: str | None = None
    focus: list[str] | None = None
    xref_disclose: bool | None = strawberry.field(
        default=None,
        description="Let others learn that you hold a record matching theirs (default: no).",
    )


@strawberry.input
class TerritoryInput(Marking):
    id: strawberry.ID | None = None
    name: str
    kind: str
    parent_id: strawberry.ID | None = None
    iso: str | None = None
    lat: float | None = None
    lon: float | None = None
    resources: list[str] | None = None


@strawberry.input
class SourceInput(Marking):
    id: strawberry.ID | None = None
    kind: str
    title: str
    url: str | None = None
    date: dt.date | None = None
    reliability: str
    credibility: str | None = None


@strawberry.input
class Perpetrator:
    actor: strawberry.ID
    attribution: str = "alleged"


@strawberry.input
class IncidentInput(Marking):
    kind: str
    date: dt.date
    severity: int
    territory_id: strawberry.ID | None = None
    verified: bool | None = None
    description: str | None = None
    credibility: str | None = None
    perpetrators: list[Perpetrator] = strawberry.field(default_factory=list)
    targets: list[strawberry.ID] = strawberry.field(default_factory=list)


@strawberry.input
class CaseInput(Marking):
    reference: str
    opened: dt.date | None = None
    status: str | None = None
    summary: str | None = None
    concerns: list[strawberry.ID] = strawberry.field(default_factory=list)
    documents: list[strawberry.ID] = strawberry.field(default_factory=list)


@strawberry.input
class LinkInput(Marking):
    type: str
    from_id: strawberry.ID
    to_id: strawberry.ID
    confidence: float | None = None
    credibility: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    mode: str | None = None
    kind: str | None = None
    degree: float | None = None
    attribution: str | None = None
    role: str | None = None
    resource: str | None = None
    amount: float | None = None


def _values(data: object, leave_out: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        f.name: getattr(data, f.name)
        for f in dataclasses.fields(data)  # type: ignore[arg-type]
        if f.name not in leave_out and getattr(data, f.name) is not None
    }


def input_errors(exc: InvalidInput) -> InputErrors:
    return InputErrors(errors=[UserError(field=p.column, message=p.message) for p in exc.problems])


async def _saved(info: Info[Any, Any], label: str, work: Awaitable[str]) -> Saved | InputErrors:
    try:
        record_id = await work
    except InvalidInput as exc:
        return input_errors(exc)
    ctx = context(info)
    ctx.changed(label, record_id)
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
    @strawberry.mutation(description="Create an actor, or change one of your organization's.")
    async def upsert_actor(self, info: Info[Any, Any], input: ActorInput) -> SaveResult:
        return await _upsert(info, "Actor", input)

    @strawberry.mutation(description="Create a defender, or change one of your organization's.")
    async def upsert_defender(self, info: Info[Any, Any], input: DefenderInput) -> SaveResult:
        return await _upsert(info, "Defender", input)

    @strawberry.mutation(
        description="Create an organization, or change your own; `xrefDisclose` is for admins."
    )
    async def upsert_organization(
        self, info: Info[Any, Any], input: OrganizationInput
    ) -> SaveResult:
        # Whether others may learn of the organization's matching records is its admins' call.
        if input.xref_disclose is not None and context(info).viewer.role is not Role.ADMIN:
            raise Forbidden("only admins may change whether matches are disclosed")
        return await _upsert(info, "Organization", input)

    @strawberry.mutation
    async def upsert_territory(self, info: Info[Any, Any], input: TerritoryInput) -> SaveResult:
        return await _upsert(info, "Territory", input)

    @strawberry.mutation
    async def upsert_source(self, info: Info[Any, Any], input: SourceInput) -> SaveResult:
        return await _upsert(info, "Source", input)

    @strawberry.mutation(description="An incident with its place, perpetrators and targets.")
    async def record_incident(self, info: Info[Any, Any], input: IncidentInput) -> SaveResult:
        ctx = context(info)
        perpetrators = [(str(p.actor), p.attribution) for p in input.perpetrators]
        work = edits.record_incident(
            ctx.store, ctx.viewer, _values(input, ("perpetrators", "targets")),
            perpetrators, [str(t) for t in input.targets],
        )  # fmt: skip
        return await _saved(info, "Incident", work)

    @strawberry.mutation(description="A case file held by your organization.")
    async def open_case(self, info: Info[Any, Any], input: CaseInput) -> SaveResult:
        ctx = context(info)
        work = edits.open_case(
            ctx.store, ctx.viewer, _values(input, ("concerns", "documents")),
            [str(i) for i in input.concerns], [str(i) for i in input.documents],
        )  # fmt: skip
        return await _saved(info, "Case", work)

    @strawberry.mutation(description="Add organizations to a case's sharing list.")
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
        ctx.changed("Case", str(id))
        return Shared(id=id, shared_with=shared)

    @strawberry.mutation(description="A typed relationship, with its evidence and validity.")
    async def link(self, info: Info[Any, Any], input: LinkInput) -> LinkResult:
        ctx = context(info)
        try:
            link_id = await edits.link(ctx.store, ctx.viewer, _values(input))
        except InvalidInput as exc:
            return input_errors(exc)
        return Linked(id=strawberry.ID(link_id), type=input.type)

    @strawberry.mutation(
        description="End a relationship your organization recorded (history is kept)."
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
