"""Feeds parsed back with feedparser, a real feed parser."""

from __future__ import annotations

import re

import feedparser
from bs4 import BeautifulSoup

from tests.support import build, copy_content


def parse(path):
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def test_site_feeds_hold_every_published_article(fixture_site):
    for name in ("tous.atom.xml", "tous.rss.xml"):
        feed = parse(fixture_site / "feeds" / name)
        titles = [entry.title for entry in feed.entries]
        assert titles == [
            "La coopérative Alpha ouvre un deuxième magasin",
            "Mesurer l'impact social, un débat ouvert",
            "Portrait de la boulangerie Gamma",
        ]
        assert feed.feed.language == "fr-BE"


def test_atom_entries_carry_summary_author_categories_and_image(fixture_site):
    feed = parse(fixture_site / "feeds" / "tous.atom.xml")
    entry = feed.entries[0]
    assert entry.link == "http://127.0.0.1:8000/2019/11/la-cooperative-alpha-ouvre-un-deuxieme-magasin/"
    assert "deux ans" in entry.summary
    assert [a.name for a in entry.authors] == ["Claire Delvaux", "Marc Lenoir"]
    assert {t.term for t in entry.tags} == {"Actualités", "coopérative", "Bruxelles"}
    enclosure = next(link for link in entry.links if link.rel == "enclosure")
    # A stripped, re-encoded copy is offered, never the original file.
    assert re.fullmatch(r"http://127\.0\.0\.1:8000/media/alpha\.[0-9a-f]{10}\.\d+\.jpg", enclosure.href)
    assert enclosure.type == "image/jpeg"
    published = fixture_site / enclosure.href.removeprefix("http://127.0.0.1:8000/")
    assert int(enclosure.length) == published.stat().st_size


def test_one_feed_per_rubric(fixture_site):
    feed = parse(fixture_site / "feeds" / "rubrique-analyses.atom.xml")
    assert [e.title for e in feed.entries] == ["Mesurer l'impact social, un débat ouvert"]


def test_feeds_are_announced_in_every_page(fixture_site):
    for path in [fixture_site / "index.html", fixture_site / "a-propos" / "index.html"]:
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        types = {link["type"] for link in page.select('link[rel="alternate"]')}
        assert types == {"application/atom+xml", "application/rss+xml"}
    rubric = BeautifulSoup((fixture_site / "rubrique/analyses/index.html").read_text(), "html.parser")
    hrefs = [link["href"] for link in rubric.select('link[rel="alternate"]')]
    assert "http://127.0.0.1:8000/feeds/rubrique-analyses.atom.xml" in hrefs


def test_an_update_dated_after_the_build_date_never_reaches_the_feeds(tmp_path):
    """`Modified: 2019-12-25` built on 30 November would date the entry, and the whole feed, of a
    day to come: the build refuses it in one line; built on the 25th, the feed says the 25th."""
    content = copy_content(tmp_path / "content")
    article = content / "articles" / "analyse-beta.md"
    article.write_text(article.read_text(encoding="utf-8").replace("Modified: 2019-10-03 10:00",
                                                                   "Modified: 2019-12-25"), encoding="utf-8")
    refused = build(tmp_path / "out", content=content, check=False)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    lines = [line for line in refused.stderr.splitlines() if "analyse-beta.md" in line]
    assert len(lines) == 1 and lines[0].endswith(
        "analyse-beta.md:3: Modified: « 2019-12-25 » : mise à jour datée après la date de construction "
        "(30 novembre 2019) ; attendu : la date d'une mise à jour déjà faite, au plus tard le 30 novembre 2019")
    assert "Traceback" not in refused.stderr
    assert not (tmp_path / "out" / "feeds").exists()
    build(tmp_path / "out", content=content, now="2019-12-25")
    feed = parse(tmp_path / "out" / "feeds" / "tous.atom.xml")
    entry = next(e for e in feed.entries if e.title == "Mesurer l'impact social, un débat ouvert")
    assert entry.updated.startswith("2019-12-25T00:00:00+01:00")
    assert feed.feed.updated == entry.updated
