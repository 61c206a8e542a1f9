"""The raw HTML of a Markdown body, checked with its line in the file (docs/integrations.md).

The HTML an editor typed is found by an HTML parser over the Markdown source,
with code (fenced blocks and `inline code`) blanked first: an article may
show `<script>` as an example. Markdown link targets are checked too, since
`[texte](javascript:…)` becomes a link as well, and as the browser reads them:
Markdown leaves `&#58;` in the address, the browser decodes it to `:`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator

from transfo_common.markup import shown, unsafe_markup, unsafe_url

from .fields import control_character
from .problems import Problem
from .schema import Document

_FENCED_CODE = re.compile(r"^ {0,3}(`{3,}|~{3,}).*?^ {0,3}\1[ \t]*$", re.MULTILINE | re.DOTALL)
_INLINE_CODE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
_LINK_TARGET = re.compile(r"\]\(\s*<?([^\s)>]*)|^ {0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]+)", re.MULTILINE)
BODY_FIELD = "corps"
# Lists and quotes nest by markers at a line's start (`- - x`) and by indentation. Python-Markdown
# parses each level in a deeper call: ~450 levels of lists exhaust Python's stack (a traceback in
# the build). No article needs more than a few; this bound leaves room and stays far from that.
MAX_NESTING = 20
_NESTING_MARKERS = re.compile(r"^(?:[ \t]*(?:[-*+]|\d{1,9}[.)]|>)(?=[ \t]|$))+")
_NESTING_MARKER = re.compile(r"[-*+>]|\d{1,9}[.)]")
# Python-Markdown reads a paragraph's `[` (links, images, notes) in a time that grows with the
# square of their number: 500 take 0.1 s, 4,000 5 s, 20,000 two minutes. An article has a few.
MAX_BRACKETS = 500


def without_code(markdown: str) -> str:
    """`markdown` with the characters of code blanked, line breaks kept (so lines still match)."""
    def blank(match: re.Match) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    return _INLINE_CODE.sub(blank, _FENCED_CODE.sub(blank, markdown))


def body_findings(markdown: str, hosts: tuple[str, ...]) -> list[tuple[int, str]]:
    """(line in the body, message) for every unsafe construct of a Markdown body."""
    source = without_code(markdown)
    found = [(finding.line, finding.message) for finding in unsafe_markup(source, hosts)]
    for match in _LINK_TARGET.finditer(source):
        target = match.group(1) or match.group(2) or ""
        if unsafe_url(html.unescape(target)):
            found.append((source.count("\n", 0, match.start()) + 1,
                          f"lien vers « {shown(target)} » ; attendu : une adresse https://, "
                          "http://, mailto: ou relative"))
    return sorted(found)


def nesting_findings(markdown: str) -> list[tuple[int, str]]:
    """(line, message) for the first line whose list or quote sits deeper than `MAX_NESTING` levels:
    its markers (`- - x`, `> > x`) and its indentation (four spaces a level)."""
    for number, line in enumerate(without_code(markdown).split("\n"), start=1):
        markers = _NESTING_MARKERS.match(line)
        if markers is None:
            continue
        spaces = line.expandtabs(4)
        depth = len(_NESTING_MARKER.findall(markers.group(0))) + (len(spaces) - len(spaces.lstrip(" "))) // 4
        if depth > MAX_NESTING:
            return [(number, f"{depth} niveaux de listes ou de citations imbriquées ; attendu : au plus "
                             f"{MAX_NESTING} niveaux")]
    return []


def bracket_findings(markdown: str) -> list[tuple[int, str]]:
    """(line, message) for each paragraph holding more than `MAX_BRACKETS` opening brackets."""
    found, line = [], 1
    for paragraph in re.split(r"(\n[ \t]*\n)", without_code(markdown)):
        if paragraph.count("[") > MAX_BRACKETS:  # its first line, past the line breaks it starts with
            found.append((line + len(paragraph) - len(paragraph.lstrip("\n")),
                          f"{paragraph.count('[')} crochets « [ » dans un même paragraphe ; attendu : au plus "
                          f"{MAX_BRACKETS} (au-delà, Markdown met des minutes à le lire)"))
        line += paragraph.count("\n")
    return found


def control_findings(text: str) -> list[tuple[int, str]]:
    """(line, message) for each line holding a control character, invisible but fatal to XML."""
    if control_character(text) is None:  # nearly every body: one search, no line split
        return []
    return [(number, f"caractère de contrôle invisible ({control}) ; attendu : du texte, sans "
                     "caractère de contrôle (souvent venu d'un copier-coller)")
            for number, line in enumerate(text.split("\n"), start=1)
            if (control := control_character(line))]


def raw_html_rule(hosts: tuple[str, ...], formatted_fields: tuple[str, ...],
                  ) -> Callable[[Document], Iterator[Problem]]:
    """A rule for every kind: the raw HTML of the body and of the fields Pelican renders
    as Markdown (FORMATTED_FIELDS: the summary) follows the policy, each problem with its line;
    the body holds no control character (header fields are refused them as they are parsed)."""
    def rule(doc: Document) -> Iterator[Problem]:
        for name in formatted_fields:
            for _line, message in body_findings(doc.raw.fields.get(name, ""), hosts):
                yield doc.problem(name, message)
        for line, message in sorted(body_findings(doc.raw.body, hosts) + control_findings(doc.raw.body)
                                    + nesting_findings(doc.raw.body) + bracket_findings(doc.raw.body)):
            yield Problem(doc.path, BODY_FIELD, message, doc.raw.body_line + line - 1)

    return rule
