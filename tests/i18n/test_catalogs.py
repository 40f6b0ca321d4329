"""Every message marked in the code, and every enum value, label, relationship type and
property of the model, has a translation in both catalogs, with the same placeholders;
`make i18n` brings new ones in (babel.cfg says from where), and this test fails until they are
translated."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

from service import i18n
from service.i18n.model_labels import page_labels
from service.model import load_model

ROOT = Path(i18n.__file__).parents[2]
KEYWORDS = {
    "_": None,
    "N_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "Nn_": (1, 2),
    "pgettext": ((1, "c"), 2),
}
PLACEHOLDER = re.compile(r"\{(\w+)\}")

Key = tuple[str | None, str]  # (context, message id)


def marked_messages() -> dict[Key, tuple[str, ...]]:
    """(context, id) -> the message's forms (two for a plural), as `make i18n` extracts them."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = extract_from_dir(ROOT, method_map, options_map, keywords=KEYWORDS)
    messages = {}
    for _file, _line, message, _comments, context in found:
        forms = message if isinstance(message, tuple) else (message,)
        messages[(context, forms[0])] = forms
    return messages


MESSAGES = marked_messages()


def test_the_code_and_the_model_mark_messages() -> None:
    contexts = {context for context, _id in MESSAGES}
    assert {None, "label", "relationship", "property", "enum sector"} <= contexts


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_marked_message_is_translated(lang: str) -> None:
    catalog = i18n.catalog(lang)
    missing = []
    for (context, key), message in sorted(MESSAGES.items(), key=str):
        entry = catalog.get(key, context=context)
        forms = entry.string if entry is not None else ""
        forms = forms if isinstance(forms, tuple) else (forms,)
        if entry is None or not all(forms):
            missing.append(f"{context}: {key}" if context else key)
            continue
        wanted = set(PLACEHOLDER.findall(" ".join(message)))
        for form in forms:
            if set(PLACEHOLDER.findall(form)) - wanted - {"count"}:
                missing.append(f"{key} (placeholders differ: {form!r})")
    assert not missing, f"untranslated in {lang} (run `make i18n`, then translate): {missing}"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_no_translation_outlives_its_message(lang: str) -> None:
    stale = [
        (m.context, m.id)
        for m in i18n.catalog(lang)
        if m.id and (m.context, m.id[0] if isinstance(m.id, tuple) else m.id) not in MESSAGES
    ]
    assert not stale, f"{lang} catalog keeps messages no code uses (run `make i18n`): {stale}"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_value_of_every_enum_has_a_label(lang: str) -> None:
    # A value added to schema.yaml without a label shows its code (`non_state`) to a person;
    model = load_model()
    unlabelled = []
    for enum, values in model.enums.items():
        for value in sorted(values):
            # extracted, so test_every_marked_message_is_translated holds it to a label
            labelled = (f"enum {enum}", value) in MESSAGES
            if not labelled:
                unlabelled.append(f"{enum}.{value}")
    assert not unlabelled, f"enum values without a label in {lang}: {unlabelled}"


def test_labels_differ_where_the_languages_do() -> None:
    spanish, english = page_labels("es"), page_labels("en")
    assert spanish["values"]["sector"]["non_state"] == "no estatal"
    assert english["values"]["sector"]["non_state"] == "non-state"
    assert spanish["values"]["country"]["HN"] == "Honduras"
    assert english["relationships"]["COLLUDES_WITH"] != spanish["relationships"]["COLLUDES_WITH"]
    # A kind is labelled whatever enum it comes from (state, non-state, organization, ...).
    assert spanish["values"]["kind"]["police"] == "policía"
    assert spanish["values"]["kind"]["indigenous_authority"] == "autoridad indígena"


def test_translations_differ_where_the_languages_do() -> None:
    assert i18n.gettext("an API key is required", "es") != i18n.gettext(
        "an API key is required", "en"
    )


@pytest.mark.parametrize(
    ("lang_param", "accept", "default", "chosen"),
    [
        ("en", "es", "es", "en"),
        (None, "en-US,en;q=0.9,es;q=0.8", "es", "en"),
        (None, "fr-FR, es-HN;q=0.5", "en", "es"),
        (None, "fr", "en", "en"),
        ("de", None, "es", "es"),
        (None, "es;q=0, en;q=0.1", "es", "en"),
    ],
)
def test_language_negotiation(
    lang_param: str | None, accept: str | None, default: str, chosen: str
) -> None:
    assert i18n.negotiate(lang_param, accept, default) == chosen
