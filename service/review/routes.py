"""GET /review: the page where an analyst reviews the cross-references of their organization.

The page asks for the analyst's API key and keeps it in memory only; everything it shows and does
goes through the same GraphQL fields as any client (`crossReferences`, `confirmMatch`,
`rejectMatch`), so the access rules are the API's own and nothing here decides who sees what.
Its texts come from the catalogs in the request's language (`?lang=`, Accept-Language).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from service.embed.routes import security_headers
from service.i18n import N_, gettext
from service.i18n.model_labels import page_labels
from service.page_template import fill_page, static_file

STATIC = Path(__file__).with_name("static")
PAGE = STATIC / "review.html"

# Every text of the page, by the name review.html ($name) and review.js (texts.name) use.
TEXTS = {
    "title": N_("Cross-references to review"),
    "intro": N_(
        "Records of other organizations that may be the same as yours. Confirm the ones that "
        "are, reject the ones that are not; a rejected pair is never proposed again."
    ),
    "key_label": N_("Your API key"),
    "key_hint": N_(
        "Kept only in this page's memory: it is forgotten when you reload or close the page."
    ),
    "key_button": N_("Open"),
    "language": N_("Language"),
    "show": N_("Show"),
    "proposed": N_("Proposed"),
    "confirmed": N_("Confirmed"),
    "rejected": N_("Rejected"),
    "is_proposed": N_("proposed"),  # one match's status; the three above name the lists
    "is_confirmed": N_("confirmed"),
    "is_rejected": N_("rejected"),
    "matches": N_("Matches"),
    "empty": N_("Nothing to review here."),
    "loading": N_("Loading…"),
    "page_of": N_("{first}–{last} of {total}"),  # noqa: RUF001 (a range: the typographic dash)
    "previous": N_("Previous page"),
    "next": N_("Next page"),
    "yours": N_("Your record"),
    "theirs": N_("Their record"),
    "closed_other": N_(
        "You may not open the other record: you learn only who holds it and the score."
    ),
    "held_by": N_("Held by"),
    "unnamed_holder": N_("an organization that does not disclose its name"),
    "score": N_("Score"),
    "status": N_("Status"),
    "agreement": N_("Agreement, field by field"),
    "no_agreement": N_("The agreement of each field is shown only when you may open both records."),
    "field": N_("Field"),
    "similarity": N_("Similarity"),
    "weight": N_("Weight"),
    "note": N_("Note (only your organization reads it)"),
    "confirm": N_("Confirm"),
    "reject": N_("Reject"),
    "done_confirmed": N_("Confirmed: {what}."),
    "done_rejected": N_("Rejected: {what}."),
    "keys": N_(
        "Keys: j / k or ↓ / ↑ move · c confirm · x reject · n write a note · Esc leave the note · "
        "[ / ] previous / next page"
    ),
    "refused": N_("The key was refused: {message}"),
    "failed": N_("The request failed: {message}"),
    "label_Case": N_("Case"),
    "label_Defender": N_("Defender"),
    "label_Incident": N_("Incident"),
    # The fields shown side by side and the fields matching compares (service/xref/matching.yaml).
    "field_name": N_("Name"),
    "field_pseudonym": N_("Pseudonym"),
    "field_gender": N_("Gender"),
    "field_status": N_("Status"),
    "field_country": N_("Country"),
    "field_identities": N_("Identities"),
    "field_focus": N_("Focus"),
    "field_kind": N_("Kind"),
    "field_date": N_("Date"),
    "field_severity": N_("Severity"),
    "field_reference": N_("Reference"),
    "field_opened": N_("Opened"),
    "field_summary": N_("Summary"),
    "field_tlp": N_("Marking"),
    "field_owner": N_("Owner"),
    "field_places": N_("Places"),
    "field_actors": N_("Actors"),
    "field_targets": N_("Targets"),
    "field_defenders": N_("Defenders"),
    "field_incidents": N_("Incidents"),
}

router = APIRouter()


@router.get("/review", include_in_schema=False)
async def review_page() -> HTMLResponse:
    texts = {name: gettext(message) for name, message in TEXTS.items()}
    html = fill_page(PAGE, texts, texts_json=texts, labels_json=page_labels())
    return HTMLResponse(html, headers=security_headers())


@router.get("/review/static/{path:path}", include_in_schema=False)
async def review_static(path: str) -> Response:
    return static_file(STATIC, path, security_headers())
