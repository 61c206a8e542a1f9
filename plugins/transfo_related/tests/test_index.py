"""The indexed ranking against the plain definition, on seeded random corpora."""

import functools
import math
import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from transfo_related.logic import SUBSET_TAGS_MAX, Item, related, related_all, tag_weights

TZ = ZoneInfo("Europe/Brussels")


def reference(target, items, limit):
    """The specification, written out: score every other item, sort, keep `limit`.

    Same dossier, then shared tags weighted by log(1 + N / df) (rounded to 9
    decimals), then same rubric, then newer, then key as text; an item sharing
    nothing is never proposed.
    """
    counts = {}
    for item in items:
        for tag in item.tags:
            counts[tag] = counts.get(tag, 0) + 1
    weight = {tag: math.log(1 + len(items) / n) for tag, n in counts.items()}
    rows = []
    for other in items:
        if other.key == target.key:
            continue
        dossier = target.dossier is not None and other.dossier == target.dossier
        shared = round(math.fsum(weight[tag] for tag in target.tags & other.tags), 9)
        rubric = other.rubric == target.rubric
        if dossier or shared > 0 or rubric:
            rows.append(((not dossier, -shared, not rubric), other.date, str(other.key)))
    # Ascending on the negated criteria, newest first, then key as text.
    rows.sort(key=lambda row: row[2])
    rows.sort(key=lambda row: row[1], reverse=True)
    rows.sort(key=lambda row: row[0])
    return [key for _criteria, _date, key in rows[:limit]]


def corpus(seed, n, sparse=False):
    """`sparse`: few, rare tags, so that rankings often fall through to the rubric."""
    rng = random.Random(seed)
    common = [f"theme-{i}" for i in range(12)]  # carried by many: equal counts, equal weights
    rare = [f"lieu-{i}" for i in range(40)]
    rubrics = ["Actualités", "Analyses", "Portraits", "Dossiers", "Agenda"]
    dossiers = [f"dossier-{i}" for i in range(15)]
    start = datetime(2015, 1, 1, 9, tzinfo=TZ)
    items = []
    for index in range(n):
        draw = rng.random()
        if draw < 0.05:
            tags = set()
        elif sparse:
            tags = set(rng.sample(rare, rng.randint(0, 2)))
        elif draw < 0.08:  # more tags than the combination index takes
            tags = set(rng.sample(common + rare, rng.randint(SUBSET_TAGS_MAX + 1, SUBSET_TAGS_MAX + 4)))
        else:
            tags = set(rng.sample(common, rng.randint(1, 4)))
            tags |= set(rng.sample(rare, rng.choice((0, 0, 1, 2))))
        items.append(Item(
            key=f"/{rng.randint(2015, 2019)}/article-{index:04d}/",
            date=start + timedelta(days=rng.randint(0, 60)),  # many articles on the same day
            rubric=rng.choices(rubrics, (45, 25, 15, 12, 3))[0],
            tags=frozenset(tags),
            dossier=rng.choice(dossiers) if rng.random() < 0.2 else None,
        ))
    return items


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("seed", [1, 2, 2019])
@pytest.mark.parametrize("limit", [1, 3, 7])
def test_indexed_ranking_equals_the_reference_for_every_article(seed, limit, sparse):
    items, every = reference_rankings(seed, sparse)
    ranking = related_all(items, limit)
    for target in items:
        assert ranking[target.key] == every[target.key][:limit], target


@functools.cache
def reference_rankings(seed, sparse):
    """A corpus of 300, and the reference's whole ranking for each of its items (`reference`
    keeps the first `limit` of it): made once for the three limits."""
    items = corpus(seed, 300, sparse)
    return items, {target.key: reference(target, items, len(items)) for target in items}


def test_single_target_and_sparse_rubrics_fall_back_to_the_newest_of_the_rubric():
    items = corpus(7, 250)
    loner = Item("/solo/", datetime(2016, 1, 1, tzinfo=TZ), "Agenda", frozenset({"lieu-1"}))
    items.append(loner)
    weights = tag_weights(items)
    for target in (loner, *items[:40]):
        assert related(target, items, weights, limit=5) == reference(target, items, 5)


def test_zero_and_negative_weights_rank_as_defined():
    items = corpus(11, 120)
    weights = dict(tag_weights(items), **{"theme-0": 0.0, "theme-1": -1.0})
    for target in items[:60]:
        rows = []
        for other in items:
            if other.key == target.key:
                continue
            dossier = target.dossier is not None and other.dossier == target.dossier
            shared = round(math.fsum(weights[t] for t in target.tags & other.tags), 9)
            rubric = other.rubric == target.rubric
            if dossier or shared or rubric:
                rows.append(((dossier, shared, rubric, other.date), other.key))
        rows.sort(key=lambda row: str(row[1]))
        rows.sort(key=lambda row: row[0], reverse=True)
        expected = [key for _value, key in rows[:3]]
        assert related(target, items, weights, 3) == expected
