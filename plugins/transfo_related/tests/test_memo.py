"""Related reading kept by the hash of its inputs: read back while they stay, ranked again after."""

from datetime import datetime

from transfo_common.files import ContentStore
from transfo_related import logic, memo
from transfo_related.logic import Item


def items(tags_of_b=("emploi",)):
    return [
        Item("/a/", datetime(2019, 1, 1), "Analyses", frozenset({"emploi", "formation"})),
        Item("/b/", datetime(2019, 2, 1), "Analyses", frozenset(tags_of_b)),
        Item("/c/", datetime(2019, 3, 1), "Portraits", frozenset({"formation"})),
        Item("/d/", datetime(2019, 4, 1), "Portraits", frozenset()),
    ]


def test_the_kept_ranking_is_the_computed_one_and_is_read_back(tmp_path):
    store = ContentStore(tmp_path)
    first = memo.related_all(items(), 2, store)
    assert first == logic.related_all(items(), 2)
    key = memo.ranking_key(items(), 2)
    assert store.has(key)
    # What is read back is the kept ranking (replaced here by one that tells it apart).
    store.put(key, b'{"/a/": ["/d/"], "/b/": [], "/c/": [], "/d/": []}')
    assert memo.related_all(items(), 2, store)["/a/"] == ["/d/"]


def test_any_change_in_what_the_ranking_reads_ranks_again(tmp_path):
    store = ContentStore(tmp_path)
    memo.related_all(items(), 2, store)
    assert memo.ranking_key(items(("formation",)), 2) != memo.ranking_key(items(), 2)  # a tag
    assert memo.ranking_key(items(), 3) != memo.ranking_key(items(), 2)  # the limit
    moved = [*items()[:3], Item("/d/", datetime(2019, 4, 2), "Portraits")]
    assert memo.ranking_key(moved, 2) != memo.ranking_key(items(), 2)  # a date
    retagged = memo.related_all(items(("formation",)), 2, store)
    assert retagged == logic.related_all(items(("formation",)), 2)


def test_a_damaged_or_foreign_entry_is_ranked_again_and_replaced(tmp_path):
    store = ContentStore(tmp_path)
    key = memo.ranking_key(items(), 2)
    for damaged in (b"{not json", b'{"/a/": []}', b"[]"):
        store.put(key, damaged)
        assert memo.related_all(items(), 2, store) == logic.related_all(items(), 2)
    assert memo.related_all(items(), 2, None) == logic.related_all(items(), 2)  # no store
