"""Every message marked in the code has a translation in both catalogs, with the same
placeholders; `make i18n` brings new ones in, and this test fails until they are translated."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from service import i18n

KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def marked_messages() -> set[str | tuple[str, ...]]:
    root = Path(i18n.__file__).parents[1]
    found = extract_from_dir(root, method_map=[("**.py", "python")], keywords=KEYWORDS)
    return {message for _file, _line, message, _comments, _context in found}


MESSAGES = sorted(marked_messages(), key=str)


def test_the_code_marks_messages() -> None:
    assert len(MESSAGES) >= 2


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_marked_message_is_translated(lang: str) -> None:
    catalog = i18n.catalog(lang)
    missing = []
    for message in MESSAGES:
        key = message[0] if isinstance(message, tuple) else message
        entry = catalog.get(key)
        forms = entry.string if entry is not None else ""
        forms = forms if isinstance(forms, tuple) else (forms,)
        if entry is None or not all(forms):
            missing.append(key)
            continue
        wanted = set(
            PLACEHOLDER.findall(" ".join(message if isinstance(message, tuple) else [message]))
        )
        for form in forms:
            if set(PLACEHOLDER.findall(form)) - wanted - {"count"}:
                missing.append(f"{key} (placeholders differ: {form!r})")
    assert not missing, f"untranslated in {lang} (run `make i18n`, then translate): {missing}"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_no_translation_outlives_its_message(lang: str) -> None:
    keys = {m[0] if isinstance(m, tuple) else m for m in MESSAGES}
    stale = [
        m.id
        for m in i18n.catalog(lang)
        if m.id and (m.id[0] if isinstance(m.id, tuple) else m.id) not in keys
    ]
    assert not stale, f"{lang} catalog keeps messages no code uses (run `make i18n`): {stale}"


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
