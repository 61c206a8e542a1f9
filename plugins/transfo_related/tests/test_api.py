"""transfo_related.api: reading an article's related reading, and leaving some of it out."""

from types import SimpleNamespace as NS

from transfo_related.api import attach, leave_out, related_articles


def test_an_article_without_related_reading_reads_as_empty():
    assert related_articles(NS(title="a")) == []


def test_leave_out_keeps_the_order_of_the_others_and_only_touches_that_article():
    a, b, c, d, other = (NS(title=t) for t in "abcde")
    attach(a, [b, c, d])
    attach(other, [b, c])
    leave_out(a, [c, NS(title="c")])  # the same article, not an equal one
    assert related_articles(a) == [b, d]
    assert related_articles(other) == [b, c]
    assert a.related == [b, d]  # what templates read


def test_the_list_read_is_a_copy():
    a, b = NS(title="a"), NS(title="b")
    attach(a, [b])
    related_articles(a).clear()
    assert related_articles(a) == [b]
