"""Relay-style pages: Connection, Edge, PageInfo, the cursors we give out and the page sizes
we accept."""

from __future__ import annotations

import base64
import binascii
from typing import Generic, TypeVar

import strawberry

from service.errors import InvalidInput, Problem

T = TypeVar("T")
MAX_PAGE = 100
MAX_CURSOR = 2**31 - 1  # positions beyond any list held; Neo4j fails on SKIP past 64 bits


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type(
    description="A page of a list, Relay style; totalCount counts what the viewer may see."
)
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    total_count: int


def encode_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"tejido:{position}".encode()).decode()


def decode_cursor(cursor: str | None) -> int:
    """The position after the cursor (0 without one); a cursor that is not ours, or one past
    any list we could hold, is refused."""
    if cursor is None:
        return 0
    try:
        prefix, _, number = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        if prefix == "tejido" and number.isascii() and number.isdigit():
            position = int(number)
            if position < MAX_CURSOR:
                return position + 1
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise InvalidInput([Problem("query", None, "after", "not a cursor this API gave out")])


def page_size(first: int) -> int:
    if not 0 <= first <= MAX_PAGE:
        raise InvalidInput([Problem("query", None, "first", f"must be between 0 and {MAX_PAGE}")])
    return first


def connection(items: list[T], offset: int, total: int) -> Connection[T]:
    edges = [Edge(cursor=encode_cursor(offset + i), node=item) for i, item in enumerate(items)]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=offset + len(items) < total,
            has_previous_page=offset > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=total,
    )
