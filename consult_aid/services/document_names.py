"""File names for saved documents (never the same for two patients), and the app-link setting.

Kept apart from the document service, with light imports only, so that the
command line can name its files before the database has been opened.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Mapping
from datetime import date

from consult_aid.domain.documents import DocumentKind
from consult_aid.domain.people import Patient
from consult_aid.storage.search_key import fold

# The recovery app's link, printed with a QR code on leaflets; an app setting.
RECOVERY_APP_URL_ENV = "CONSULT_AID_RECOVERY_APP_URL"


def recovery_app_url(environ: Mapping[str, str], default: str = "") -> str:
    """The recovery app's link (printed with a QR code), from the environment or the default.

    Raises:
        ValueError: the setting is not a web link; the message names the setting,
            so that a broken link is never printed on every leaflet.
    """
    raw = environ.get(RECOVERY_APP_URL_ENV, "").strip() or default.strip()
    if not raw:
        return ""
    parts = urllib.parse.urlsplit(raw)
    if parts.scheme not in ("https", "http") or not parts.netloc or any(c.isspace() for c in raw):
        raise ValueError(
            f"The setting {RECOVERY_APP_URL_ENV} must be a web link such as "
            f"https://example.org/recovery; it is {raw!r}."
        )
    return raw


_MAX_NAME_IN_FILENAME = 60
_NOT_FILENAME = re.compile(r"[^a-z0-9]+")


def suggested_filename(kind: DocumentKind, patient: Patient, on: date) -> str:
    """``leaflet_9990000018_zoe-lukasiewicz_2026-11-25.pdf``: the NHS number keeps it unique.

    The name is folded to ASCII letters and digits, so the file name is safe on
    every file system; a name with none (Greek, say) gives "patient".
    """
    words = _NOT_FILENAME.sub("-", fold(patient.name)).strip("-")
    name = words[:_MAX_NAME_IN_FILENAME].strip("-") or "patient"
    return f"{kind.value}_{patient.nhs_number}_{name}_{on.isoformat()}.pdf"
