"""Pure logic of the portraits index: facets (sector, region) and related portraits."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass
class Facet:
    """One value of a filter (a sector, a region) and the portraits that have it."""

    name: str
    slug: str
    url: str
    portraits: list[Any] = field(default_factory=list)


def has_facts(article) -> bool:
    return any(getattr(article, name, None) for name in ("person", "enterprise", "sector", "town", "region"))


def facets(portraits, attribute: str, slugify: Callable[[str], str], url: Callable[[str], str],
           order=()) -> list[Facet]:
    """Facets of `attribute`, in the configured `order` then alphabetically; empty ones omitted."""
    found: dict[str, Facet] = {}
    for portrait in portraits:
        value = getattr(portrait, attribute, None)
        if not value:
            continue
        if value not in found:
            slug = slugify(value)
            found[value] = Facet(value, slug, url(slug))
        found[value].portraits.append(portrait)
    rank = {name: index for index, name in enumerate(order)}
    return sorted(found.values(), key=lambda f: (rank.get(f.name, len(rank)), f.slug))


def related_portraits(target, portraits, limit: int, exclude=()) -> list:
    """Other portraits: same sector first, then same region, newer first; `exclude` left out."""
    skipped = {id(p) for p in exclude} | {id(target)}
    candidates = [p for p in portraits if id(p) not in skipped]

    def rank(p):
        same_sector = bool(target_sector) and getattr(p, "sector", None) == target_sector
        same_region = bool(target_region) and getattr(p, "region", None) == target_region
        return (same_sector, same_region, p.date)

    target_sector = getattr(target, "sector", None)
    target_region = getattr(target, "region", None)
    return sorted(candidates, key=rank, reverse=True)[:limit]


def display_name(portrait) -> str:
    """The name a card shows: the person, else the enterprise, else the title."""
    return getattr(portrait, "person", None) or getattr(portrait, "enterprise", None) or portrait.title
