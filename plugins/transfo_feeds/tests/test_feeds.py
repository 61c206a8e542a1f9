from datetime import datetime, timezone

import feedparser
from transfo_feeds.feeds import FeedEntry, FeedMeta, enclosure_for, render_atom, render_rss


def meta(entries):
    return FeedMeta(title="Transfo", subtitle="Sous-titre", site_url="https://x.be/",
                    atom_url="https://x.be/feeds/tous.atom.xml", rss_url="https://x.be/feeds/tous.rss.xml",
                    language="fr-BE", entries=tuple(entries))


def entry(day, **kw):
    when = datetime(2019, 11, day, tzinfo=timezone.utc)
    return FeedEntry(url=f"https://x.be/{day}/", title=f"Article {day}", summary_html="<p>Chapô</p>",
                     published=when, updated=when, **kw)


def test_entries_newest_first_in_both_formats():
    for render in (render_atom, render_rss):
        feed = feedparser.parse(render(meta([entry(1), entry(3), entry(2)])))
        assert not feed.bozo
        assert [e.title for e in feed.entries] == ["Article 3", "Article 2", "Article 1"]


def test_enclosure_is_an_enclosure_not_the_link():
    image = enclosure_for("https://x.be/images/a.jpg", 1234)
    for render in (render_atom, render_rss):
        parsed = feedparser.parse(render(meta([entry(1, enclosure=image, authors=("Ana",))])))
        item = parsed.entries[0]
        assert item.link == "https://x.be/1/"
        assert item.enclosures[0].href == "https://x.be/images/a.jpg"
        assert item.enclosures[0].type == "image/jpeg"


def test_authors_are_named_in_both_formats():
    """RSS's <author> needs an e-mail address: the names go in dc:creator, which readers show."""
    for render in (render_atom, render_rss):
        parsed = feedparser.parse(render(meta([entry(1, authors=("Claire Delvaux", "Marc Lenoir"))])))
        assert not parsed.bozo
        assert [author.name for author in parsed.entries[0].authors] == ["Claire Delvaux", "Marc Lenoir"]


def test_self_links_point_to_each_format():
    atom = feedparser.parse(render_atom(meta([entry(1)])))
    rss = feedparser.parse(render_rss(meta([entry(1)])))
    assert any(l.rel == "self" and l.href.endswith(".atom.xml") for l in atom.feed.links)
    assert any(l.rel == "self" and l.href.endswith(".rss.xml") for l in rss.feed.links)


def test_an_empty_feed_is_dated_by_the_build_not_the_clock():
    built = datetime(2019, 11, 30, 23, 59, tzinfo=timezone.utc)
    empty = FeedMeta(title="Offres", subtitle="", site_url="https://x.be/", atom_url="https://x.be/o.xml",
                     rss_url="https://x.be/o.xml", language="fr-BE", updated=built)
    parsed = feedparser.parse(render_atom(empty))
    assert parsed.feed.updated == "2019-11-30T23:59:00+00:00"
    assert render_atom(empty) == render_atom(empty)
