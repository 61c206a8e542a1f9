"""HTML comments left in a body: the instructions of `invoke new`'s templates.

The templates (docs/modeles/) give their instructions as `<!-- ... -->`
comments, which no page shows; but Markdown copies comments into the HTML,
where anyone can read them. So a file about to be published may hold none.
"""

from __future__ import annotations

import re

from .frontmatter import RawDocument
from .problems import Problem

_HTML_COMMENT = re.compile(r"<!--(.*?)(?:-->|\Z)", re.DOTALL)


def html_comments(body: str, first_line: int) -> list[tuple[int, str]]:
    """(line, start of the text) of each HTML comment in a body whose first line is `first_line`;
    an unclosed comment runs to the end, as it would in the page."""
    found = []
    for match in _HTML_COMMENT.finditer(body):
        text = " ".join(match.group(1).split())
        found.append((first_line + body.count("\n", 0, match.start()),
                      text if len(text) <= 60 else text[:59] + "…"))
    return found


def comment_problems(path: str, raw: RawDocument) -> list[Problem]:
    """One problem per comment left in the body of a file about to be published."""
    return [Problem(path, "corps", f"commentaire laissé dans le texte « <!-- {text} --> » ; attendu : "
                    "supprimez-le (consigne du modèle : Markdown le recopierait dans la page publiée)",
                    line)
            for line, text in html_comments(raw.body, raw.body_line)]
