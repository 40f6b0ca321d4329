"""Pydantic's complaints (about settings, mappings, configuration files) in the reader's
language. Pydantic words them in English only; the common kinds are translated here from the
error's type and context, and the rare rest keep pydantic's English rather than say nothing."""

from __future__ import annotations

from typing import Final

from pydantic_core import ErrorDetails

from service.i18n import N_, gettext

# error type -> template; the placeholders are names in the error's `ctx`.
_TEMPLATES: Final = {
    "missing": N_("missing"),
    "extra_forbidden": N_("unknown key"),
    "greater_than": N_("must be greater than {gt}"),
    "greater_than_equal": N_("must be {ge} or more"),
    "less_than": N_("must be less than {lt}"),
    "less_than_equal": N_("must be {le} or less"),
    "int_parsing": N_("not a whole number"),
    "int_type": N_("not a whole number"),
    "int_from_float": N_("not a whole number"),
    "float_parsing": N_("not a number"),
    "float_type": N_("not a number"),
    "bool_parsing": N_("not true or false"),
    "bool_type": N_("not true or false"),
    "string_type": N_("not a text"),
    "list_type": N_("not a list"),
    "dict_type": N_("not a set of keys and values"),
    "model_type": N_("not a set of keys and values"),
    "literal_error": N_("must be one of: {expected}"),
    "enum": N_("must be one of: {expected}"),
    "string_too_short": N_("at least {min_length} characters"),
    "string_too_long": N_("at most {max_length} characters"),
    "too_short": N_("at least {min_length} items"),
    "too_long": N_("at most {max_length} items"),
    "url_parsing": N_("not a URL"),
    "json_invalid": N_("not valid JSON"),
}


def _shown(value: object) -> str:
    # As pydantic shows a bound: 1, not 1.0.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def pydantic_message(error: ErrorDetails, lang: str | None = None) -> str:
    """What is wrong, without where (the caller names the key or variable)."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "value_error":  # raised by our own validators, translated as they were raised
        return str(ctx.get("error", error["msg"]))
    template = _TEMPLATES.get(kind)
    if template is None:
        return error["msg"]
    try:
        return gettext(template, lang, **{k: _shown(v) for k, v in ctx.items()})
    except (KeyError, IndexError):  # a context without the value the template names
        return error["msg"]
