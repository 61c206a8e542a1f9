"""transfo_feeds.api: the feeds other plugins publish, through its functions."""

from datetime import datetime, timezone
from types import SimpleNamespace as NS

import feedparser
from transfo_feeds.api import FeedEntry, FeedMeta, article_entry, feed_address, feed_settings, write_atom

SETTINGS = {"SITENAME": "Transfo", "PUBLIC_URL": "https://x.be", "TRANSFO_FEED_FOLDER": "/flux/"}


def test_an_address_in_the_feeds_folder():
    address = feed_address(SETTINGS, "offres.atom.xml")
    assert (address.url, address.path) == ("https://x.be/flux/offres.atom.xml", "flux/offres.atom.xml")
    assert feed_settings(SETTINGS).folder == "flux"


def test_an_article_entry_without_the_image_plugin_has_no_enclosure():
    when = datetime(2019, 11, 5, tzinfo=timezone.utc)
    article = NS(url="2019/11/a/", title="A", summary="<p>Chapô</p>", date=when, source_path="a.md",
                 image="images/a.jpg", category=NS(name="Analyses"), tags=[NS(name="emploi")])
    entry = article_entry(article, "https://x.be", {})
    assert (entry.url, entry.updated, entry.enclosure) == ("https://x.be/2019/11/a/", when, None)
    assert entry.categories == ("Analyses", "emploi")


def test_write_atom_writes_a_parsable_feed_once(tmp_path):
    address = feed_address(SETTINGS, "dossier-x.atom.xml")
    when = datetime(2019, 11, 5, tzinfo=timezone.utc)
    meta = FeedMeta(title="T", subtitle="S", site_url="https://x.be/", atom_url=address.url, rss_url="",
                    language="fr-BE", entries=(FeedEntry("https://x.be/a/", "A", "<p>a</p>", when, when),))
    write_atom(tmp_path, address, meta)
    written = tmp_path / "flux" / "dossier-x.atom.xml"
    parsed = feedparser.parse(written.read_bytes())
    assert not parsed.bozo and [e.link for e in parsed.entries] == ["https://x.be/a/"]
    before = written.stat().st_mtime_ns
    write_atom(tmp_path, address, meta)
    assert written.stat().st_mtime_ns == before  # same bytes: not written again
