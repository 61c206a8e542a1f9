"""A Markdown extension: a header value continued on indented lines is one value.

Python-Markdown's `meta` extension keeps each continuation line as a separate
value; Pelican then keeps only the first one for some fields (Tags, Slug...),
joins them with newlines for Summary and hands the others over as a list (a
Title made of two lines broke the feeds). This preprocessor runs just before
`meta` and joins each continuation line to its field's line with a space, as
`frontmatter.parse` reads them for validation, so every field accepts a value
written over several lines and means the same thing in both places. It also
takes away spaces before a field's colon (`Title : …`, as French is typed):
`meta` would end the header there, and drop the article or put its fields in
its text.
"""

from __future__ import annotations

import re

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

# The header grammar of the `meta` extension (tabs are already spaces at this stage).
_KEY = re.compile(r"^(?P<key>[ ]{0,3}[A-Za-z0-9_-]+)[^\S\n]*:")
_MORE = re.compile(r"^[ ]{4,}(?P<value>.*)")
_FENCE = re.compile(r"^-{3}(\s.*)?$")
_META_PRIORITY = 27


def join_continuations(lines: list[str]) -> list[str]:
    """The header lines with each continuation line joined to its field's line."""
    joined: list[str] = []
    start = 1 if lines and _FENCE.match(lines[0]) else 0
    joined.extend(lines[:start])
    for index in range(start, len(lines)):
        line = lines[index]
        if not line.strip() or not (_KEY.match(line) or _MORE.match(line)):
            return joined + lines[index:]  # end of the header: the rest is body
        more = _MORE.match(line)
        if more and len(joined) > start:
            joined[-1] = f"{joined[-1].rstrip()} {more.group('value').strip()}"
        else:
            joined.append(_KEY.sub(r"\g<key>:", line, count=1))
    return joined


class _JoinContinuations(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        if "meta" not in self.md.preprocessors:  # Pelican renders a Summary: not a header
            return lines
        return join_continuations(lines)


class HeaderExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(_JoinContinuations(md), "transfo_header_continuations",
                                  _META_PRIORITY + 0.5)


def makeExtension(**kwargs: object) -> HeaderExtension:
    return HeaderExtension(**kwargs)
