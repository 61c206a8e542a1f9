"""UI strings: gettext catalogues kept as .po files, compiled in memory.

All UI strings of the theme are `_()` calls in templates with English msgids;
the French text lives in `theme/translations/<locale>/LC_MESSAGES/messages.po`.
A Dutch edition adds `nl_BE/.../messages.po`, nothing else.
"""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations


def catalogue_path(translations_path: Path, locale: str) -> Path:
    return translations_path / locale / "LC_MESSAGES" / "messages.po"


def load_translations(translations_path: Path, locale: str) -> Translations:
    """Compile the locale's .po file into gettext translations."""
    po_path = catalogue_path(translations_path, locale)
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)
