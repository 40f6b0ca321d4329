"""Inputs of the mutations: one per label (INPUTS), with the marking every record takes, and one
for a relationship. Their fields come from the model (from_model); what is written here
is what the API adds: the ids of the records an incident or a case names, descriptions."""

from __future__ import annotations

import strawberry

from service.api.types.from_model import (
    FromModel,
    by_label,
    input_fields,
    link_fields,
    marking_fields,
    relationship_fields,
)


@strawberry.input
@marking_fields()
class Marking(FromModel):
    pass


@strawberry.input
@input_fields("Organization")
class OrganizationInput(Marking):
    xref_disclose: bool | None = strawberry.field(
        default=None,
        description="Let others learn that you hold a record matching theirs (default: no).",
    )


@strawberry.input
@relationship_fields("PERPETRATED_BY", defaults={"attribution": "alleged"})
class Perpetrator(FromModel):
    actor: strawberry.ID


@strawberry.input
@input_fields("Incident", with_id=False)
class IncidentInput(Marking):
    perpetrators: list[Perpetrator] = strawberry.field(default_factory=list)
    targets: list[strawberry.ID] = strawberry.field(default_factory=list)


@strawberry.input
@input_fields("Case", with_id=False, leave_out=("holder_id",))  # the viewer's organization
class CaseInput(Marking):
    concerns: list[strawberry.ID] = strawberry.field(default_factory=list)
    documents: list[strawberry.ID] = strawberry.field(default_factory=list)


@strawberry.input
@link_fields(written=True)
class LinkInput(Marking):
    pass


def _input_type(label: str) -> type:
    name = f"{label}Input"
    return strawberry.input(input_fields(label)(type(name, (Marking,), {"__module__": __name__})))


# Every label's input: those above, and the others as the model gives them.
INPUTS: dict[str, type[Marking]] = by_label(
    (OrganizationInput, IncidentInput, CaseInput), _input_type, "Input"
)
