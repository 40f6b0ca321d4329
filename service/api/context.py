"""The per-request GraphQL context: the store, the viewer, DataLoaders that last one request,
and what the request returned or changed, for the audit log (service/api/audit.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from strawberry.dataloader import DataLoader

from service.access import Viewer
from service.analytics.weights import Weights
from service.api.loaders import LinkKey, holders_loader, link_loader, record_loader
from service.api.types import Node
from service.store import Row, Store

# Reading or changing these is written to the audit log.
AUDITED = frozenset({"Defender", "Case", "Incident"})


@dataclass
class Context:
    store: Store
    viewer: Viewer
    key_id: str
    weights: Weights
    records: DataLoader[str, Node | None] = field(init=False)
    links: DataLoader[LinkKey, tuple[int, list[Row]]] = field(init=False)
    holders: DataLoader[str, list[Row]] = field(init=False)  # Case.alsoHeldBy
    audited: set[str] = field(default_factory=set)  # ids of audited records returned or changed
    root_fields: set[str] = field(default_factory=set)  # the operation's fields that ran

    def __post_init__(self) -> None:
        # Loaders cache per request only: what one viewer may see never reaches another.
        self.records = record_loader(self.store, self.viewer)
        self.links = link_loader(self.store, self.viewer)
        self.holders = holders_loader(self.store, self.viewer)

    @property
    def operation(self) -> str:
        """The server's own name for what ran: the root fields, never the client's name."""
        return " ".join(sorted(self.root_fields))

    def returned(self, node: Node) -> None:
        """Note a record that a field of the response returned (audit.AuditTrail calls it)."""
        if node.label in AUDITED:
            self.audited.add(str(node.id))

    def changed(self, label: str, record_id: str) -> None:
        """Note a record that a mutation changed, once the change is written."""
        if label in AUDITED:
            self.audited.add(record_id)
