"""Text as Tejido compares it: without accents, and for matching without case either."""

import unicodedata


def strip_accents(text: str) -> str:
    """The text without diacritics ("Ñúñez" -> "Nunez"), case kept."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Lower case without accents: what full-text search and mappings compare, on both
    databases."""
    return strip_accents(text).casefold()
