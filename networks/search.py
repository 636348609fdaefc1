"""Folding of names for search, so that "ostra" finds Östra and "alvik" Älvik."""

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-–—_.,/]+")


def search_key(text: str) -> str:
    """Return `text` folded for matching: lower case, no diacritics, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SEPARATORS.sub(" ", stripped).strip()
