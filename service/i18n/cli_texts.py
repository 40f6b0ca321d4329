"""The `tejido` command in the reader's language: its own help and click's.

- The help of commands (their docstrings) and of options is kept in English, as written, and
  read in the language of the moment each time click shows it (`Command`, `Group`, `option`):
  a command's help is built at import, before anyone knows the language.
- Click marks its own texts ("Usage:", "Show this message and exit.", "Missing option ...")
  for gettext, through the module-level `_` and `ngettext` of each of its modules; `speak_click`
  points them at Tejido's catalogs. Only the texts listed in CLICK_TEXTS are translated; any
  other is shown as click writes it.
- `extract_cli` is the Babel extractor for service/cli.py (babel.cfg): the marked messages, as
  for any module, plus each command's docstring, so a new command's help cannot go untranslated.
"""

from __future__ import annotations

import ast
import inspect
import sys
from collections.abc import Collection, Iterator, Mapping
from functools import partial
from typing import IO, Any, Final

import click
from babel.messages.extract import extract_python

from service.i18n import N_, Nn_, gettext, ngettext_template

# Click's own texts that a person meets: usage, help, the usual refusals. Copied as click writes
# them (its placeholders included: `{name!r}` keeps its conversion in the translation too).
CLICK_TEXTS: Final = (
    N_("Usage:"),
    N_("Options"),
    N_("Commands"),
    N_("Show this message and exit."),
    N_("Show the version and exit."),
    N_("%(prog)s, version %(version)s"),
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("Missing argument"),
    N_("Missing option"),
    N_("Missing parameter"),
    N_("Missing command."),
    N_("Missing {param_type}"),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Invalid value: {message}"),
    N_("No such command {name!r}."),
    N_("No such option {name!r}."),
    N_("Option {name!r} does not take a value."),
    N_("Aborted!"),
    N_("default: {default}"),
    N_("env var: {var}"),
    N_("required"),
    N_("{value!r} is not a valid {number_type}."),
    N_("{value} is not in the range {range}."),
    N_("{value!r} is not a valid boolean. Recognized values: {states}"),
    N_("{name} {filename!r} does not exist."),
    N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."),
    N_("file"),
    N_("directory"),
    N_("path"),
    N_("integer"),
    N_("float"),
    Nn_("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"),
    Nn_("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."),
    Nn_("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"),
    Nn_("{value!r} is not {choice}.", "{value!r} is not one of {choices}."),
    Nn_(
        "{value!r} does not match the format {format}.",
        "{value!r} does not match the formats {formats}.",
    ),
)

_CLICK_MODULES: Final = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.termui",
    "click.types",
    "click.utils",
)


def speak_click() -> None:
    """Click's own texts from Tejido's catalogs, in the current language, from now on."""
    for name in _CLICK_MODULES:
        module = sys.modules.get(name)
        if module is None:
            continue
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext_template  # type: ignore[attr-defined]


def _translated(raw: str | None) -> str | None:
    return gettext(inspect.cleandoc(raw)) if raw else raw


class _TranslatedHelp:
    """`help` is stored as written and read in the current language."""

    _help_msgid: str | None = None

    @property
    def help(self) -> str | None:
        return _translated(self._help_msgid)

    @help.setter
    def help(self, value: str | None) -> None:
        self._help_msgid = value


class Command(_TranslatedHelp, click.Command):
    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        # Click makes the help option once per command and keeps it: give it the current words.
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = gettext("Show this message and exit.")
        return option


class Group(_TranslatedHelp, click.Group):
    command_class = Command
    group_class = type  # subgroups are Groups too

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = gettext("Show this message and exit.")
        return option


class Option(_TranslatedHelp, click.Option):
    pass


option: Final = partial(click.option, cls=Option)


def extract_cli(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: dict[str, Any],
) -> Iterator[tuple[int, str, Any, list[str]]]:
    """Babel extraction for service/cli.py: the marked messages, the commands' help (their
    docstrings) and the options' (their `help=` text)."""
    source = fileobj.read()
    fileobj.seek(0)
    yield from extract_python(fileobj, keywords, comment_tags, options)  # type: ignore[arg-type,misc]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and any(map(_is_command, node.decorator_list)):
            doc = ast.get_docstring(node)
            if doc:
                yield node.lineno, "gettext", doc, []
        elif isinstance(node, ast.Call) and _is_option(node):
            yield node.lineno, "gettext", inspect.cleandoc(option_help(node) or ""), []


def option_help(call: ast.Call) -> str | None:
    """The `help=` text of an option written in place, or None."""
    for keyword in call.keywords:
        if keyword.arg == "help" and isinstance(keyword.value, ast.Constant):
            return str(keyword.value.value)
    return None


def _is_option(call: ast.Call) -> bool:
    name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
    return name == "option" and option_help(call) is not None


def _is_command(decorator: ast.expr) -> bool:
    call = decorator.func if isinstance(decorator, ast.Call) else decorator
    return isinstance(call, ast.Attribute) and call.attr in {"command", "group"}
