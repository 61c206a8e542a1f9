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

from markdown import Markdown
from transfo_common.markup import shown, unsafe_markup, unsafe_url

from .fields import control_character
from .problems import Problem
from .schema import Document

_FENCED_CODE = re.compile(r"^ {0,3}(`{3,}|~{3,}).*?^ {0,3}\1[ \t]*$", re.MULTILINE | re.DOTALL)
# Inline code ends with its paragraph: backticks a blank line apart open no code, and what lies
# between them is read (a link there is a link).
_INLINE_CODE = re.compile(r"(`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)\1(?!`)", re.DOTALL)
# An inline link's target, or a reference definition's, each from its bracket: one match per `](`,
# even inside another's target. Definitions are looked for anywhere, not only at a line's start:
# in a list item or a quote, Markdown reads one after the item's marker or indentation too, and
# its address may stand on the next line.
_LINK_TARGET = re.compile(r"\](?=\(\s*<?([^\s)>]*))|\[(?=[^\[\]]*\]:[ \t]*\n?[ \t]*<?([^\s>]+))")
# The same, loosely: what follows the bracket, spaces and line breaks included (the browser drops
# them from an address's scheme), to tell whether Markdown could make a hostile link here at all.
_LOOSE_TARGET = re.compile(r"\](?=\(([^)]{0,200}))|\[(?=[^\[\]]*\]:([^\n]{0,200}\n?[^\n]{0,200}))")
# A bracket, with the backslashes just before it (an odd number: an escaped bracket, shown as text),
# or a blank line, where a paragraph, and any link text in it, ends.
_BRACKET_OR_BREAK = re.compile(r"(?P<slashes>\\*)[\[\]]|\n[ \t]*\n")
_ESCAPE = re.compile(r"\\(.)")
# Raw HTML, read by a parser that Markdown can contradict (a comment left open hides the rest from
# it, not from Markdown); and attributes in braces (attr_list: `{: onclick=…}`), Pelican's link
# placeholders (`{filename}`, `{static}`…) aside.
_RAW_HTML = re.compile(r"<[A-Za-z!?/]")
_ATTRIBUTE_LIST = re.compile(r"\{(?!(?:filename|static|attach|tag|category|author|index)\})")
RENDERED_WITH = ["markdown.extensions.extra", "markdown.extensions.toc"]
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


def link_text_ends(source: str) -> set[int]:
    """Where a `]` may end a link's text: where an unescaped `[` of its paragraph is still open.

    `\\[lien](javascript:…)` is text, not a link, and Markdown shows it as typed. Counting the
    brackets only ever takes too many `]` for link ends, never too few: Markdown's link text is
    balanced between its brackets, so its opening one is still open at its end."""
    ends, open_brackets = set(), 0
    for match in _BRACKET_OR_BREAK.finditer(source):
        if match.group().startswith("\n"):
            open_brackets = 0
        elif len(match.group("slashes")) % 2 == 0:
            if match.group().endswith("["):
                open_brackets += 1
            elif open_brackets:
                open_brackets -= 1
                ends.add(match.end() - 1)
    return ends


def _hostile_target(target: str) -> bool:
    """Whether a link target runs code, read as the browser reads it, its entities decoded, and
    as Markdown may leave it, its backslash escapes removed (`java\\script:`)."""
    if "&" not in target and "\\" not in target:  # nearly every target: nothing to decode
        return unsafe_url(target)
    return unsafe_url(html.unescape(target)) or unsafe_url(html.unescape(_ESCAPE.sub(r"\1", target)))


def _line(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def body_findings(markdown: str, hosts: tuple[str, ...]) -> list[tuple[int, str]]:
    """(line in the body, message) for every unsafe construct of a Markdown body.

    The raw HTML and link targets are read in the source, code left out, each with its line. Where
    Markdown could make what that reading does not show (a hostile target in text or in what looks
    like code, raw HTML, attributes written `{: …}`), and nothing was found, the body is also
    rendered as Markdown renders it and the HTML it makes is checked, at the first such line: the
    source can be read wrongly, not the rendered HTML. Bodies with none of these (nearly all) are
    not rendered."""
    source = without_code(markdown)
    found = [(finding.line, finding.message) for finding in unsafe_markup(source, hosts)]
    ends: set[int] | None = None
    for match in _LINK_TARGET.finditer(source):
        target = match.group(1) or match.group(2) or ""
        if not _hostile_target(target):
            continue
        if match.group(1) is not None:
            ends = link_text_ends(source) if ends is None else ends
            if match.start() not in ends:
                continue  # a `](` after text that opens no link
        found.append((_line(source, match.start()),
                      f"lien vers « {shown(target)} » ; attendu : une adresse https://, "
                      "http://, mailto: ou relative"))
    suspects = [_line(markdown, match.start()) for match in _LOOSE_TARGET.finditer(markdown)
                if _hostile_target((match.group(1) or match.group(2) or "").lstrip().removeprefix("<"))]
    suspects += [_line(markdown, first.start()) for pattern in (_RAW_HTML, _ATTRIBUTE_LIST)
                 if (first := pattern.search(markdown)) is not None]
    # Not a body refused for what Markdown would take minutes to read (`bracket_findings`…).
    if suspects and not found and not bracket_findings(markdown) and not nesting_findings(markdown):
        found = [(min(suspects), finding.message) for finding in unsafe_markup(rendered(markdown), hosts)]
    return sorted(found)


def rendered(markdown: str) -> str:
    """The HTML Python-Markdown makes of `markdown` with the extensions of the site that read links
    and attributes (pelicanconf.py's MARKDOWN: extra, with attr_list, footnotes and Markdown in
    HTML; toc)."""
    return Markdown(extensions=RENDERED_WITH, output_format="html").convert(markdown)


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
