"""French typography: narrow no-break spaces where French puts spaces.

French sets a (narrow) no-break space before ; : ! ? » and after «, so that
a line never starts with a colon or a closing guillemet. Editors type plain
spaces, or none; this module fixes both, in text and in rendered Markdown.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup, escape
from transfo_common.markup import text_of

NNBSP = "\u202f"  # narrow no-break space: before ; ! ? and inside guillemets
NBSP = "\u00a0"  # no-break space: before the colon

_BEFORE_HIGH_PUNCT = re.compile(r"(?<=[\w\)\]»%…'’\"])[ \u00a0\u202f]?([;!?])(?=\s|$|[»)])")
_BEFORE_COLON = re.compile(r"(?<=[\w\)\]»%…'’\"])[ \u00a0\u202f]?:(?=\s|$)")
_AFTER_OPEN_GUILLEMET = re.compile(r"«[ \u00a0\u202f]?")
_BEFORE_CLOSE_GUILLEMET = re.compile(r"[ \u00a0\u202f]?»")
_STRAIGHT_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_STRAIGHT_QUOTES = re.compile(r'"([^"\n]+)"')
_SKIPPED_TAGS = {"code", "pre", "script", "style", "kbd", "samp", "sup"}
# Ordinals and fractions French sets with a superscript suffix: 1er, 1re, 2e, XIXe, 4/5e.
_ORDINAL = re.compile(r"(?<![\w/])(\d+(?:/\d+)?(?=ers?|res?|es?|nds?|ndes?)|[IVX]{2,}(?=es?(?!\w)))"
                      r"(ers?|res?|es?|nds?|ndes?)(?!\w)")
_ASCII_SPACES = re.compile(r"[ \t\r\n]+")


def french_spacing(text: str) -> str:
    """Return `text` with French apostrophes, guillemets and no-break spaces."""
    text = _STRAIGHT_APOSTROPHE.sub("’", text)
    text = _STRAIGHT_QUOTES.sub(r"«\1»", text)
    text = _AFTER_OPEN_GUILLEMET.sub("«" + NNBSP, text)
    text = _BEFORE_CLOSE_GUILLEMET.sub(NNBSP + "»", text)
    text = _BEFORE_HIGH_PUNCT.sub(NNBSP + r"\1", text)
    return _BEFORE_COLON.sub(NBSP + ":", text)


def plain_french(markup: str | None) -> str:
    """Plain text of a title or an HTML summary, with French typography.

    For <title>, share previews and JSON-LD, which show text as is. Only ASCII
    whitespace is collapsed, so the no-break spaces survive."""
    text = text_of(str(markup or ""))
    return french_spacing(_ASCII_SPACES.sub(" ", text).strip())


def french_markup(value: str | None) -> Markup:
    """A title as HTML: French spacing, escaped, ordinals in <sup> (1<sup>er</sup>).

    Markup given in is trusted as already processed (Markdown output)."""
    if isinstance(value, Markup):
        return value
    escaped = str(escape(french_spacing(str(value or ""))))
    return Markup(_ORDINAL.sub(r"\1<sup>\2</sup>", escaped))


def _split_ordinals(text: str) -> list[str]:
    """[before, number, suffix, between, number, suffix, ..., after]."""
    return _ORDINAL.split(text)


class _FrenchSpacingTreeprocessor(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        self._walk(root)

    def _walk(self, element: ET.Element) -> None:
        if element.tag not in _SKIPPED_TAGS:
            if element.text:
                element.text = french_spacing(element.text)
                self._superscripts(element, None)
            for child in list(element):
                self._walk(child)
                if child.tail:
                    child.tail = french_spacing(child.tail)
                    self._superscripts(element, child)

    @staticmethod
    def _superscripts(parent: ET.Element, after: ET.Element | None) -> None:
        """Set ordinal suffixes of parent.text (after=None) or of after.tail in <sup>."""
        text = parent.text if after is None else after.tail
        pieces = _split_ordinals(text or "")
        if len(pieces) == 1:
            return
        if after is None:
            parent.text, position = pieces[0], 0
        else:
            after.tail, position = pieces[0], list(parent).index(after) + 1
        for index in range(1, len(pieces), 3):
            number, suffix, rest = pieces[index : index + 3]
            previous = parent[position - 1] if position else None
            if previous is None:
                parent.text = (parent.text or "") + number
            else:
                previous.tail = (previous.tail or "") + number
            sup = ET.Element("sup")
            sup.text, sup.tail = suffix, rest
            parent.insert(position, sup)
            position += 1


class FrenchTypographyExtension(Extension):
    """Markdown extension applying `french_spacing` to text, never to code."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(_FrenchSpacingTreeprocessor(md), "french_typography", 1)


def makeExtension(**kwargs: object) -> FrenchTypographyExtension:
    return FrenchTypographyExtension(**kwargs)
