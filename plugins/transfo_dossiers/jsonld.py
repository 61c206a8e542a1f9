"""Structured data (schema.org) for dossiers, as plain dicts for `|tojson`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from pelican.contents import Article

from .logic import Dossier


def _iso(value: date) -> str:
    return value.isoformat()


def series(dossier: Dossier, absolute: Callable[[str], str], numbers: Callable[[Article], int],
           image_url: str = "") -> dict:
    """A CreativeWorkSeries whose hasPart lists the published parts in order.

    `absolute(path)` makes absolute URLs; `numbers(article)` gives a part's n; `image_url` is
    the published copy of the dossier's image (transfo_images), never the original file.
    """
    data = {
        "@context": "https://schema.org",
        "@type": "CreativeWorkSeries",
        "name": dossier.title,
        "url": absolute(dossier.url),
        "inLanguage": "fr-BE",
        "startDate": _iso(dossier.start),
        "hasPart": [
            {
                "@type": "Article",
                "position": numbers(part),
                "headline": part.title,
                "url": absolute(part.url),
                "datePublished": _iso(part.date),
            }
            for part in dossier.parts
        ],
    }
    if image_url:
        data["image"] = image_url
    if dossier.summary:
        data["description"] = dossier.summary
    if dossier.end:
        data["endDate"] = _iso(dossier.end)
    return data


def breadcrumbs(trail: Iterable[tuple[str, str]], absolute: Callable[[str], str]) -> dict:
    """A BreadcrumbList of [(name, path)], from the home page down."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": absolute(path)}
            for position, (name, path) in enumerate(trail, start=1)
        ],
    }
