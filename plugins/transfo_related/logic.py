"""Related reading as a pure, deterministic function of plain data.

Ranking, highest first: same dossier, then shared tags weighted by rarity
(inverse document frequency: a tag few articles carry says more), then same
rubric, then the newer article; the key breaks any remaining tie.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Item:
    """What the ranking needs to know of an article."""

    key: Hashable  # unique and sortable as text (the article's URL)
    date: datetime
    rubric: str
    tags: frozenset[str] = field(default_factory=frozenset)
    dossier: str | None = None


def tag_weights(items: Iterable[Item]) -> dict[str, float]:
    """log(1 + N / df): every tag weighs more than zero, rare tags weigh most."""
    items = list(items)
    counts = Counter(tag for item in items for tag in item.tags)
    return {tag: math.log(1 + len(items) / count) for tag, count in counts.items()}


def score(target: Item, other: Item, weights: Mapping[str, float]) -> tuple:
    same_dossier = target.dossier is not None and other.dossier == target.dossier
    shared = sum(weights.get(tag, 0.0) for tag in target.tags & other.tags)
    return (same_dossier, round(shared, 9), other.rubric == target.rubric, other.date)


def related(target: Item, items: Iterable[Item], weights: Mapping[str, float], limit: int = 3) -> list:
    """Keys of the `limit` items most related to `target` (which is never among them).

    An item sharing neither dossier, tag nor rubric is never proposed.
    """
    ranked = []
    for other in items:
        if other.key == target.key:
            continue
        same_dossier, shared, same_rubric, _ = value = score(target, other, weights)
        if same_dossier or shared or same_rubric:
            ranked.append((value, other.key))
    ranked.sort(key=lambda row: str(row[1]))  # stable tie-break on the key...
    ranked.sort(key=lambda row: row[0], reverse=True)  # ...under the ranking
    return [key for _value, key in ranked[:limit]]


def related_all(items: Iterable[Item], limit: int = 3) -> dict:
    """{key: [related keys]} for every item."""
    items = list(items)
    weights = tag_weights(items)
    return {item.key: related(item, items, weights, limit) for item in items}
