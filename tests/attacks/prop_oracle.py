"""The test's own reading of the access rules (docs/domain-model.md, "Access: who sees what"),
written without service/access.py so that a mistake there cannot hide here.

TLP 2.0: CLEAR and GREEN reach every authenticated viewer; AMBER the owner, the organizations
in shared_with and the members of a network in shared_with (a membership counts only when the
network admitted it: the MEMBER_OF relationship is the network's own record, valid today), for
viewers cleared AMBER or above; AMBER+STRICT the owner and the listed organizations, for viewers
cleared AMBER+STRICT or above; RED the owner's viewers cleared RED. A relationship is seen only
with both its ends. A defender's name only by viewers who may see it at AMBER or above; for all
others the defender is a pseudonym placed no finer than a region.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from tests.attacks.prop_graph import Graph, Marking, Record

RANK = {"CLEAR": 0, "GREEN": 1, "AMBER": 2, "AMBER+STRICT": 3, "RED": 4}


@dataclass(frozen=True)
class ViewerSpec:
    org: str
    role: str
    clearance: str

    def __str__(self) -> str:
        return f"{self.org}/{self.role}/{self.clearance}"


class Oracle:
    """What one viewer may see of one graph."""

    def __init__(self, graph: Graph, viewer: ViewerSpec) -> None:
        self.g, self.v = graph, viewer
        self.today = dt.date.today().isoformat()

    @cached_property
    def networks(self) -> frozenset[str]:
        """The networks that admitted the viewer's organization, as of today."""
        return frozenset(
            rel.dst
            for rel in self.g.relations.values()
            if rel.type == "MEMBER_OF"
            and rel.src == self.v.org
            and self.g.records[rel.dst].kind == "network"
            and rel.marking.owner == rel.dst
            and (not rel.valid_from or rel.valid_from <= self.today)
            and (not rel.valid_to or rel.valid_to >= self.today)
        )

    def may_read(self, marking: Marking) -> bool:
        tlp, clearance = RANK[marking.tlp], RANK[self.v.clearance]
        if tlp <= RANK["GREEN"]:
            return True
        if clearance < tlp:
            return False
        if marking.tlp == "RED":
            return marking.owner == self.v.org
        if self.v.org == marking.owner or self.v.org in marking.shared:
            return True
        return marking.tlp == "AMBER" and bool(self.networks & set(marking.shared))

    def sees(self, any_id: str) -> bool:
        """May the viewer see the record or relationship with this id."""
        if any_id in self.g.records:
            return self.may_read(self.g.records[any_id].marking)
        rel = self.g.relations[any_id]
        return self.may_read(rel.marking) and self.sees(rel.src) and self.sees(rel.dst)

    def sees_name(self, defender: Record) -> bool:
        m = defender.marking
        raised = m.tlp if RANK[m.tlp] >= RANK["AMBER"] else "AMBER"
        return self.may_read(Marking(raised, m.owner, m.shared))

    @cached_property
    def pseudonymous(self) -> frozenset[str]:
        """Defenders the viewer sees by pseudonym only."""
        return frozenset(
            d.id for d in self.g.of("Defender") if self.sees(d.id) and not self.sees_name(d)
        )

    @cached_property
    def hidden_name_words(self) -> dict[str, str]:
        """Words of defender names the viewer may see on no record -> the defender they name."""
        shown = {
            w for d in self.g.of("Defender") if self.sees_name(d) for w in d.row["name"].split()
        }
        return {
            w: d.id for d in self.g.of("Defender") for w in d.row["name"].split() if w not in shown
        }

    def visible(self, label: str) -> set[str]:
        return {r.id for r in self.g.of(label) if self.sees(r.id)}

    def subtree(self, territory: str) -> set[str]:
        return {t.id for t in self.g.of("Territory") if territory in self.g.ancestors_or_self(t.id)}

    def targets_pseudonym(self, incident: str) -> list[str]:
        """Pseudonymous defenders the viewer can see this incident targeted."""
        return [
            rel.dst
            for rel in self.g.relations.values()
            if rel.type == "TARGETED"
            and rel.src == incident
            and rel.dst in self.pseudonymous
            and self.sees(rel.id)
        ]

    def countable_incidents(self, territory: str) -> set[str]:
        """The most incidents a count for `territory` may include: visible, placed in or below
        it by a visible OCCURRED_IN, up to today; below a region, none whose visible target is a
        pseudonym (counting it there would place the pseudonym)."""
        scope = self.subtree(territory)
        found = {
            rel.src
            for rel in self.g.relations.values()
            if rel.type == "OCCURRED_IN"
            and rel.dst in scope
            and self.sees(rel.id)
            and self.g.records[rel.src].row["date"] <= self.today
        }
        if self.g.is_fine(territory):
            found = {i for i in found if not self.targets_pseudonym(i)}
        return found

    def legitimate_holder(self, record_id: str) -> str:
        """Whose record it is: a case's holder named by its owner; otherwise the owner."""
        record = self.g.records[record_id]
        return record.row.get("holder_id") or record.marking.owner

    def place_only_through(self, actor: str, defender: str) -> list[str]:
        """The fine places of `defender` that are the only places the viewer sees `actor` tied
        to (empty when the actor is tied to anywhere else): naming such an actor as evidence
        about a pseudonym places it there."""
        home = {
            rel.dst
            for rel in self.g.relations.values()
            if rel.type == "OPERATES_IN" and rel.src == defender and self.g.is_fine(rel.dst)
        }
        ties = {
            rel.dst
            for rel in self.g.relations.values()
            if rel.src == actor
            and rel.dst in self.g.records
            and self.g.records[rel.dst].label == "Territory"
            and self.sees(rel.id)
        }
        return sorted(ties) if ties and ties <= home else []
