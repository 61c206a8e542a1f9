"""The reading time is counted in the body as read: the same count as in the resolved body."""

import math
from datetime import datetime
from types import SimpleNamespace

from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG
from transfo_publication.logic import reading_minutes
from transfo_publication.plugin import count_reading_time

WORDS_PER_MINUTE = 230


def article(settings, body, slug, context=None):
    return Article(body, metadata={"title": slug, "slug": slug, "date": datetime(2019, 11, 5)},
                   settings=settings, source_path=f"/content/{slug}.md", context=context or {})


def test_links_resolved_or_not_the_page_shows_the_count_of_its_words(tmp_path):
    settings = {**DEFAULT_CONFIG, "PATH": str(tmp_path), "TRANSFO_WORDS_PER_MINUTE": WORDS_PER_MINUTE}
    linked = article(settings, "<p>Autre.</p>", "autre")
    words = " ".join(["mot"] * (2 * WORDS_PER_MINUTE + 1))
    body = (f'<p>{words} <a href="{{filename}}/autre.md" title="un titre de plusieurs mots">le lien</a>'
            f' <img src="{{static}}/images/a.jpg" alt="texte de remplacement"></p>')
    reader = article(settings, body, "long", {"static_content": {}, "generated_content": {"autre.md": linked}})
    context = {**settings, "articles": [reader, linked]}
    count_reading_time([SimpleNamespace(context=context)])
    assert reader.reading_minutes == math.ceil((2 * WORDS_PER_MINUTE + 3) / WORDS_PER_MINUTE) == 3
    assert reader.reading_minutes == reading_minutes(reader.content, WORDS_PER_MINUTE)
    assert 'href="/autre.html"' in reader.content  # resolved when the page shows it
    assert linked.reading_minutes == 1
