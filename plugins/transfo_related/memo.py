"""Related reading kept under the hash of everything it is computed from.

`related_all` ranks 2,000 articles in ~0.35 s, on every build, though an edit
of an article's text changes none of what it reads (URLs, dates, rubrics, tags,
dossiers). Its result is kept in a content-addressed store, under the sha256 of
those values, the limit and the ranking code itself: the same inputs read the
same lists back, and any change in them, or in `logic.py`, ranks again.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from pathlib import Path

from transfo_common.files import ContentStore, content_key

from . import logic
from .logic import Item

KEPT_UNUSED_S = 7 * 86400  # rankings no build read for a week leave the store


@functools.cache
def _code() -> bytes:
    """The ranking code: a change in it ranks again."""
    return Path(logic.__file__).read_bytes()


def ranking_key(items: Sequence[Item], limit: int) -> str:
    described = [[str(item.key), item.date.isoformat(), item.rubric, sorted(item.tags), item.dossier]
                 for item in items]
    return content_key("transfo_related", _code(), str(limit), json.dumps(described, ensure_ascii=False))


def related_all(items: Sequence[Item], limit: int, store: ContentStore | None) -> dict[str, list[str]]:
    """`logic.related_all` for items keyed by text (URLs), read from `store` when it holds the
    ranking of exactly these items, else computed and kept there."""
    if store is None:
        return logic.related_all(items, limit)
    key = ranking_key(items, limit)
    kept = store.get(key)
    if kept is not None:
        try:
            ranking = json.loads(kept)
            if isinstance(ranking, dict) and ranking.keys() == {str(item.key) for item in items}:
                return ranking
        except ValueError:
            pass  # a damaged entry: ranked again, and replaced
    ranking = logic.related_all(items, limit)
    store.put(key, json.dumps(ranking, ensure_ascii=False).encode())
    store.prune(KEPT_UNUSED_S)
    return ranking
