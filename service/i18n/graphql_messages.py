"""GraphQL's own messages (graphql-core's and Strawberry's: a missing variable, an unknown
field, a value of the wrong type) in the reader's language.

graphql-core words them in English only. Each template below is graphql-core's text with its
values as `{placeholders}`: it is both the pattern a message is matched against and the msgid
its translation is filled from, with the same values. A placeholder named `reason` holds
another message and is translated in turn; a trailing " Did you mean ...?" is translated on its
own. A message no template matches is left as graphql-core wrote it (a code such as
GRAPHQL_VALIDATION_FAILED still says what happened).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Final

from service.i18n import N_, current_language, gettext

TEMPLATES: Final = (
    # Values of variables (coerced before anything runs).
    N_("Variable '${name}' has invalid value: {reason}"),
    N_("Variable '${name}' has invalid value at {path}: {reason}"),
    N_("Variable '${name}' of required type '{type}' was not provided."),
    N_("Variable '${name}' got invalid value {value}; {reason}"),
    N_("Expected a value of non-null type '{type}' to be provided."),
    N_("Expected value of non-null type '{type}' not to be None."),
    N_("Expected value of type '{type}' to be an object, found: {value}."),
    N_("Expected value of type '{type}' to include required field '{field}', found: {value}."),
    N_("Expected value of type '{type}' not to include unknown field '{field}', found: {value}."),
    N_("Expected value of type '{type}', found {value}; {reason}"),
    N_("Expected value of type '{type}', found {value}."),
    N_("Field '{field}' of required type '{type}' was not provided."),
    N_("Int cannot represent non-integer value: {value}"),
    N_("Int cannot represent non 32-bit signed integer value: {value}"),
    N_("Float cannot represent non numeric value: {value}"),
    N_("String cannot represent a non string value: {value}"),
    N_("Boolean cannot represent a non boolean value: {value}"),
    N_("ID cannot represent value: {value}"),
    N_("ID cannot represent a non-string and non-integer value: {value}"),
    N_("Value '{value}' does not exist in '{enum}' enum."),
    N_("Enum '{enum}' cannot represent non-enum value: {value}."),
    N_("Enum '{enum}' cannot represent non-string value: {value}."),
    # The document against the schema.
    N_("Cannot query field '{field}' on type '{type}'."),
    N_("Unknown argument '{argument}' on field '{field}'."),
    N_("Argument '{argument}' of type '{type}' is required, but it was not provided."),
    N_("Field '{field}' of type '{type}' must have a selection of subfields."),
    N_("Field '{field}' must not have a selection since type '{type}' has no subfields."),
    N_("Variable '${name}' is not defined."),
    N_("Variable '${name}' is not defined by operation '{operation}'."),
    N_("Variable '${name}' is never used."),
    N_("Variable '${name}' is never used in operation '{operation}'."),
    N_("Variable '${name}' of type '{type}' used in position expecting type '{expected}'."),
    N_("Variable '${name}' cannot be non-input type '{type}'."),
    N_("Unknown type '{type}'."),
    N_("Unknown directive '@{name}'."),
    N_("Unknown fragment '{name}'."),
    N_("There can be only one operation named '{name}'."),
    N_("There can be only one variable named '${name}'."),
    N_("This anonymous operation must be the only defined operation."),
    N_("The subscription operation is not supported by the schema."),
    N_("'{operation}' exceeds maximum operation depth of {depth}"),
    N_("{count} aliases found. Allowed: {allowed}"),
    # The document itself.
    N_("Syntax Error: {reason}"),
    N_("Expected {expected}, found {found}."),
    N_("Unexpected {found}."),
    N_("Document contains more than {count} tokens. Parsing aborted."),
    N_("Document is nested too deeply. Parsing aborted."),
)

_DID_YOU_MEAN: Final = re.compile(r" Did you mean (?P<enum>the enum value )?(?P<options>.+)\?$")
_SUGGESTION: Final = N_("Did you mean {options}?")
_ENUM_SUGGESTION: Final = N_("Did you mean the enum value {options}?")
_OR: Final = re.compile(r",? or ")


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    compiled = []
    for template in TEMPLATES:
        pattern = re.sub(r"\\\{(\w+)\\\}", lambda m: f"(?P<{m.group(1)}>.+?)", re.escape(template))
        compiled.append((re.compile(f"^{pattern}$", re.DOTALL), template))
    return tuple(compiled)


def translate(message: str, lang: str | None = None) -> str:
    """`message` (graphql-core's English) in `lang`, or unchanged if no template matches."""
    lang = lang or current_language()
    original, suggestion = message, ""
    found = _DID_YOU_MEAN.search(message)
    if found:
        message = message[: found.start()]
        options = _OR.sub(" " + gettext("or", lang) + " ", found.group("options"))
        template = _ENUM_SUGGESTION if found.group("enum") else _SUGGESTION
        suggestion = " " + gettext(template, lang, options=options)
    for pattern, template in _patterns():
        matched = pattern.match(message)
        if matched:
            values = matched.groupdict()
            if "reason" in values:
                values["reason"] = translate(values["reason"], lang)
            return gettext(template, lang, **values) + suggestion
    return original
