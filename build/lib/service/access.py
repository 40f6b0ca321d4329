"""Who sees what: TLP 2.0 markings turned into access tokens that every Cypher read checks.

Each record (node or relationship) carries `acl`, the tokens that may read it, computed here
from its `tlp`, `owner` and `shared_with` whenever it is written. A viewer carries `grants`.
A record is visible when the two meet, which every read statement checks inside the Cypher
with one short predicate: `any(t IN x.acl WHERE t IN $viewer_grants)`.

Tokens:
- `*`: CLEAR and GREEN, every authenticated viewer.
- `AMBER:<org>`: AMBER records owned by or shared with <org>. A viewer holds it for its own
  organization and for the networks its organization is a member of (TLP 2.0 lets AMBER reach
  the recipient's organization and those it works with).
- `STRICT:<org>`: AMBER+STRICT records owned by or explicitly shared with <org>; a viewer holds
  it for its own organization only.
- `RED:<org>`: RED records owned by <org>; only viewers of that organization cleared for RED.
- `ADMIN:<org>`: the audit entries about <org>'s records; only <org>'s admins.

A viewer's clearance caps all of this: a viewer cleared for GREEN gets `*` only, even for its own
organization's AMBER records. Defenders also carry `name_acl`: the same rule at AMBER at least,
because a defender's name is shown only to viewers who may see the record at AMBER or above.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Tlp(StrEnum):
    CLEAR = "CLEAR"
    GREEN = "GREEN"
    AMBER = "AMBER"
    AMBER_STRICT = "AMBER+STRICT"
    RED = "RED"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {tlp: i for i, tlp in enumerate(Tlp)}


class Role(StrEnum):
    READER = "reader"
    ANALYST = "analyst"
    ADMIN = "admin"


EVERYONE = "*"


def admin_token(org: str) -> str:
    """What opens an organization's audit entries: only its admins hold it."""
    return f"ADMIN:{org}"


def record_acl(tlp: Tlp, owner: str, shared_with: Iterable[str] = ()) -> list[str]:
    """The tokens that may read a record with this marking; sorted, so writes are stable."""
    if tlp.rank <= Tlp.GREEN.rank:
        return [EVERYONE]
    if tlp is Tlp.RED:
        return [f"RED:{owner}"]
    prefix = "AMBER" if tlp is Tlp.AMBER else "STRICT"
    return sorted({f"{prefix}:{org}" for org in (owner, *shared_with)})


def name_acl(tlp: Tlp, owner: str, shared_with: Iterable[str] = ()) -> list[str]:
    """Who may read a defender's name: the record's own rule, raised to AMBER at least."""
    return record_acl(max(tlp, Tlp.AMBER, key=lambda t: t.rank), owner, shared_with)


def admitted_networks(
    memberships: Iterable[Mapping[str, Any]], today: dt.date | None = None
) -> tuple[str, ...]:
    """The networks whose AMBER records reach an organization: the one place that turns
    MEMBER_OF ties into grants. A tie counts only when the network itself wrote it (its admins
    admitted the organization: `owner` is the network) and it holds `today`. A tie that the
    member wrote about itself is a claim, not an admission (docs/access.md)."""
    day = (today or dt.datetime.now(dt.UTC).date()).isoformat()
    return tuple(
        sorted(
            {
                m["network"]
                for m in memberships
                if m.get("owner") == m["network"]
                and (m.get("valid_from") or day) <= day
                and (m.get("valid_to") or day) >= day
            }
        )
    )


@dataclass(frozen=True)
class Viewer:
    """An authenticated reader of the graph: its organization, role and clearance.

    `networks` are the organizations (networks, coalitions) that `org` is a member of: AMBER
    records shared with them reach `org` too.
    """

    org: str
    role: Role = Role.READER
    clearance: Tlp = Tlp.GREEN
    networks: tuple[str, ...] = field(default=())

    @property
    def grants(self) -> list[str]:
        tokens = [EVERYONE]
        if self.clearance.rank >= Tlp.AMBER.rank:
            tokens += [f"AMBER:{org}" for org in (self.org, *self.networks)]
        if self.clearance.rank >= Tlp.AMBER_STRICT.rank:
            tokens.append(f"STRICT:{self.org}")
        if self.clearance is Tlp.RED:
            tokens.append(f"RED:{self.org}")
        if self.role is Role.ADMIN:
            tokens.append(admin_token(self.org))
        return tokens

    def params(self) -> dict[str, object]:
        """The Cypher parameters every read takes."""
        return {"viewer_grants": self.grants}
