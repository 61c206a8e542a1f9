"""The file types a built site may hold, each checked against the file's content.

A copy of internal data (a `.csv`, an `.xlsx`, a `.gz` of them, an `.eml`, a
UTF-16 text) has no place among web pages: the output may hold only the types
of an allow-list (setting TRANSFO_OUTPUT_TYPES: extension -> kind), and each
file must be what its extension says: an image starts with its format's
signature, a text file is UTF-8 without NUL bytes, a JSON file parses...

Pre-compressed copies (`.gz`, `.br`) are not in the list: `invoke publish`
writes them after the build and its checks, from the text files of the list
only (`transfo_quality.compress`), so a build's output never holds one.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable
from dataclasses import dataclass

HEAD_BYTES = 64  # enough for every binary signature below


@dataclass(frozen=True)
class Kind:
    """What a file of one type must contain, and how the leak check reads it."""

    label: str  # in French, for messages: what was expected
    matches: Callable[[bytes], bool]  # on the head (binary kinds) or on the whole file (text kinds)
    text: bool = False  # UTF-8 text: read whole and searched
    markup: bool = False  # its text is read without tags, attributes included (spellings.readable_text)
    code: bool = False  # program text: plain numbers in it are literals, not figures
    index: bool = False  # a file of Pagefind's own format: never read, its provenance is checked instead


def _text_starting(*starts: bytes) -> Callable[[bytes], bool]:
    return lambda data: data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(starts)


def _parses_as_json(data: bytes) -> bool:
    try:
        json.loads(data)
    except ValueError:
        return False
    return True


def _any_text(_data: bytes) -> bool:
    return True  # besides being UTF-8 without NUL, which every text kind checks


def _is_gzip(head: bytes) -> bool:
    return head.startswith(b"\x1f\x8b")


KINDS: dict[str, Kind] = {
    "html": Kind("une page HTML en UTF-8", _any_text, text=True, markup=True),
    "xml": Kind("un document XML en UTF-8", _text_starting(b"<"), text=True, markup=True),
    "svg": Kind("une image SVG en UTF-8", lambda data: b"<svg" in data, text=True, markup=True),
    "json": Kind("un document JSON en UTF-8", _parses_as_json, text=True, markup=True),
    "calendar": Kind("un calendrier iCalendar en UTF-8", _text_starting(b"BEGIN:VCALENDAR"), text=True),
    "text": Kind("un texte en UTF-8", _any_text, text=True),
    "code": Kind("un script ou une feuille de style en UTF-8", _any_text, text=True, code=True),
    "jpeg": Kind("une image JPEG", lambda head: head.startswith(b"\xff\xd8\xff")),
    "png": Kind("une image PNG", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    "gif": Kind("une image GIF", lambda head: head.startswith((b"GIF87a", b"GIF89a"))),
    "webp": Kind("une image WebP", lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP"),
    "avif": Kind("une image AVIF", lambda head: head[4:8] == b"ftyp"
                 and any(brand in head[8:HEAD_BYTES] for brand in (b"avif", b"avis"))),
    "ico": Kind("une icône ICO", lambda head: head.startswith(b"\0\0\1\0")),
    "woff2": Kind("une police WOFF2", lambda head: head.startswith(b"wOF2")),
    "woff": Kind("une police WOFF", lambda head: head.startswith(b"wOFF")),
    "font": Kind("une police TrueType ou OpenType", lambda head: head.startswith((b"\0\1\0\0", b"OTTO", b"true"))),
    "wasm": Kind("un module WebAssembly", lambda head: head.startswith(b"\0asm")),
    "search-index": Kind("un fichier de l'index Pagefind", lambda _head: True, index=True),
}

# The default allow-list: the types docs/nginx.conf serves (keep them alike), and `yml` for the
# editing interface's configuration (admin/config.yml). Pagefind writes pagefind*.js,
# pagefind-entry.json, and files of its own format (.pagefind, .pf_*): those are allowed only in
# the bundle the search plugin vouches for (`leaks.scan_tree`).
DEFAULT_OUTPUT_TYPES = {
    "html": "html", "xml": "xml", "svg": "svg", "json": "json", "webmanifest": "json",
    "ics": "calendar", "txt": "text", "yml": "text", "css": "code", "js": "code", "mjs": "code",
    "jpg": "jpeg", "jpeg": "jpeg", "png": "png", "gif": "gif", "webp": "webp", "avif": "avif",
    "ico": "ico", "woff2": "woff2", "ttf": "font", "wasm": "wasm",
    "pf_fragment": "search-index", "pf_index": "search-index", "pf_meta": "search-index",
    "pf_filter": "search-index", "pagefind": "search-index",
}


def extension(name: str) -> str:
    """`photo.JPG` -> `jpg`; "" for a name without one."""
    stem, dot, suffix = name.rpartition("/")[2].rpartition(".")
    return suffix.lower() if dot and stem else ""


def utf8_text(data: bytes) -> str | None:
    """The text of UTF-8 bytes without NUL; None otherwise (UTF-16 has NUL bytes)."""
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


_LOOKS_LIKE = (
    (_is_gzip, "une archive gzip"),
    (lambda head: head.startswith(b"PK\3\4"), "une archive ZIP (xlsx, docx, odt, zip…)"),
    (lambda head: head.startswith(b"\xd0\xcf\x11\xe0"), "un document Office ancien (xls, doc)"),
    (lambda head: head.startswith(b"%PDF"), "un document PDF"),
    (lambda head: head.startswith((b"\xff\xfe", b"\xfe\xff")), "un texte UTF-16"),
    (lambda head: head.startswith((b"BZh", b"\xfd7zXZ", b"7z\xbc\xaf")), "une archive compressée"),
)


def looks_like(head: bytes) -> str:
    """What a file's first bytes say it is, in French, for a message."""
    for test, label in _LOOKS_LIKE:
        if test(head):
            return label
    for kind in KINDS.values():
        if not kind.text and not kind.index and kind.matches(head):
            return kind.label
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(head)  # a character cut at the end is no error
    except UnicodeDecodeError:
        text = None
    return "du texte" if text is not None and "\0" not in text else "des données binaires"


def content_problem(kind: Kind, data: bytes) -> str | None:
    """None when `data` (the whole file for text kinds, the head otherwise) is what `kind`
    expects; else what the content looks like."""
    if kind.text and not kind.index:
        if utf8_text(data) is None or not kind.matches(data):
            return looks_like(data[:HEAD_BYTES])
        return None
    if kind.index:
        return None  # Pagefind's format is its own: the bundle is checked whole (`leaks.scan_tree`)
    return None if kind.matches(data[:HEAD_BYTES]) else looks_like(data[:HEAD_BYTES])
