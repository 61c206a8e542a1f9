"""Related reading as a pure, deterministic function of plain data.

Ranking, highest first: same dossier, then shared tags weighted by rarity
(inverse document frequency: a tag few articles carry says more), then same
rubric, then the newer article; the key breaks any remaining tie.

`related_all` builds a `RelatedIndex` once and asks it for every article, so
the work grows with the number of articles rather than with its square: an
article only looks at the articles of its dossier, at the few best articles
sharing each combination of its tags, and, when that is not enough, at the
newest articles of its rubric. Its results are those of `ranked_brute`, the
plain "score everything" definition (the unit tests check both agree).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import combinations

# An article with more tags than this is not put in the tag-combination index
# (2**n combinations each) but compared directly with every article; a target
# with more tags than this is ranked the plain way. Real articles carry 2-6 tags.
SUBSET_TAGS_MAX = 8


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


def shared_weight(tags: Iterable[str], weights: Mapping[str, float]) -> float:
    """Weight of the shared tags, exactly rounded (fsum), so independent of set order."""
    return round(math.fsum(weights.get(tag, 0.0) for tag in tags), 9)


def score(target: Item, other: Item, weights: Mapping[str, float]) -> tuple:
    same_dossier = target.dossier is not None and other.dossier == target.dossier
    shared = shared_weight(target.tags & other.tags, weights)
    return (same_dossier, shared, other.rubric == target.rubric, other.date)


def ranked_brute(target: Item, items: Iterable[Item], weights: Mapping[str, float], limit: int = 3,
                 ) -> list[Hashable]:
    """The definition: score every item, keep the related ones, best first (O(N) per target)."""
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


def _usable_weight(weight: float) -> bool:
    # A shared tag must make the shared weight non-zero after rounding; any other
    # weight (zero, negative, tiny, not finite) is ranked the plain way.
    return math.isfinite(weight) and weight > 1e-9


class RelatedIndex:
    """Articles indexed once by dossier, rubric and tag combination.

    Articles are numbered by rank: newest first, then by key as text, the
    ranking's last two criteria. Every list of the index holds ranks in
    increasing order, so its first eligible entries are the best ones.
    """

    def __init__(self, items: Iterable[Item], weights: Mapping[str, float]):
        order = sorted(items, key=lambda item: str(item.key))
        order.sort(key=lambda item: item.date, reverse=True)
        self.order: Sequence[Item] = tuple(order)
        self.weights = weights
        self.by_dossier: dict[str, list[int]] = {}
        self.by_rubric: dict[str, list[int]] = {}
        # frozenset of tags -> rubric -> ranks of the articles carrying all those tags
        self.by_subset: dict[frozenset, dict[str, list[int]]] = {}
        self.wide: list[int] = []  # articles with more than SUBSET_TAGS_MAX tags
        for rank, item in enumerate(self.order):
            if item.dossier is not None:
                self.by_dossier.setdefault(item.dossier, []).append(rank)
            self.by_rubric.setdefault(item.rubric, []).append(rank)
            if len(item.tags) > SUBSET_TAGS_MAX:
                self.wide.append(rank)
                continue
            tags = sorted(item.tags)
            for size in range(1, len(tags) + 1):
                for combo in combinations(tags, size):
                    self.by_subset.setdefault(frozenset(combo), {}).setdefault(item.rubric, []).append(rank)

    def related(self, target: Item, limit: int = 3) -> list[Hashable]:
        """Keys of the `limit` items most related to `target`, as `ranked_brute` gives them."""
        tags = target.tags
        if (limit <= 0 or len(tags) > SUBSET_TAGS_MAX
                or not all(_usable_weight(self.weights.get(tag, 0.0)) for tag in tags)):
            return ranked_brute(target, self.order, self.weights, limit)
        order = self.order

        def eligible(item: Item) -> bool:  # not itself, not already in the dossier tier
            return item.key != target.key and (target.dossier is None or item.dossier != target.dossier)

        # 1. Same dossier: few articles, ranked the plain way.
        chosen = []
        if target.dossier is not None:
            members = [order[rank] for rank in self.by_dossier.get(target.dossier, ())]
            chosen = ranked_brute(target, members, self.weights, limit)
            if len(chosen) >= limit:
                return chosen
        need = limit - len(chosen)

        # 2. Shared tags. Every article sharing tags has exactly one combination S of the
        # target's tags in common, hence the shared weight of S; visit the combinations from
        # the heaviest down and stop once `need` articles beat everything lighter.
        by_value: dict[float, list] = {}
        for size in range(1, len(tags) + 1):
            for combo in combinations(sorted(tags), size):
                subset = frozenset(combo)
                by_rubric = self.by_subset.get(subset)
                if by_rubric is not None:
                    value = shared_weight(combo, self.weights)
                    by_value.setdefault(value, []).append((tags - subset, by_rubric))
        wide: dict[float, list] = {}
        for rank in self.wide:
            item = order[rank]
            common = item.tags & tags
            if common and eligible(item):
                value = shared_weight(common, self.weights)
                wide.setdefault(value, []).append((item.rubric != target.rubric, rank))
        second: list[Hashable] = []
        for value in sorted(by_value.keys() | wide.keys(), reverse=True):
            group = list(wide.get(value, ()))
            for others, by_rubric in by_value.get(value, ()):
                for rubric, ranks in by_rubric.items():
                    taken = 0
                    for rank in ranks:  # the best `need` carrying exactly this combination
                        item = order[rank]
                        if eligible(item) and item.tags.isdisjoint(others):
                            group.append((rubric != target.rubric, rank))
                            taken += 1
                            if taken == need:
                                break
            group.sort()  # same rubric first, then by rank
            second.extend(order[rank].key for _other_rubric, rank in group)
            if len(second) >= need:
                return chosen + second[:need]

        # 3. Same rubric, nothing else in common: the newest ones.
        third: list[Hashable] = []
        for rank in self.by_rubric.get(target.rubric, ()):
            if len(second) + len(third) >= need:
                break
            item = order[rank]
            if eligible(item) and item.tags.isdisjoint(tags):
                third.append(item.key)
        return chosen + second + third


def related(target: Item, items: Iterable[Item], weights: Mapping[str, float], limit: int = 3) -> list:
    """Keys of the `limit` items most related to `target` (which is never among them).

    An item sharing neither dossier, tag nor rubric is never proposed.
    """
    return RelatedIndex(items, weights).related(target, limit)


def related_all(items: Iterable[Item], limit: int = 3) -> dict:
    """{key: [related keys]} for every item."""
    items = list(items)
    index = RelatedIndex(items, tag_weights(items))
    return {item.key: index.related(item, limit) for item in items}
