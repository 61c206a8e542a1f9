"""Templates escape by construction: what is printed as HTML is printed so on purpose."""

from __future__ import annotations

import re

import jinja2
from pelican.settings import read_settings

from tests.support import ROOT

TEMPLATE_FOLDERS = (ROOT / "theme" / "templates", ROOT / "newsletter" / "templates")
# The only values printed unescaped: Markdown-rendered bodies and summaries (checked against
# the raw HTML policy at `invoke check`, see docs/integrations.md).
MARKDOWN_OUTPUT = {"article.content", "article.summary", "lead.summary", "part.summary",
                   "page.content", "offer.content", "offer.summary", "event.content",
                   "event.summary_html", "dossier.intro", "edition.edito_html"}
_UNESCAPED = re.compile(r"\{\{\s*([^{}|]+?)\s*\|\s*safe\s*\}\}")


def templates():
    return sorted(path for folder in TEMPLATE_FOLDERS for path in folder.rglob("*")
                  if path.suffix in {".html", ".j2"} and ".txt." not in path.name)


def test_site_templates_autoescape():
    for config in ("pelicanconf.py", "publishconf.py"):
        assert read_settings(str(ROOT / config))["JINJA_ENVIRONMENT"]["autoescape"] is True


def test_only_markdown_output_is_marked_safe():
    marked = {}
    for path in templates():
        text = path.read_text(encoding="utf-8")
        assert "autoescape false" not in text and "Markup" not in text, path
        assert text.count("safe") == len(_UNESCAPED.findall(text)), f"{path}: |safe on more than a value"
        for expression in _UNESCAPED.findall(text):
            marked.setdefault(expression, []).append(path.name)
    assert set(marked) <= MARKDOWN_OUTPUT, marked
    assert {"article.content", "page.content", "edition.edito_html"} <= set(marked)


def test_a_template_escapes_what_it_is_given():
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATE_FOLDERS[0])),
                             **read_settings(str(ROOT / "pelicanconf.py"))["JINJA_ENVIRONMENT"])
    page = env.from_string("<h1>{{ title }}</h1>").render(title='</h1><script>alert(1)</script>')
    assert page == "<h1>&lt;/h1&gt;&lt;script&gt;alert(1)&lt;/script&gt;</h1>"
