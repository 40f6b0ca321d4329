"""The per-request GraphQL context: the store, the viewer, DataLoaders that last one request,
and what the request touched, for the audit log."""

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
    touched: set[tuple[str, str]] = field(default_factory=set)  # (record id, owner)

    def __post_init__(self) -> None:
        # Loaders cache per request only: what one viewer may see never reaches another.
        self.records = record_loader(self.store, self.viewer, self._seen)
        self.links = link_loader(self.store, self.viewer)
        self.holders = holders_loader(self.store, self.viewer)

    def touch(self, label: str, record_id: str, owner: str | None = None) -> None:
        """Note a record the request returned or changed (changes: the viewer's own)."""
        if label in AUDITED:
            self.touched.add((record_id, owner or self.viewer.org))

    def _seen(self, node: Node) -> None:
        self.touch(node.label, str(node.id), node.owner)
