"""schema.org NewsArticle for article pages, as a plain dict for `|tojson`.

Text values get French typography as plain text (curly apostrophes, no-break spaces):
search engines and share previews show them as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pelican.contents import Article
from transfo_i18n.typography import plain_french


@dataclass(frozen=True)
class Publisher:
    name: str
    url: str
    logo_url: str
    logo_width: int
    logo_height: int


def news_article(article: Article, image_url: str, absolute: Callable[[str], str], publisher: Publisher) -> dict:
    """A NewsArticle with what Google's article guidelines ask for; `absolute(path)` -> URL."""
    organisation = {"@type": "Organization", "name": plain_french(publisher.name), "url": publisher.url}
    authors = [
        {"@type": "Person", "name": plain_french(author.name), "url": absolute(author.url)}
        for author in getattr(article, "authors", None) or []
    ]
    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": plain_french(article.title),
        "description": plain_french(getattr(article, "summary", "")),
        "url": absolute(article.url),
        "mainEntityOfPage": absolute(article.url),
        "inLanguage": "fr-BE",
        "datePublished": article.date.isoformat(),
        "dateModified": (getattr(article, "modified", None) or article.date).isoformat(),
        "image": [image_url],
        "articleSection": plain_french(article.category.name),
        "author": authors or [organisation],
        "publisher": {
            **organisation,
            "logo": {"@type": "ImageObject", "url": publisher.logo_url,
                     "width": publisher.logo_width, "height": publisher.logo_height},
        },
    }
