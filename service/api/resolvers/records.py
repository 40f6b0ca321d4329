"""Queries over records: who the key stands for, records by id, lists with filters, full-text
search, visible counts, and the audit log of the organization's records."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import strawberry
from strawberry.types import Info
from strawberry.types.field import StrawberryField
from strawberry.utils.str_converters import to_camel_case

from service.api.context import context
from service.api.permissions import IsAdmin, only
from service.api.types.filters import FILTERS
from service.api.types.from_model import plain, with_fields_of
from service.api.types.pagination import Connection, connection, decode_cursor, page_size
from service.api.types.records import TYPES, LabelCount, Node, load_as
from service.api.types.viewer import AuditEntry, ViewerInfo
from service.i18n import N_
from service.model import load_model
from service.search import search as search_records


def _params(filter_: object | None) -> dict[str, Any]:
    """Filter fields as statement parameters: dates as ISO text, lists never null."""
    values = dict(vars(filter_)) if filter_ is not None else {}
    out: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, dt.date):
            value = value.isoformat()
        out[name] = plain(value)
    return out


async def _page(
    info: Info[Any, Any], label: str, filter_: object | None, first: int, after: str | None
) -> Connection[Any]:
    """One page of a label's records through its page statement. Two filter fields that are
    not properties mean the same for every label: `within` a territory (the statement takes
    the territory's scope) and `territory` (the read is confined to it: read_within)."""
    ctx = context(info)
    model = load_model().labels[label]
    params = _params(filter_ or FILTERS[label]())
    for prop in model.properties.values():
        if prop.filter == "any":
            params[prop.filter_field] = params[prop.filter_field] or []
    if "within" in params:
        within = params.pop("within")
        params["scope"] = (
            None if within is None else await ctx.store.territory_scope(within, ctx.viewer.grants)
        )
    territory = params.pop("territory", None)
    offset, size = decode_cursor(after), page_size(first)
    viewer = ctx.viewer.params()
    rows = await ctx.store.read_within(
        model.page_statement, territory, offset=offset, first=size, **params, **viewer
    )
    row = rows[0]
    nodes = await ctx.records.load_many(row["ids"])
    return connection([n for n in nodes if n is not None], offset, int(row["total"]))


# What the lists of some labels say of their order (the others: by id).
_LIST_DESCRIPTIONS = {"Incident": "Incidents, newest first."}


def _by_id(label: str) -> StrawberryField:
    """`actor(id)`: a record of the label by id, null when there is none the viewer may see."""
    cls = TYPES[label]

    async def resolve(info: Info[Any, Any], id: strawberry.ID) -> Any:
        return await load_as(info, str(id), cls)

    resolve.__annotations__ = {"info": Info, "id": strawberry.ID, "return": cls | None}
    return strawberry.field(resolve, name=label[0].lower() + label[1:])


def _listed(label: str) -> StrawberryField:
    """`actors(filter, first, after)`: a page of the label's records the viewer may see."""

    async def resolve(
        info: Info[Any, Any], filter: Any = None, first: int = 20, after: str | None = None
    ) -> Any:
        return await _page(info, label, filter, first, after)

    resolve.__annotations__ = {
        "info": Info,
        "filter": FILTERS[label] | None,
        "first": int,
        "after": str | None,
        "return": cast(Any, Connection)[TYPES[label]],
    }
    name = to_camel_case(load_model().labels[label].file.removesuffix(".csv"))
    return strawberry.field(resolve, name=name, description=_LIST_DESCRIPTIONS.get(label))


def _by_label() -> dict[str, StrawberryField]:
    """The fields every label of the model gets, by Python name: all by id, then all lists."""
    labels = list(load_model().labels)
    return {
        **{f"{label.lower()}_by_id": _by_id(label) for label in labels},
        **{f"{label.lower()}_list": _listed(label) for label in labels},
    }


class _RecordQuery:
    @strawberry.field(description="Who the API key stands for.")
    def viewer(self, info: Info[Any, Any]) -> ViewerInfo:
        viewer = context(info).viewer
        return ViewerInfo(
            organization=viewer.org,
            role=viewer.role.value,
            clearance=viewer.clearance.value,
            networks=list(viewer.networks),
        )

    @strawberry.field(description="A record by id; null when there is none the viewer may see.")
    async def node(self, info: Info[Any, Any], id: strawberry.ID) -> Node | None:
        return await context(info).records.load(str(id))

    @strawberry.field(
        description="Full-text search over names, aliases and pseudonyms (accents ignored)."
    )
    async def search(
        self, info: Info[Any, Any], text: str, labels: list[str] | None = None, first: int = 20
    ) -> list[Node]:
        ctx = context(info)
        rows = await search_records(ctx.store, ctx.viewer, text, labels or [], page_size(first))
        nodes = await ctx.records.load_many([r["id"] for r in rows])
        return [n for n in nodes if n is not None]

    @strawberry.field(
        description="Audit entries about your organization's records (admins only).",
        extensions=only(IsAdmin(N_("only admins may read the audit log"))),
    )
    async def audit_log(
        self, info: Info[Any, Any], first: int = 20, after: str | None = None
    ) -> Connection[AuditEntry]:
        ctx = context(info)
        offset, size = decode_cursor(after), page_size(first)
        row = (
            await ctx.store.read("audit_entries", offset=offset, first=size, **ctx.viewer.params())
        )[0]
        items = [
            AuditEntry(
                id=e["id"],
                at=e["at"],
                key_id=e["key_id"],
                organization=e["org"],
                operation=e["operation"],
                ids=e["ids"],
            )
            for e in row["entries"]
        ]
        return connection(items, offset, int(row["total"]))

    @strawberry.field(description="How many records of each label the viewer may see.")
    async def counts(self, info: Info[Any, Any]) -> list[LabelCount]:
        ctx = context(info)
        rows = await ctx.store.read("count_by_label", **ctx.viewer.params())
        return [LabelCount(label=r["label"], count=int(r["count"])) for r in rows]


# The hand-written fields, then those of every label (Query.actor, Query.actors ...).
RecordQuery: type = strawberry.type(with_fields_of("RecordQuery", _RecordQuery, _by_label()))
