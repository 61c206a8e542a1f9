"""Pure functions: what is published, what the home page and the menu show."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime

_TAGS = re.compile(r"<[^>]+>")
_WORDS = re.compile(r"\w+(?:['’-]\w+)*")


def split_scheduled(articles, now: datetime):
    """(published, scheduled): articles dated after `now` wait for a later build."""
    published = [a for a in articles if a.date <= now]
    scheduled = [a for a in articles if a.date > now]
    return published, scheduled


def reading_minutes(html: str, words_per_minute: int) -> int:
    """Reading time in whole minutes (at least one) of an HTML body."""
    words = len(_WORDS.findall(_TAGS.sub(" ", html or "")))
    return max(1, math.ceil(words / words_per_minute))


def featured(articles, limit: int):
    """Newest articles flagged `Featured: oui`, for "À la une"."""
    return [a for a in articles if getattr(a, "featured", False)][:limit]


def latest_by_rubric(categories, rubrics, limit: int, exclude=()):
    """[(category, newest articles)] in the rubrics' configured order, skipping empty ones."""
    order = {name: index for index, name in enumerate(rubrics)}
    excluded = {id(a) for a in exclude}
    rows = []
    for category, articles in sorted(categories, key=lambda c: order.get(c[0].name, len(order))):
        shown = [a for a in articles if id(a) not in excluded][:limit]
        if shown:
            rows.append((category, shown))
    return rows


@dataclass(frozen=True)
class NavItem:
    """One entry of the main menu; `key` matches a page's `nav_key` for aria-current."""

    label: str
    url: str
    key: str
    order: int = 50


def navigation(categories, rubrics, extra=()) -> list[NavItem]:
    """The menu: rubrics that have articles, then sections other plugins contribute.

    An extra item with a rubric's key (`rubrique:<slug>`) replaces that rubric's
    entry: the dossiers index stands for the "Dossiers" rubric, for instance.
    """
    order = {name: index for index, name in enumerate(rubrics)}
    replaced = {item.key for item in extra}
    items = [
        NavItem(category.name, category.url, f"rubrique:{category.slug}", order.get(category.name, 40))
        for category, articles in categories
        if articles and f"rubrique:{category.slug}" not in replaced
    ]
    return sorted([*items, *extra], key=lambda item: (item.order, item.label))
