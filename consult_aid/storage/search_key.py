"""Fold names to plain lower-case letters so a search ignores case and accents.

"Zoë Łukasiewicz" folds to "zoe lukasiewicz". NFKD splits most accented
letters into a base letter and a combining mark, which is dropped; a few
letters are whole letters in their own right (ł, ø, đ, ß...) and are mapped by
hand. The key is computed here, in Python, and stored beside the name, so the
search is a portable ``LIKE`` on every database.
"""

from __future__ import annotations

import unicodedata

_LETTERS_NFKD_KEEPS = str.maketrans(
    {
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ħ": "h",
        "ı": "i",
        "ŀ": "l",
        "ŧ": "t",
        "æ": "ae",
        "œ": "oe",
        "ß": "ss",
    }
)


def fold(text: str) -> str:
    """Lower-case, accent-free words separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.translate(_LETTERS_NFKD_KEEPS).split())
