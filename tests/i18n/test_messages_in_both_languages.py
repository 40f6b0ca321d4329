"""The messages that were English only, now in Spanish and English: a load's problems (still
naming file, line, column and field), GraphQL's own validation errors (with their codes), and
the CLI's help and click's refusals."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from service import i18n
from service.access import Role, Tlp
from service.errors import InvalidInput
from service.i18n import gettext
from service.i18n.graphql_messages import translate
from service.keys import create_key
from service.store import Store
from tests.support.graphql_client import app_client
from tests.support.tables import load_rows
from tests.test_access import ORGS

ORG = {"id": "org-a", "name": "Colectivo Uno", "kind": "ngo", "tlp": "GREEN", "owner": "org-a"}
BAD_ACTOR = {
    "id": "act-1",
    "name": "Actor Uno",
    "sector": "state",
    "kind": "wizard",  # no kind of actor
    "tlp": "GREEN",
    "owner": "org-a",
}
BAD_TIE = {
    "id": "rel-1",
    "type": "OPERATES_IN",
    "from_id": "act-1",
    "to_id": "ter-nowhere",  # no territory has this id
    "tlp": "GREEN",
    "owner": "org-a",
}


@pytest.mark.parametrize(
    ("lang", "kind_wrong", "tie_wrong", "summary"),
    [
        (
            "es",
            "'wizard' no es uno de:",
            "'ter-nowhere' no corresponde",
            "2 problemas en la entrada",
        ),
        ("en", "'wizard' is not one of:", "'ter-nowhere' names no territory", "2 problems in"),
    ],
)
async def test_a_load_refused_in_either_language_names_file_line_column_and_field(
    store: Store, lang: str, kind_wrong: str, tie_wrong: str, summary: str
) -> None:
    await load_rows(store, organizations=[ORG])
    with i18n.using(lang), pytest.raises(InvalidInput) as caught:
        await load_rows(store, actors=[BAD_ACTOR], relationships=[BAD_TIE])
    shown = str(caught.value)
    assert summary in shown
    assert "actors.csv:2: kind: " + kind_wrong in shown
    assert "relationships.csv:2: to_id: " + tie_wrong in shown
    assert {(p.file, p.line, p.column) for p in caught.value.problems} == {
        ("actors.csv", 2, "kind"),
        ("relationships.csv", 2, "to_id"),
    }
    assert await store.operator_read("count_labels") == [{"label": "Organization", "count": 1}]


MISSING_VARIABLE = "query($id: ID!) { actor(id: $id) { id } }"
UNKNOWN_FIELD = '{ actor(id: "act-1") { idd } }'


async def _errors(http: httpx.AsyncClient, key: str, query: str, lang: str) -> list[Any]:
    response = await http.post(
        "/graphql",
        json={"query": query},
        headers={"Authorization": f"Bearer {key}", "Accept-Language": lang},
    )
    errors: list[Any] = response.json()["errors"]
    return errors


async def test_graphql_validation_errors_speak_the_request_language(store: Store) -> None:
    await load_rows(store, organizations=ORGS)
    key = (await create_key(store, "org-a", Role.READER, Tlp.GREEN)).key
    async with app_client(store) as http:
        missing_es = await _errors(http, key, MISSING_VARIABLE, "es-HN")
        missing_en = await _errors(http, key, MISSING_VARIABLE, "en")
        unknown_es = await _errors(http, key, UNKNOWN_FIELD, "es")
        unknown_en = await _errors(http, key, UNKNOWN_FIELD, "en")
    assert missing_es[0]["extensions"]["code"] == missing_en[0]["extensions"]["code"]
    assert missing_es[0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert missing_es[0]["message"] == (
        "La variable '$id' tiene un valor no válido: "
        "Se esperaba un valor del tipo no nulo 'ID!', pero no se proporcionó."
    )
    assert missing_en[0]["message"] == (
        "Variable '$id' has invalid value: Expected a value of non-null type 'ID!' to be provided."
    )
    assert unknown_es[0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert unknown_es[0]["message"].startswith(
        "No se puede consultar el campo 'idd' en el tipo 'Actor'. ¿Quiso decir 'id'"
    )
    assert unknown_en[0]["message"].startswith(
        "Cannot query field 'idd' on type 'Actor'. Did you mean 'id'"
    )
    assert unknown_es[0]["locations"] == unknown_en[0]["locations"]


@pytest.mark.parametrize(
    ("english", "spanish"),
    [
        (
            "Variable '$f' has invalid value at .sector: Value 'non-state' does not exist in "
            "'Sector' enum. Did you mean the enum value 'non_state' or 'state'?",
            "La variable '$f' tiene un valor no válido en .sector: El valor 'non-state' no "
            "existe en el enum 'Sector'. ¿Quiso decir el valor 'non_state' o 'state'?",
        ),
        (
            'Int cannot represent non-integer value: "x"',
            'Int no puede representar un valor que no es entero: "x"',
        ),
        (
            "Field 'actor' of type 'Actor' must have a selection of subfields. "
            "Did you mean 'actor { ... }'?",
            "El campo 'actor' de tipo 'Actor' debe tener una selección de subcampos. "
            "¿Quiso decir 'actor { ... }'?",
        ),
        # A message with no template stays as graphql-core wrote it, suggestion and all.
        ("Something new in graphql-core. Did you mean 'x'?", None),
    ],
)
def test_graphql_core_messages_are_matched_by_their_templates(
    english: str, spanish: str | None
) -> None:
    assert translate(english, "es") == (spanish or english)
    assert translate(english, "en") == english


@pytest.fixture
def cli_language(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    yield monkeypatch
    i18n.set_default_language("en")  # the suite reads English after a command set the language


def _invoke(args: list[str], lang: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    from service.cli import main

    monkeypatch.setenv("TEJIDO_LANGUAGE", lang)
    return CliRunner().invoke(main, args, prog_name="tejido")


def test_the_cli_help_in_spanish(cli_language: pytest.MonkeyPatch) -> None:
    top = _invoke(["--help"], "es", cli_language).output
    for words in ("Uso:", "Opciones:", "Comandos:", "Muestra este mensaje y termina."):
        assert words in top, top
    assert "Carga una carpeta en el formato de intercambio" in top
    load = _invoke(["load", "--help"], "es", cli_language).output
    assert "Primero se valida todo" in load
    assert "Filas por lote UNWIND" in load
    english = _invoke(["load", "--help"], "en", cli_language).output
    assert "Everything is validated first" in english and "Rows per UNWIND batch" in english
    assert "Primero" not in english


def test_the_cli_help_of_every_command_is_translated() -> None:
    # Each command's and option's help is in the Spanish catalog (test_catalogs holds the
    # catalog to every extracted message; this holds the extraction to what click shows).
    from service.cli import main

    def commands(group: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
        for name, command in group.commands.items():
            yield (*path, name), command
            if hasattr(command, "commands"):
                yield from commands(command, (*path, name))

    untranslated = []
    with i18n.using("es"):
        for path, command in commands(main):
            texts = [command._help_msgid] + [
                getattr(p, "_help_msgid", None) for p in command.params
            ]
            for text in filter(None, texts):
                entry = i18n.catalog("es").get(inspect.cleandoc(text))
                if entry is None or not entry.string:
                    untranslated.append(f"{' '.join(path)}: {text}")
    assert not untranslated, untranslated


def test_click_refusals_in_spanish(cli_language: pytest.MonkeyPatch) -> None:
    missing = _invoke(["load"], "es", cli_language)
    assert missing.exit_code == 2
    assert "Error: Falta el argumento 'PATH'." in missing.output
    assert "Pruebe 'tejido load --help' para ver la ayuda." in missing.output
    choice = _invoke(["keys", "create", "--org", "o", "--role", "boss"], "es", cli_language)
    assert "no es uno de" in choice.output and "'boss'" in choice.output
    english = _invoke(["load"], "en", cli_language)
    assert "Error: Missing argument 'PATH'." in english.output
    assert gettext("Usage:", "es") == "Uso:"


@pytest.mark.parametrize(
    ("lang", "said"), [("es", "debe ser 1 o más"), ("en", "must be 1 or more")]
)
def test_a_bad_setting_is_explained_in_the_readers_language(lang: str, said: str) -> None:
    from pydantic import ValidationError

    from service.config import Settings
    from service.i18n.validation import pydantic_message

    with pytest.raises(ValidationError) as caught:
        Settings(batch_size=0)
    assert [pydantic_message(e, lang) for e in caught.value.errors()] == [said]
