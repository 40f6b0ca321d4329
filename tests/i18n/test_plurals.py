"""Sentences with a count agree with it in both languages ("1 incident", never "1 incidents"),
including the templates kept or stored by their singular (a change, a warning)."""

from __future__ import annotations

import pytest

from service.access import Tlp
from service.analytics.changes import MESSAGES as CHANGE_MESSAGES
from service.analytics.risk import Factor
from service.analytics.sentences import TEMPLATES, sentence
from service.i18n import using
from service.i18n.model_labels import names_no
from service.warnings import inbox
from service.warnings.evaluate import Firing, message
from service.warnings.watches import Watch, WatchKind


def incidents_term(count: int) -> Factor:
    return Factor("incidents", "THREATS", 1.5, 2.0, params=(("count", count),))


@pytest.mark.parametrize(
    ("lang", "one", "two"),
    [
        ("en", "1 incident against the defender,", "2 incidents against the defender,"),
        ("es", "1 incidente contra la defensora,", "2 incidentes contra la defensora,"),
    ],
)
def test_a_score_term_agrees_with_its_count(lang: str, one: str, two: str) -> None:
    with using(lang):
        assert sentence(incidents_term(1)).startswith(one)
        assert sentence(incidents_term(2)).startswith(two)


@pytest.mark.parametrize(
    ("lang", "one", "two"),
    [
        (
            "en",
            "Attributed to Actor A: 1 incident, 0 in",
            "Attributed to Actor A: 2 incidents, 1 in",
        ),
        (
            "es",
            "Atribuido a Actor A: 1 incidente, 0 en",
            "Atribuidos a Actor A: 2 incidentes, 1 en",
        ),
    ],
)
def test_a_change_kept_by_its_singular_agrees_with_its_count(lang: str, one: str, two: str) -> None:
    template = CHANGE_MESSAGES["INCIDENTS_BY_PERPETRATOR"]
    for count, previous, expected in ((1, 0, one), (2, 1, two)):
        params = {"actor": "Actor A", "count": count, "previous": previous}
        assert inbox.sentence(template, params, {}, lang).startswith(expected)


def count_watch() -> Watch:
    return Watch(
        id="w-1",
        org="org-a",
        kind=WatchKind.INCIDENT_COUNT,
        subject="ter-1",
        params={"kind": "threat", "count": 1, "window_days": 1},
        clearance=Tlp.GREEN,
        since="2025-01-01",
        created_at="2025-01-01T00:00:00+00:00",
    )


@pytest.mark.parametrize(
    ("lang", "days", "count", "expected"),
    [
        ("en", 1, 1, "1 incident of kind threat in T on 2025-01-02"),
        ("es", 1, 2, "2 incidentes de tipo amenaza en T el 2025-01-02"),
        ("en", 7, 2, "2 incidents of kind threat in T within 7 days, the last on 2025-01-02"),
        ("es", 7, 1, "1 incidente de tipo amenaza en T en 7 días, el 2025-01-02"),
    ],
)
def test_a_stored_warning_agrees_with_its_count_and_names_a_one_day_window_as_its_day(
    lang: str, days: int, count: int, expected: str
) -> None:
    params: dict[str, str | int] = {
        "count": count,
        "kind": "threat",
        "territory": "T",
        "days": days,
        "date": "2025-01-02",
    }
    template = message(count_watch(), Firing(("i-1",), ("ter-1",), params))
    assert inbox.sentence(template, dict(params), {}, lang) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "'org-x' names no organization"), ("es", "'org-x' no corresponde a ningún")],
)
def test_a_missing_record_is_named_by_its_label_not_its_code(lang: str, expected: str) -> None:
    with using(lang):
        assert names_no("org-x", "Organization").startswith(expected)
        assert "Organization" not in names_no("org-x", "Organization")


def test_no_sentence_hedges_its_number_with_a_parenthesized_plural() -> None:
    hedged = [t for t in (*TEMPLATES.values(), *CHANGE_MESSAGES.values()) if "(s)" in t]
    assert hedged == []
