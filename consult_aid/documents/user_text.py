"""Text a person typed, made safe to print: never markup, never reordered.

ReportLab reads Paragraph text as markup, so a note holding ``<font
color="white">`` would print invisibly and ``<a href>`` would make a live link.
Bidirectional control characters could make a note read differently on paper
from what was typed (domain.md hazard 7). Both are neutralised here, and every
document passes user text through ``user_markup`` before it reaches a
Paragraph.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

NOT_RECORDED = "Not recorded"

# Embeddings, overrides and isolates, plus the marks that steer neutral text.
_BIDI_NAMES = {
    0x061C: "ALM",
    0x200E: "LRM",
    0x200F: "RLM",
    0x202A: "LRE",
    0x202B: "RLE",
    0x202C: "PDF",
    0x202D: "LRO",
    0x202E: "RLO",
    0x2066: "LRI",
    0x2067: "RLI",
    0x2068: "FSI",
    0x2069: "PDI",
}

# Shown as a visible placeholder, so that a reader (or an auditor) can see
# that something invisible was typed, rather than having it silently dropped.
_PLACEHOLDERS = {code: f"[{name} U+{code:04X}]" for code, name in _BIDI_NAMES.items()}

# Other control characters (not tab or newline) print as boxes or upset the
# PDF writer; they are shown by code too.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def neutralise(text: str) -> str:
    """Replace bidirectional and other control characters with visible placeholders."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = _CONTROLS.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)
    return text.translate(_PLACEHOLDERS)


def user_markup(text: str, empty: str = NOT_RECORDED) -> str:
    """Paragraph markup that prints ``text`` literally; ``empty`` when there is none.

    Long words need nothing here: every style sets ``splitLongWords``, which
    breaks a word wider than its column at the column's edge.
    """
    if not text.strip():
        return escape(empty)
    return escape(neutralise(text)).replace("\n", "<br/>")
