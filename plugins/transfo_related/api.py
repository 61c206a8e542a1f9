"""What other plugins may use of related reading: read an article's list, or trim it.

Related reading is chosen once, at `article_generator_finalized`, before any plugin's generator
builds its context; templates read it as `article.related`. A plugin whose page already shows
some of those articles in a block of its own (a portrait's "Other portraits") leaves them out
with `leave_out`, during its context phase; it never rewrites the list itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

ATTRIBUTE = "related"  # what templates read


def related_articles(article: Any) -> list[Any]:
    """The articles shown under `article` as related reading, best first ([] before they are chosen)."""
    return list(getattr(article, ATTRIBUTE, ()))


def attach(article: Any, related: list[Any]) -> None:
    """Set the related reading of `article` (this plugin's own handler does it)."""
    setattr(article, ATTRIBUTE, related)


def leave_out(article: Any, shown: Iterable[Any]) -> None:
    """Leave the articles of `shown` out of the related reading of `article`, keeping the order
    of the others; those the page shows elsewhere need not be proposed twice."""
    ids = {id(other) for other in shown}
    attach(article, [other for other in related_articles(article) if id(other) not in ids])
