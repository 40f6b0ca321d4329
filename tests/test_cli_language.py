"""The CLI speaks TEJIDO_LANGUAGE, else the locale's language (LANG), Spanish by default."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from service import i18n
from service.cli import cli_language, main


@pytest.fixture(autouse=True)
def _suite_language() -> Iterator[None]:
    # A command sets the process's language, as it should; the suite reads English after it.
    yield
    i18n.set_default_language("en")


@pytest.mark.parametrize(
    ("env", "lang"),
    [
        ({"TEJIDO_LANGUAGE": "es", "LANG": "en_US.UTF-8"}, "es"),
        ({"LANG": "es_HN.UTF-8"}, "es"),
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "es_SV.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "es"),
        ({}, "es"),
    ],
)
def test_the_cli_language(env: dict[str, str], lang: str) -> None:
    assert (i18n.supported(cli_language(env)) or "es") == lang


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_refused_command_explains_itself_in_the_cli_language(
    lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEJIDO_LANGUAGE", lang)
    result = CliRunner().invoke(main, ["reset"])
    assert result.exit_code == 2
    wanted = i18n.gettext("reset deletes everything in the graph: add --yes to confirm", lang)
    assert wanted in result.output
