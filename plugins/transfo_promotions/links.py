"""The address to put in an ad: the article's public URL with UTM parameters."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

UTM_MEDIUM = "paid_social"


def promotion_link(article_url: str, slug: str, source: str = "facebook") -> str:
    """`https://site/2019/04/x/` -> `...?utm_source=facebook&utm_medium=paid_social&utm_campaign=x`.

    `utm_campaign` carries the slug, so `invoke promotions-import` can find the
    article back from the ad's destination URL, and paid reads are told apart
    from organic ones in the audience statistics.
    """
    parts = urlsplit(article_url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if not k.startswith("utm_")]
    query += [("utm_source", source), ("utm_medium", UTM_MEDIUM), ("utm_campaign", slug)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def slug_from_url(url: str, known_slugs: Iterable[str]) -> str | None:
    """The article an ad leads to: its utm_campaign, else a path segment that is a slug."""
    if not url:
        return None
    known = set(known_slugs)
    parts = urlsplit(url.strip())
    campaign = dict(parse_qsl(parts.query)).get("utm_campaign", "").strip()
    if campaign in known:
        return campaign
    for segment in reversed([s for s in parts.path.split("/") if s]):
        segment = segment.removesuffix(".html")
        if segment in known:
            return segment
    return None
