"""What the embed page says, in the request's language: the texts of its HTML (filled into
static/page.html) and the messages its script composes (`{name}` placeholders, filled in by the
script), with the model's labels for what it draws (service/i18n/model_labels.py)."""

from __future__ import annotations

from typing import Any

from service.i18n import _
from service.i18n.model_labels import page_labels


def html_texts() -> dict[str, str]:
    """The page's fixed texts, by the name page.html gives them."""
    return {
        "title": _("Tejido graph"),
        "skip": _("Skip to the list of nodes and relationships"),
        "tlpTitle": _("Highest marking this view shows"),
        "toolbar": _("Graph controls"),
        "find": _("Find"),
        "searchPlaceholder": _("Name or id"),
        "focus": _("Focus"),
        "asOf": _("As of"),
        "asOfDate": _("As of date"),
        "fitTitle": _("Fit the graph in the frame (F)"),
        "fit": _("Fit"),
        "resetTitle": _("Today's graph, laid out afresh"),
        "reset": _("Reset"),
        "pngTitle": _("Download the graph as a PNG image"),
        "jsonTitle": _("Download what is drawn as JSON"),
        "graph": _("Graph"),
        "graphHelp": _(
            "Arrow keys pan, plus and minus zoom, F fits the graph, Escape closes the details. "
            "The same nodes and relationships are listed after the graph."
        ),
        "closeDetails": _("Close details"),
        "evidence": _("Evidence"),
        "legend": _("Legend"),
        "menu": _("Controls"),
        "menuTitle": _("Show or hide the graph controls"),
        "legendNote": _(
            "Size: score. Dashed: alleged, suspected or confidence below 0.5. "
            "Faint: low confidence."
        ),
        "listLabel": _("Nodes and relationships shown"),
        "nodes": _("Nodes"),
        "relationships": _("Relationships"),
        "footer": _("Tejido · shared under TLP; do not copy beyond its marking"),
    }


def script_messages() -> dict[str, Any]:
    """What embed.js composes, by key; `{name}` placeholders are the script's to fill."""
    return {
        "views": {
            "collusion": _("Collusion network"),
            "paths": _("Influence paths"),
            "neighbourhood": _("Neighbourhood"),
            "powermap": _("Power map"),
        },
        "graph": _("Graph"),
        "invalidLink": _(
            "This embed link is not valid: it has expired, has been revoked or was never issued."
        ),
        "notInView": _("That element is not part of this view."),
        "cannotDraw": _("The server could not draw this view."),
        "cannotAnswer": _("The server could not answer ({status})."),
        "drawFailed": _("The graph could not be drawn."),
        "fromTo": _("From {from} to {to}"),
        "aroundOne": _("1 step around {name}"),
        "aroundMany": _("{hops} steps around {name}"),
        "territory": _("Territory {name}"),
        "graphLabel": _("{title} as of {date}: {nodes} nodes and {edges} relationships"),
        "asOfLabel": _("As of {date}"),
        "dashed": _("alleged or low confidence"),
        "newSince": _("new since {date}"),
        "describeNode": _("{name}: {what}; score {score}; {tlp}"),
        "confidence": _("confidence {value}"),
        "nothingShown": _("Nothing is shown."),
        "summary": _("{title} as of {date}: {nodes} nodes, {edges} relationships"),
        "sourceGrade": _("Source {reliability}; claim {credibility}"),
        "notGraded": _("Not graded"),
        "noSource": _("No source visible at this marking."),
        "loading": _("Loading…"),
        "noMatch": _("No node matches."),
        "matchOf": _("{index} of {count}; Focus again for the next"),
        "found": _("Found."),
        "yes": _("yes"),
        "no": _("no"),
        # The fields a view adds to its nodes, beyond the record's own properties.
        "fields": {
            "scoreInView": _("score in this view"),
            "source": _("from"),
            "target": _("to"),
            "created_at": _("recorded"),
            "updated_at": _("last changed"),
            "derived": _("derived"),
            "corroboration": _("corroborating sources"),
            "community": _("community"),
            "broker": _("broker between communities"),
            "power": _("power"),
            "powers": _("power classes"),
            "reasons": _("reasons"),
        },
        "power": {
            "VISIBLE": _("visible power"),
            "HIDDEN": _("hidden power"),
            "INVISIBLE": _("invisible power"),
            "UNCLASSIFIED": _("no power class shown by the evidence"),
        },
        "sectors": {"state": _("state actor"), "non_state": _("non-state actor")},
        "model": page_labels(),
    }
