"""Who may call a field, by the role of the key's viewer: Strawberry permission classes.

A field takes them as `extensions=only(IsWriter())`. Every mutation says who may call it
(tests/api/test_layout.py checks), so a new one cannot forget. A refusal is `Forbidden`, the
FORBIDDEN code; which records a viewer may see is never decided here but in the statements
(service/access.py), where a record one may not see reads as one that does not exist.
"""

from __future__ import annotations

from typing import Any

from strawberry.extensions.field_extension import FieldExtension
from strawberry.permission import BasePermission, PermissionExtension
from strawberry.types import Info
from typing_extensions import override

from service.access import Role
from service.api.context import context
from service.errors import Forbidden

WRITERS = frozenset({Role.ANALYST, Role.ADMIN})


def only(*permissions: BasePermission) -> list[FieldExtension]:
    """The field extension that checks `permissions` in order. No schema directive: who may
    call a field is the server's business, and the SDL stays what clients know."""
    return [PermissionExtension(list(permissions), use_directives=False)]


class _RolePermission(BasePermission):
    @override
    def on_unauthorized(self) -> None:
        raise Forbidden(self.message or "your role does not allow this")


class IsWriter(_RolePermission):
    """Analysts and admins change records; readers read."""

    message = "only analysts and admins may change records"

    @override
    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        return context(info).viewer.role in WRITERS


class IsAdmin(_RolePermission):
    """Admins of the key's organization; `message` says what only they may do."""

    def __init__(self, message: str) -> None:
        self.message = message

    @override
    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        return context(info).viewer.role is Role.ADMIN


class IsAdminToDisclose(_RolePermission):
    """Whether others may learn of an organization's matching records is its admins' call:
    an `input` that sets `xrefDisclose` needs an admin."""

    message = "only admins may change whether matches are disclosed"

    @override
    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        disclose = getattr(kwargs.get("input"), "xref_disclose", None)
        return disclose is None or context(info).viewer.role is Role.ADMIN


class IsAdminOfNetworkOrMember(_RolePermission):
    """A membership ends by the network's admins (removing a member) or the member's (leaving):
    the `network` or `organization` argument is the viewer's own organization."""

    message = "only the network's admins or the member's admins may end a membership"

    @override
    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        viewer = context(info).viewer
        sides = {str(kwargs.get("network")), str(kwargs.get("organization"))}
        return viewer.role is Role.ADMIN and viewer.org in sides
