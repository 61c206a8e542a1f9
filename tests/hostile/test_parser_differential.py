"""Raw HTML an attacker pastes so that the check's parser (Python's HTMLParser) and a browser's
read it differently: a tag the check reads as text runs in the page. Chromium is the oracle:
every payload below runs code (or restyles the page) once parsed as a page's body, and the
content check must refuse it; every harmless snippet below runs nothing and is accepted."""

from __future__ import annotations

import pytest
from transfo_common.markup import DEFAULT_EMBED_HOSTS
from transfo_validation.body_html import body_findings

YOUTUBE = "https://www.youtube-nocookie.com/embed/x"
HIDDEN = "<img src=x onerror=alert(1)>"
DIFFERENTIAL = [
    *(f'<{tag}><p title="</{tag}>{HIDDEN}"></{tag}>'
      for tag in ("noscript", "xmp", "noembed", "noframes", "textarea", "title")),
    f'<iframe src="{YOUTUBE}" title="v"><p title="</iframe>{HIDDEN}"></iframe>',
    f"<svg><style>{HIDDEN}</style></svg>",
    f"<math><mtext><table><mglyph><style>{HIDDEN}",
    '<svg><animate attributeName="href" values="javascript:alert(1)"/></svg>',
    f"<template>{HIDDEN}</template>",
    f"<!-->{HIDDEN}-->",
    f"<!--->{HIDDEN}-->",
    f"<!-- note --!>{HIDDEN} -->",
    f"<![CDATA[>{HIDDEN}]]>",
    '<style>@import "https://evil.example/x.css";</style>',
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "<img src=x alt=''\x0conerror=alert(1)>",
]
HARMLESS = [
    "Un texte.\n\n<!-- à compléter avant publication -->\n\nSuite.",
    "<!-- saison 2019--2020 -->",
    "De A --> B, puis <3 et 3 < 5.",
    f'<iframe src="{YOUTUBE}" title="Une vidéo" allowfullscreen></iframe>',
    f'<iframe src="{YOUTUBE}" title="Une vidéo">\n</iframe>',
    '<figure><img src="images/a.jpg" alt="Une photo"><figcaption>Légende</figcaption></figure>',
    "<table><tr><th>Année</th><td>2019</td></tr></table>",
]
# What the page would hold once the browser has parsed `payload` as a body's content: elements
# that run code or style the page, on… attributes, and addresses that run code.
RUNS = """payload => {
  const holder = document.createElement('div');
  holder.innerHTML = payload;
  const found = [];
  const walk = root => { for (const element of root.querySelectorAll('*')) {
    const name = element.localName;
    if (['script', 'style', 'link', 'iframe', 'object', 'embed', 'base'].includes(name)) found.push(name);
    for (const attribute of element.attributes) {
      if (attribute.name.startsWith('on')) found.push(`${name}@${attribute.name}`);
      const address = attribute.value.replace(/[\\x00-\\x20]/g, '');
      if (/^(javascript|data|vbscript):/i.test(address)) found.push(attribute.value);
    }
    if (element.content) walk(element.content);
  } };
  walk(holder);
  return found;
}"""


@pytest.fixture(scope="module")
def body_of_a_page(_reading_tab):
    _reading_tab.set_content("<!doctype html><html lang=fr><body></body></html>")
    return lambda payload: _reading_tab.evaluate(RUNS, payload)


@pytest.mark.parametrize("payload", DIFFERENTIAL)
def test_what_a_browser_runs_is_refused_however_it_hides_from_the_check(body_of_a_page, payload):
    runs = [found for found in body_of_a_page(payload) if found != "iframe"]  # the embed itself is allowed
    assert runs, f"Chromium runs nothing of {payload!r}: the case tests nothing"
    assert body_findings(payload, DEFAULT_EMBED_HOSTS), f"{payload!r} runs {runs} and passes the check"


@pytest.mark.parametrize("snippet", HARMLESS)
def test_what_editors_paste_safely_is_accepted(body_of_a_page, snippet):
    assert [found for found in body_of_a_page(snippet) if found != "iframe"] == []
    assert body_findings(snippet, DEFAULT_EMBED_HOSTS) == []
