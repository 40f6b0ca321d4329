"""The per-request GraphQL context: the store, the viewer, and DataLoaders that last one request."""

from __future__ import annotations

from dataclasses import dataclass

from strawberry.dataloader import DataLoader

from service.access import Viewer
from service.api.loaders import LinkKey, link_loader, record_loader
from service.api.types import Node
from service.store import Row, Store


@dataclass
class Context:
    store: Store
    viewer: Viewer
    records: DataLoader[str, Node | None]
    links: DataLoader[LinkKey, tuple[int, list[Row]]]

    @classmethod
    def build(cls, store: Store, viewer: Viewer) -> Context:
        # Loaders cache per request only: what one viewer may see never reaches another.
        return cls(store, viewer, record_loader(store, viewer), link_loader(store, viewer))
