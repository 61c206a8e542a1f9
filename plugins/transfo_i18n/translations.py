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
from transfo_common.files import file_state

# Pelican makes one Jinja environment per generator (about fifteen per build); the catalogue is
# compiled once per process and again only when its file changes (the resident preview).
_compiled: dict[tuple[Path, str], tuple[tuple, Translations]] = {}


def catalogue_path(translations_path: Path, locale: str) -> Path:
    return translations_path / locale / "LC_MESSAGES" / "messages.po"


def load_translations(translations_path: Path, locale: str) -> Translations:
    """The locale's .po file compiled into gettext translations."""
    po_path = catalogue_path(translations_path, locale)
    state = file_state(po_path)
    known = _compiled.get((po_path, locale))
    if known is not None and known[0] == state:
        return known[1]
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    translations = Translations(fp=buffer)
    if state is not None:
        _compiled[(po_path, locale)] = (state, translations)
    return translations
