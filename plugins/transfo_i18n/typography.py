"""French typography: narrow no-break spaces where French puts spaces.

French sets a (narrow) no-break space before ; : ! ? » and after «, so that
a line never starts with a colon or a closing guillemet. Editors type plain
spaces, or none; this module fixes both, in text and in rendered Markdown.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from markdown import Extension
from markdown.treeprocessors import Treeprocessor

NNBSP = "\u202f"  # narrow no-break space: before ; ! ? and inside guillemets
NBSP = "\u00a0"  # no-break space: before the colon

_BEFORE_HIGH_PUNCT = re.compile(r"(?<=[\w\)\]»%…'’\"])[ \u00a0\u202f]?([;!?])(?=\s|$|[»)])")
_BEFORE_COLON = re.compile(r"(?<=[\w\)\]»%…'’\"])[ \u00a0\u202f]?:(?=\s|$)")
_AFTER_OPEN_GUILLEMET = re.compile(r"«[ \u00a0\u202f]?")
_BEFORE_CLOSE_GUILLEMET = re.compile(r"[ \u00a0\u202f]?»")
_STRAIGHT_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_STRAIGHT_QUOTES = re.compile(r'"([^"\n]+)"')
_SKIPPED_TAGS = {"code", "pre", "script", "style", "kbd", "samp"}


def french_spacing(text: str) -> str:
    """Return `text` with French apostrophes, guillemets and no-break spaces."""
    text = _STRAIGHT_APOSTROPHE.sub("’", text)
    text = _STRAIGHT_QUOTES.sub(r"«\1»", text)
    text = _AFTER_OPEN_GUILLEMET.sub("«" + NNBSP, text)
    text = _BEFORE_CLOSE_GUILLEMET.sub(NNBSP + "»", text)
    text = _BEFORE_HIGH_PUNCT.sub(NNBSP + r"\1", text)
    return _BEFORE_COLON.sub(NBSP + ":", text)


class _FrenchSpacingTreeprocessor(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        self._walk(root)

    def _walk(self, element: ET.Element) -> None:
        if element.tag in _SKIPPED_TAGS:
            if element.tail:
                element.tail = french_spacing(element.tail)
            return
        if element.text:
            element.text = french_spacing(element.text)
        for child in element:
            self._walk(child)
        if element.tail:
            element.tail = french_spacing(element.tail)


class FrenchTypographyExtension(Extension):
    """Markdown extension applying `french_spacing` to text, never to code."""

    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API name)
        md.treeprocessors.register(_FrenchSpacingTreeprocessor(md), "french_typography", 1)


def makeExtension(**kwargs):  # noqa: N802 (Markdown's API name)
    return FrenchTypographyExtension(**kwargs)
