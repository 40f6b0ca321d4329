"""No message a person reads is written in English only: a check over the code of service/.

Where the code hands words to a person (an error raised on purpose, a problem found in the
input, a line the CLI prints, a click refusal), they must come through the catalogs: `_()`,
`N_()`, `gettext()` ... or from a variable (whose own literal this check then meets where it is
marked, or not, in turn). A literal or an f-string with words in it, in one of those places,
fails here: the one place a new message would otherwise be forgotten. The help of click commands
and options is extracted from the code itself (service/i18n/cli_texts.py), so it is covered by
tests/i18n/test_catalogs.py instead.
"""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Iterator
from pathlib import Path

import click

from service import errors

SERVICE = Path(errors.__file__).parent
MARKERS = {"_", "N_", "Nn_", "gettext", "ngettext", "pgettext"}
WORDS = re.compile(r"[A-Za-z]{2,}")

# Calls whose argument at `position` (or keyword `keyword`) is read by a person.
ERROR_CLASSES = {
    name
    for name, value in vars(errors).items()
    if inspect.isclass(value) and issubclass(value, errors.TejidoError)
} | {
    name
    for name, value in vars(click).items()
    if inspect.isclass(value) and issubclass(value, click.ClickException)
}
SINKS: dict[str, tuple[int, str]] = {
    **dict.fromkeys(ERROR_CLASSES, (0, "message")),
    "Problem": (3, "message"),  # file, line, column, message
    "CellError": (0, "message"),
    "echo": (0, "message"),
    "secho": (0, "message"),
    "input_error": (1, "message"),
    "UserError": (1, "message"),
}


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _words(node: ast.expr) -> bool:
    """Does `node` write words itself (not through a marker)?"""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(WORDS.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_words(part) for part in node.values if isinstance(part, ast.Constant))
    if isinstance(node, ast.BinOp):
        return _words(node.left) or _words(node.right)
    if isinstance(node, ast.IfExp):
        return _words(node.body) or _words(node.orelse)
    return False


def unmarked(tree: ast.AST) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or _name(node) not in SINKS:
            continue
        position, keyword = SINKS[_name(node)]
        given = [k.value for k in node.keywords if k.arg == keyword]
        if len(node.args) > position:
            given.append(node.args[position])
        for argument in given:
            if _words(argument):
                yield node.lineno, ast.unparse(argument)


def test_every_message_for_a_person_is_marked_for_translation() -> None:
    found = [
        f"{path.relative_to(SERVICE.parent)}:{line}: {text}"
        for path in sorted(SERVICE.rglob("*.py"))
        for line, text in unmarked(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert not found, "wrap these in _() (service/i18n), then `make i18n`:\n" + "\n".join(found)


def test_the_check_finds_what_it_looks_for() -> None:
    # The check itself can fail: each of these is a message written in English only.
    code = """
raise ConfigError(f"{path}: cannot be read")
raise InvalidInput([Problem("a.csv", 3, "kind", "unknown kind")])
click.echo("done")
raise click.UsageError("add --yes" + suffix)
"""
    assert sorted(line for line, _text in unmarked(ast.parse(code))) == [2, 3, 4, 5]
    marked = """
raise ConfigError(_("{path}: cannot be read", path=path))
raise InvalidInput([Problem("a.csv", 3, "kind", _("unknown kind"))])
click.echo(f"{name}: {count}")
raise click.UsageError(reason)
"""
    assert list(unmarked(ast.parse(marked))) == []
