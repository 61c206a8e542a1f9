"""Pure logic of the portraits index: facets (sector, region) and related portraits."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the logic reads articles, it never needs Pelican to run
    from pelican.contents import Article


@dataclass
class Facet:
    """One value of a filter (a sector, a region) and the portraits that have it."""

    name: str
    slug: str
    url: str
    portraits: list[Any] = field(default_factory=list)


def has_facts(article: Article) -> bool:
    return any(getattr(article, name, None) for name in ("person", "enterprise", "sector", "town", "region"))


def facets(portraits: Iterable[Article], attribute: str, slugify: Callable[[str], str],
           url: Callable[[str], str], order: Sequence[str] = ()) -> list[Facet]:
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


class PortraitNeighbours:
    """Related portraits of every portrait, without sorting all of them for each one.

    The order is: same sector and same region, same sector, same region, then
    the others; newest first in each group (equal dates keep the list's order).
    Built once, each answer reads only the first few entries of date-sorted groups.
    """

    def __init__(self, portraits: Iterable[Article]) -> None:
        self._newest_first = sorted(portraits, key=lambda p: p.date, reverse=True)
        self._groups: dict[tuple[str | None, ...], list[Article]] = {}
        for portrait in self._newest_first:
            sector, region = getattr(portrait, "sector", None), getattr(portrait, "region", None)
            for key in (("both", sector, region), ("sector", sector), ("region", region)):
                self._groups.setdefault(key, []).append(portrait)

    def related(self, target: Article, limit: int, exclude: Iterable[Article] = ()) -> list[Article]:
        sector, region = getattr(target, "sector", None), getattr(target, "region", None)
        skipped = {id(p) for p in exclude} | {id(target)}

        def same_sector(p: Article) -> bool:
            return bool(sector) and getattr(p, "sector", None) == sector

        def same_region(p: Article) -> bool:
            return bool(region) and getattr(p, "region", None) == region

        groups = [
            (self._groups.get(("both", sector, region), []) if sector and region else [], lambda p: True),
            (self._groups.get(("sector", sector), []) if sector else [], lambda p: not same_region(p)),
            (self._groups.get(("region", region), []) if region else [], lambda p: not same_sector(p)),
            (self._newest_first, lambda p: not same_sector(p) and not same_region(p)),
        ]
        found: list[Article] = []
        for members, belongs in groups:
            for portrait in members:
                if len(found) == limit:
                    return found
                if id(portrait) not in skipped and belongs(portrait):
                    found.append(portrait)
        return found


def related_portraits(target: Article, portraits: Iterable[Article], limit: int,
                      exclude: Iterable[Article] = ()) -> list[Article]:
    """Other portraits: same sector first, then same region, newer first; `exclude` left out."""
    return PortraitNeighbours(portraits).related(target, limit, exclude)


def display_name(portrait: Article) -> str:
    """The name a card shows: the person, else the enterprise, else the title."""
    return getattr(portrait, "person", None) or getattr(portrait, "enterprise", None) or portrait.title
