"""GraphQL fields of issue 17: what changed, risk over time, trends, impunity (analytics, rate
limited like the others), and an organization's watches and warnings (docs/warnings.md)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from service.analytics.changes import ChangeKind, changes
from service.analytics.describe import describe
from service.analytics.impunity import impunity
from service.analytics.periods import Interval, steps
from service.analytics.risk import LEVELS
from service.analytics.risk_history import defender_history, organization_history
from service.analytics.trends import TrendBy, trends
from service.api import deps
from service.api.context import context
from service.api.errors import input_error, input_errors
from service.api.permissions import IsAdmin, IsWriter, only
from service.api.resolvers.analytics import analytics_context
from service.api.types.analytics import DefenderRisk
from service.api.types.watch import (
    Acknowledged,
    AcknowledgeResult,
    Change,
    Impunity,
    OrganizationRiskPoint,
    RiskPoint,
    TrendPoint,
    Warning,
    Watch,
    WatchEnded,
    WatchEndResult,
    WatchInput,
    WatchResult,
    WebhookResult,
    WebhookSet,
    record_ref,
)
from service.errors import InvalidInput, NotFound, Problem
from service.i18n import _
from service.store import Store
from service.warnings import inbox
from service.warnings.runner import Runner, after_write
from service.warnings.sealing import required_box
from service.warnings.watches import WatchKind, active_watches, check_params, create_watch
from service.warnings.watches import end_watch as end_a_watch
from service.warnings.webhook import check_url, new_secret

ADMINS_ONLY = "only admins manage watches and webhooks"
DEFAULT_STEP_DAYS = 30


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


async def warn_after_write(
    info: Info[Any, Any], kinds: frozenset[WatchKind], incident: str | None = None
) -> None:
    """Evaluate the watches of `kinds` after a mutation wrote (service/warnings/triggers.py);
    after an `incident`, only those it can reach."""
    ctx = context(info)
    runner: Runner | None = getattr(info.context["request"].app.state, "warnings", None)
    await after_write(ctx.store, ctx.weights.risk, runner, kinds, incident)


def _one_of(actor: strawberry.ID | None, territory: strawberry.ID | None) -> None:
    if (actor is None) == (territory is None):
        raise InvalidInput([Problem("query", None, "actor", _("give an actor or a territory"))])


async def _filled(store: Store, info: Info[Any, Any], found: list[Any]) -> list[Change]:
    ctx = context(info)
    names = await describe(store, ctx.viewer, (r for c in found for r in c.records))
    out = []
    for c in found:
        out.append(
            Change(
                kind=c.kind,
                code=c.code,
                date=c.date,
                covert=c.covert,
                sentence=inbox.sentence(c.message, c.params, names),
                records=[record_ref(names[r]) for r in c.records if r in names],
            )
        )
    return out


@strawberry.type
class WatchQuery:
    @strawberry.field(
        description="What changed in the power around a territory between two "
        "days, covert ties first (docs/methodology.md)."
    )
    async def changes(
        self,
        info: Info[Any, Any],
        territory: strawberry.ID,
        since: dt.date,
        until: dt.date | None = None,
        kinds: list[ChangeKind] | None = None,
    ) -> list[Change]:
        ctx = await analytics_context(info)
        found = await changes(
            ctx.store,
            ctx.viewer,
            str(territory),
            since,
            until or _today(),
            ctx.weights.risk,
            frozenset(kinds or ChangeKind),
        )
        return await _filled(ctx.store, info, found)

    @strawberry.field(
        description="A defender's risk and its factors, computed as of each day "
        "from `from` to `to`, every `step` days."
    )
    async def risk_history(
        self,
        info: Info[Any, Any],
        defender: strawberry.ID,
        from_: Annotated[dt.date, strawberry.argument(name="from")],
        to: dt.date | None = None,
        step: int = DEFAULT_STEP_DAYS,
    ) -> list[RiskPoint]:
        ctx = await analytics_context(info)
        days = steps(from_, to or _today(), step)
        found = await defender_history(ctx.store, ctx.viewer, str(defender), days, ctx.weights.risk)
        return [RiskPoint(date=d, risk=DefenderRisk.from_risk(str(defender), r)) for d, r in found]

    @strawberry.field(description="An organization's members' risk as of each day.")
    async def organization_risk_history(
        self,
        info: Info[Any, Any],
        organization: strawberry.ID,
        from_: Annotated[dt.date, strawberry.argument(name="from")],
        to: dt.date | None = None,
        step: int = DEFAULT_STEP_DAYS,
    ) -> list[OrganizationRiskPoint]:
        ctx = await analytics_context(info)
        days = steps(from_, to or _today(), step)
        found = await organization_history(
            ctx.store, ctx.viewer, str(organization), days, ctx.weights.risk
        )
        high = LEVELS.index("HIGH")
        return [
            OrganizationRiskPoint(
                date=day,
                members=len(risks),
                highest=max((r.score for _, r in risks), default=0.0),
                mean=sum(r.score for _, r in risks) / len(risks) if risks else 0.0,
                at_high_or_above=sum(LEVELS.index(r.level) >= high for _, r in risks),
                risks=[DefenderRisk.from_risk(d, r) for d, r in risks],
            )
            for day, risks in found
        ]

    @strawberry.field(
        description="Incidents per period in a territory, by kind, perpetrator or "
        "target group, with the change against the period before."
    )
    async def trends(
        self,
        info: Info[Any, Any],
        territory: strawberry.ID,
        by: TrendBy,
        from_: Annotated[dt.date, strawberry.argument(name="from")],
        to: dt.date | None = None,
        interval: Interval = Interval.MONTH,
    ) -> list[TrendPoint]:
        ctx = await analytics_context(info)
        points = await trends(
            ctx.store,
            ctx.viewer,
            str(territory),
            by,
            from_,
            to or _today(),
            interval,
        )
        return [TrendPoint.of(p) for p in points]

    @strawberry.field(
        description="Incidents attributed to an actor (or in a territory) and how "
        "many reached each stage of a case."
    )
    async def impunity(
        self,
        info: Info[Any, Any],
        actor: strawberry.ID | None = None,
        territory: strawberry.ID | None = None,
        from_: Annotated[dt.date | None, strawberry.argument(name="from")] = None,
        to: dt.date | None = None,
    ) -> Impunity:
        ctx = await analytics_context(info)
        _one_of(actor, territory)
        found = await impunity(
            ctx.store,
            ctx.viewer,
            str(actor) if actor else None,
            str(territory) if territory else None,
            from_,
            to,
        )
        return Impunity.of(found)

    @strawberry.field(
        description="Your organization's warnings, in the order they fired: only "
        "those whose every record your key may see."
    )
    async def warnings(
        self,
        info: Info[Any, Any],
        since: dt.datetime | None = None,
        acknowledged: bool | None = None,
    ) -> list[Warning]:
        ctx = context(info)
        found = await inbox.warnings_for(ctx.store, ctx.viewer, since, acknowledged)
        return [Warning.of(w) for w in found]

    @strawberry.field(
        description="Your organization's watches (admins only).",
        extensions=only(IsAdmin(ADMINS_ONLY)),
    )
    async def watches(self, info: Info[Any, Any]) -> list[Watch]:
        ctx = context(info)
        return [Watch.of(w) for w in await active_watches(ctx.store, ctx.viewer.org)]


@strawberry.type
class WatchMutation:
    @strawberry.mutation(
        description="Watch a defender, territory, actor or organization "
        "(admins; docs/warnings.md).",
        extensions=only(IsAdmin(ADMINS_ONLY)),
    )
    async def create_watch(self, info: Info[Any, Any], input: WatchInput) -> WatchResult:
        ctx = context(info)
        kind = input.kind
        try:
            params = check_params(
                kind, input.level, input.incident_kind, input.count, input.window_days
            )
            watch = await create_watch(
                ctx.store, ctx.viewer, kind, str(input.subject), params, ctx.key_id, input.since
            )
        except InvalidInput as exc:
            return input_errors(exc)
        await warn_after_write(info, frozenset({kind}))  # a watch may hold from the start
        return Watch.of(watch)

    @strawberry.mutation(
        description="Stop one of your organization's watches.",
        extensions=only(IsAdmin(ADMINS_ONLY)),
    )
    async def end_watch(self, info: Info[Any, Any], id: strawberry.ID) -> WatchEndResult:
        try:
            await end_a_watch(context(info).store, context(info).viewer.org, str(id))
        except NotFound as exc:
            return input_error("id", str(exc))
        return WatchEnded(id=id)

    @strawberry.mutation(
        description="Mark one of your organization's warnings as read.", extensions=only(IsWriter())
    )
    async def acknowledge_warning(
        self, info: Info[Any, Any], id: strawberry.ID
    ) -> AcknowledgeResult:
        ctx = context(info)
        try:
            at = await inbox.acknowledge(ctx.store, ctx.viewer, str(id), ctx.key_id)
        except NotFound as exc:
            return input_error("id", str(exc))
        return Acknowledged(id=id, acknowledged_at=at)

    @strawberry.mutation(
        description="Where your organization's warnings are POSTed, signed "
        "with a new secret shown once (admins; docs/warnings.md). null stops it.",
        extensions=only(IsAdmin(ADMINS_ONLY)),
    )
    async def set_warning_webhook(self, info: Info[Any, Any], url: str | None) -> WebhookResult:
        ctx = context(info)
        try:
            checked = check_url(url) if url is not None else None
        except InvalidInput as exc:
            return input_errors(exc)
        secret = new_secret()
        # Sealed with the operator's key: the graph and its backups never hold it in clear.
        box = required_box(deps.settings(info.context["request"]))
        await ctx.store.write(
            "set_warning_webhook",
            org=ctx.viewer.org,
            url=checked,
            sealed_secret=box.seal(secret),
            now=dt.datetime.now(dt.UTC).isoformat(),
        )
        return WebhookSet(url=checked or "", secret=secret)
