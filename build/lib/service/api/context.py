"""The per-request GraphQL context: the store, the viewer, DataLoaders that last one request,
and what the request returned or changed, for the audit log (service/api/audit.py).

It imports the types and loaders it holds only for typing: they import it to reach the
request, and the request's loaders are built where the request comes in (service/api/deps.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from strawberry.dataloader import DataLoader
from strawberry.types import Info

from service.access import Viewer
from service.analytics.weights import Weights
from service.store import Row, Store

if TYPE_CHECKING:
    from service.api.types.links import LinkKey
    from service.api.types.records import Node


@dataclass
class Context:
    store: Store
    viewer: Viewer
    key_id: str
    weights: Weights
    # Loaders cache per request only: what one viewer may see never reaches another.
    records: DataLoader[str, Node | None]
    links: DataLoader[LinkKey, tuple[int, list[Row]]]
    holders: DataLoader[str, list[Row]]  # Case.alsoHeldBy
    audited: set[str] = field(default_factory=set)  # ids of audited records returned or changed
    root_fields: set[str] = field(default_factory=set)  # the operation's fields that ran

    @property
    def operation(self) -> str:
        """The server's own name for what ran: the root fields, never the client's name."""
        return " ".join(sorted(self.root_fields))


def context(info: Info[Any, Any]) -> Context:
    """The request's context, from a resolver's `info`."""
    ctx: Context = info.context["tejido"]
    return ctx
