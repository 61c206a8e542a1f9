"""Build tests on the small fixture site: pages, drafts, scheduled articles, sitemap."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import feedparser
import pytest

from tests.support import all_text, build, copy_content, html_files, soup

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
PUBLIC_URL = "http://127.0.0.1:8000"



def test_every_page_type_is_written(fixture_site):
    expected = [
        "index.html",
        "2019/11/la-cooperative-alpha-ouvre-un-deuxieme-magasin/index.html",
        "rubrique/actualites/index.html",
        "sujet/bruxelles/index.html",
        "auteur/claire-delvaux/index.html",
        "archives/index.html",
        "archives/2019/index.html",
        "sujets/index.html",
        "a-propos/index.html",
        "404.html",
        "robots.txt",
        "sitemap.xml",
    ]
    missing = [name for name in expected if not (fixture_site / name).is_file()]
    assert not missing


def test_drafts_leave_no_trace(fixture_site):
    text = all_text(fixture_site)
    assert "fixturedraftword" not in text
    assert "Brouillon : article secret" not in text
    assert "tagbrouillon" not in text
    assert "Auteur Brouillon" not in text
    assert not (fixture_site / "drafts").exists()
    # The draft is the only article of "Dossiers": no page, no menu entry for it.
    assert not (fixture_site / "rubrique" / "dossiers").exists()
    assert "/rubrique/dossiers/" not in text


@pytest.mark.slow
def test_scheduled_article_waits_for_its_date(fixture_site, tmp_path):
    assert "fixturefutureword" not in all_text(fixture_site)
    assert not (fixture_site / "sujet" / "tagfutur").exists()
    later = tmp_path / "later"
    build(later, now="2019-12-20")
    assert (later / "2019/12/article-du-futur/index.html").is_file()
    assert (later / "sujet" / "tagfutur" / "index.html").is_file()


def test_dates_are_french_whatever_the_system_locale(fixture_site):
    page = soup(fixture_site / "2019/11/la-cooperative-alpha-ouvre-un-deuxieme-magasin/index.html")
    assert page.html["lang"] == "fr-BE"
    time = page.select_one(".article__meta time")
    assert time.get_text() == "14 novembre 2019"
    assert time["datetime"] == "2019-11-14T09:30:00+01:00"


def test_article_page_shows_the_content_model(fixture_site):
    page = soup(fixture_site / "2019/11/la-cooperative-alpha-ouvre-un-deuxieme-magasin/index.html")
    assert page.select_one("h1").get_text() == "La coopérative Alpha ouvre un deuxième magasin"
    assert page.select_one(".article__rubric a")["href"] == "/rubrique/actualites/"
    assert [a.get_text() for a in page.select(".article__meta a")] == ["Claire Delvaux", "Marc Lenoir"]
    assert "min de lecture" in page.select_one(".article__meta").get_text()
    img = page.select_one(".lead-image img")
    assert img["alt"] == "Façade d'un magasin coopératif"
    assert page.select_one(".lead-image .credit").get_text() == "Photo\u00a0: Transfo"
    share = [a["href"] for a in page.select(".share a")]
    assert [href.split("?")[0] for href in share] == [
        "https://wa.me/", "https://www.facebook.com/sharer/sharer.php",
        "https://www.linkedin.com/sharing/share-offsite/", "mailto:"]
    encoded = "http%3A//127.0.0.1%3A8000/2019/11/la-cooperative-alpha-ouvre-un-deuxieme-magasin/"
    assert all(encoded in href for href in share), share
    assert page.select_one('link[rel="canonical"]')["href"] == (
        PUBLIC_URL + "/2019/11/la-cooperative-alpha-ouvre-un-deuxieme-magasin/"
    )


def test_french_typography_in_bodies(fixture_site):
    body = soup(fixture_site / "2019/11/la-cooperative-alpha-ouvre-un-deuxieme-magasin/index.html")
    text = body.select_one(".article__body").get_text()
    assert "«\u202fAlpha\u202f»" in text
    assert "aujourd’hui" in text
    assert "grandir\u202f?" in text


def test_menu_names_existing_sections_and_marks_the_current_one(fixture_site):
    page = soup(fixture_site / "rubrique/analyses/index.html")
    links = page.select(".menu__panel a")
    assert [a.get_text() for a in links] == ["Actualités", "Analyses", "Portraits", "Recherche"]
    # wide screens show the sections in the bar; search has its own button there
    assert [a.get_text() for a in page.select(".site-nav a")] == ["Actualités", "Analyses", "Portraits"]
    assert page.select_one(".header-button--search")["href"] == "/recherche/"
    for menu in (".menu__panel", ".site-nav"):
        current = page.select(f'{menu} a[aria-current="page"]')
        assert [a.get_text() for a in current] == ["Analyses"]
    for a in links:
        assert (fixture_site / a["href"].strip("/") / "index.html").is_file()


def test_home_shows_featured_and_rubrics(fixture_site):
    page = soup(fixture_site / "index.html")
    assert "La coopérative Alpha" in page.select_one(".featured__title").get_text()
    rubrics = [h.select_one("a").get_text() for h in page.select(".rubric-block h2")]
    assert rubrics == ["Analyses", "Portraits"]  # Actualités' only article is featured


def test_sitemap_lists_exactly_the_public_pages(fixture_site):
    tree = ET.parse(fixture_site / "sitemap.xml")
    locs = {el.text for el in tree.getroot().findall("s:url/s:loc", SITEMAP_NS)}
    pages = set()
    for path in html_files(fixture_site):
        relative = path.relative_to(fixture_site).as_posix()
        if relative == "404.html" or relative.startswith("admin/"):  # the CMS is no page of the site
            continue
        pages.add(PUBLIC_URL + "/" + relative.removesuffix("index.html"))
    assert locs == pages
    robots = (fixture_site / "robots.txt").read_text()
    assert f"Sitemap: {PUBLIC_URL}/sitemap.xml" in robots


def test_urls_are_numeric_and_accent_free(fixture_site):
    for path in html_files(fixture_site):
        relative = path.relative_to(fixture_site).as_posix()
        assert relative.isascii(), relative
        assert relative == relative.lower(), relative


def test_404_is_not_indexed(fixture_site):
    page = soup(fixture_site / "404.html")
    assert page.select_one('meta[name="robots"]')["content"] == "noindex"


def test_share_card_fonts_are_not_published(fixture_site):
    """The Lato files only draw share cards (plugins/transfo_images/fonts/): no reader downloads them."""
    assert [p.name for p in fixture_site.rglob("*") if p.suffix in {".ttf", ".otf", ".woff", ".woff2"}] == []
    assert list(fixture_site.glob("media/share/*.jpg")), "share cards are still drawn"


def test_a_link_to_another_article_in_a_summary_is_resolved_everywhere_it_is_shown(tmp_path):
    """Pelican resolves {filename} links of summaries after every generator has read its content;
    a plugin reading a summary before (the newsletter's snapshot) must not freeze it unresolved."""
    content = copy_content(tmp_path / "content")
    article = content / "articles" / "cooperative-alpha.md"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "Summary: Après deux ans d'activité, la coopérative Alpha s'agrandit.",
        "Summary: Après deux ans d'activité, la coopérative Alpha s'agrandit. "
        "Lire [l'analyse]({filename}/articles/analyse-beta.md)."), encoding="utf-8")
    build(tmp_path / "output", content=content, now="2019-11-30")
    analysis = "/2019/10/mesurer-limpact-social-un-debat-ouvert/"
    for page in ("2019/11/la-cooperative-alpha-ouvre-un-deuxieme-magasin/index.html",
                 "rubrique/actualites/index.html", "index.html"):
        links = [a["href"] for a in soup(tmp_path / "output" / page).find_all("a", string="l’analyse")]
        assert links == [analysis], page
    feed = feedparser.parse((tmp_path / "output" / "feeds" / "tous.atom.xml").read_bytes())
    [entry] = [e for e in feed.entries if "Alpha" in e.title]
    assert analysis in entry.summary and "{filename}" not in entry.summary
    assert "{filename}" not in all_text(tmp_path / "output")
