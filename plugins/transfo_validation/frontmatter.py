"""Read the metadata header of a Markdown file as raw text, before Pelican does.

Pelican's reader converts values as it reads (and fails on the first bad
date), so validation reads the header itself and sees every field as typed.
The format is Python-Markdown's `meta` extension: `Key: value` lines up to the
first blank line, continuation lines indented by four spaces or a tab (joined
to the value with a space, as `markdown_header` joins them for Pelican). A
space before the colon, as French is typed (`Title : …`), is read the same
here and there (`markdown_header`).

A blank line ends the header: fields typed after one are text for Markdown.
They are noted (`RawDocument.stray`), so that the check can say so instead of
calling them absent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_KEY_LINE = re.compile(r"^ {0,3}(?P<key>[A-Za-z0-9_-]+)[^\S\n]*:\s?(?P<value>.*)$")
_CONTINUATION = re.compile(r"^ {4,}(?P<value>.*)$")  # on the line with tabs expanded, as Markdown does


@dataclass
class RawDocument:
    """A content file split into its header fields and its body."""

    fields: dict[str, str] = field(default_factory=dict)
    spelling: dict[str, str] = field(default_factory=dict)  # lower-case key -> as typed
    lines: dict[str, int] = field(default_factory=dict)
    duplicates: list[str] = field(default_factory=list)
    malformed: list[tuple[int, str]] = field(default_factory=list)
    # (line, key as typed) of `Key: value` lines opening the body: a header cut by a blank line
    # (`header_end`: that line), or not started on the file's first line (`header_end` 1).
    stray: list[tuple[int, str]] = field(default_factory=list)
    header_end: int = 0
    body: str = ""
    body_line: int = 1  # line of the file where `body` starts


def parse(text: str) -> RawDocument:
    """Split `text` into header fields (keys lower-cased, as Pelican does) and body."""
    doc = RawDocument()
    lines = text.lstrip("\ufeff").split("\n")  # not splitlines: form feeds and the like are not line ends
    if lines[-1] == "":
        lines.pop()  # the final newline ends the last line, as for splitlines
    current = None
    index = 0
    for index, line in enumerate(lines):
        if not line.strip():
            break
        continuation = _CONTINUATION.match(line.expandtabs(4))
        if continuation and current:
            doc.fields[current] += " " + continuation.group("value").strip()
            continue
        match = _KEY_LINE.match(line)
        if not match:
            if index == 0:  # no header at all: the whole file is body
                doc.body = text
                return doc
            doc.malformed.append((index + 1, line))
            continue
        key = match.group("key").lower()
        if key in doc.fields:
            doc.duplicates.append(match.group("key"))
        doc.fields[key] = match.group("value").strip()
        doc.spelling.setdefault(key, match.group("key"))
        doc.lines.setdefault(key, index + 1)
        current = key
    else:
        index = len(lines)
    if index == 0:  # a blank first line: no header for Markdown, whatever follows
        doc.body = text
        _note_stray(doc, lines, 0)
        return doc
    doc.body = "\n".join(lines[index + 1 :])
    doc.body_line = index + 2
    _note_stray(doc, lines, index)
    return doc


def _note_stray(doc: RawDocument, lines: list[str], blank: int) -> None:
    """Note the `Key: value` lines right after the blank line `blank` (0-based) and any others."""
    start = blank
    while start < len(lines) and not lines[start].strip():
        start += 1
    for index in range(start, len(lines)):
        if _CONTINUATION.match(lines[index].expandtabs(4)):
            continue
        match = _KEY_LINE.match(lines[index])
        if not match:
            break
        doc.stray.append((index + 1, match.group("key")))
    if doc.stray:
        doc.header_end = blank + 1
