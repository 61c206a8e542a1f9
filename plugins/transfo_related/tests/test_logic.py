from datetime import datetime
from zoneinfo import ZoneInfo

from transfo_related.logic import Item, related, related_all, tag_weights

TZ = ZoneInfo("Europe/Brussels")


def item(key, month, rubric="Analyses", tags=(), dossier=None):
    return Item(key, datetime(2019, month, 1, 9, tzinfo=TZ), rubric, frozenset(tags), dossier)


def test_rare_tags_weigh_more_than_common_ones():
    items = [item("a", 1, tags={"rare", "commun"}), item("b", 2, tags={"rare", "commun"}),
             item("c", 3, tags={"commun"}), item("d", 4, tags={"commun"})]
    weights = tag_weights(items)
    assert weights["rare"] > weights["commun"] > 0


def test_order_is_dossier_then_tags_then_rubric_then_newest():
    target = item("t", 6, rubric="Dossiers", tags={"rare", "commun"}, dossier="d")
    items = [
        target,
        item("same-dossier", 1, rubric="Dossiers", dossier="d"),
        item("rare-tag", 2, rubric="Actualités", tags={"rare"}),
        item("common-tag", 9, rubric="Actualités", tags={"commun"}),
        item("c2", 3, tags={"commun"}), item("c3", 4, tags={"commun"}),
        item("same-rubric", 12, rubric="Dossiers"),
        item("unrelated", 11, rubric="Portraits", tags={"autre"}),
    ]
    weights = tag_weights(items)
    assert related(target, items, weights, limit=7) == [
        "same-dossier", "rare-tag", "common-tag", "c3", "c2", "same-rubric",
    ]


def test_ties_go_to_the_newer_article_then_to_the_key():
    target = item("t", 6)
    items = [target, item("old", 1), item("new", 8), item("b-same-day", 5), item("a-same-day", 5)]
    assert related(target, items, tag_weights(items), limit=3) == ["new", "a-same-day", "b-same-day"]


def test_at_most_limit_never_itself_and_nothing_unrelated():
    items = [item("a", 1, rubric="X"), item("b", 2, rubric="Y"), item("c", 3, rubric="X"),
             item("d", 4, rubric="X"), item("e", 5, rubric="X"), item("f", 6, rubric="X")]
    ranking = related_all(items, limit=3)
    assert ranking["a"] == ["f", "e", "d"]
    assert ranking["b"] == []
    assert all(key not in ranking[key] for key in ranking)


def test_same_input_same_output_whatever_the_input_order():
    items = [item(k, m, tags={"t"} if m % 2 else ()) for k, m in zip("abcdefg", range(1, 8), strict=True)]
    assert related_all(items) == related_all(list(reversed(items)))
