"""Offers on the fixture site built at two dates: listings, expiry, noindex, JobPosting, feed."""

from __future__ import annotations

import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from tests.support import ROOT, all_text, build, build_with_settings, copy_content, invoke, json_ld_blocks, soup

OFFERS = ROOT / "tests" / "fixtures" / "offers"
PUBLIC_URL = "http://127.0.0.1:8000"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
JOB_POSTING_REQUIRED = {"@context", "@type", "title", "description", "datePosted",
                        "hiringOrganization", "validThrough", "employmentType"}


def offers_content(destination: Path, *extra: Path) -> Path:
    """The fixture site plus the offers fixtures (and extra offer files)."""
    content = copy_content(destination)
    shutil.copytree(OFFERS / "offres", content / "offres")
    shutil.copytree(OFFERS / "images" / "offres", content / "images" / "offres")
    for path in extra:
        shutil.copy(path, content / "offres" / path.name)
    return content


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    return offers_content(tmp_path_factory.mktemp("offers") / "content")


@pytest.fixture(scope="module")
def site_nov30(content, tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("offers-2019-11-30")
    build(output, content=content, now="2019-11-30")
    return output


@pytest.fixture(scope="module")
def site_dec16(content, tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("offers-2019-12-16")
    build(output, content=content, now="2019-12-16")
    return output



def offer_page(site: Path, slug: str) -> BeautifulSoup:
    return soup(site / "offres" / slug / "index.html")


def listed(site: Path, path: str = "offres/index.html") -> list[str]:
    return [a["href"] for a in soup(site / path).select(".offer-card__title a")]


def job_postings(page: BeautifulSoup) -> list[dict]:
    return [block for block in json_ld_blocks(page)
            if block.get("@type") == "JobPosting"]


def is_noindex(page: BeautifulSoup) -> bool:
    robots = page.select_one('meta[name="robots"]')
    return robots is not None and "noindex" in robots["content"]


def sitemap(site: Path) -> set[str]:
    tree = ET.parse(site / "sitemap.xml")
    return {loc.text for loc in tree.getroot().findall("s:url/s:loc", SITEMAP_NS)}


def feed(site: Path):
    parsed = feedparser.parse((site / "feeds" / "offres.atom.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


# --- 2019-11-30 ------------------------------------------------------------

def test_listing_holds_open_offers_soonest_deadline_first(site_nov30):
    assert listed(site_nov30) == [
        "/offres/emploi-bientot/",  # 3 December
        "/offres/stage-bruxelles/",  # 15 December
        "/offres/emploi-ouvert/",  # 20 December
        "/offres/appel-projets/",  # 17 January 2020, noon
        "/offres/benevolat-liege/",  # 31 January 2020
    ]
    page = soup(site_nov30 / "offres/index.html")
    labels = [t.get_text() for t in page.select(".offer-card__deadline time")]
    assert labels == ["Clôture dans 3 jours", "Clôture le 15 décembre", "Clôture le 20 décembre",
                      "Clôture le 17 janvier 2020 à 12\u00a0h", "Clôture le 31 janvier 2020"]
    assert page.select(".offer-card__deadline time")[0]["datetime"] == "2019-12-03T23:59:59+01:00"
    assert page.select_one(".offer-card__kind").get_text() == "Emploi"
    assert "Télétravail" in page.select(".offer-card__facts")[0].get_text()


def test_one_listing_per_kind_with_plain_links(site_nov30):
    assert listed(site_nov30, "offres/emploi/index.html") == ["/offres/emploi-bientot/",
                                                              "/offres/emploi-ouvert/"]
    assert listed(site_nov30, "offres/stage/index.html") == ["/offres/stage-bruxelles/"]
    assert listed(site_nov30, "offres/benevolat/index.html") == ["/offres/benevolat-liege/"]
    assert listed(site_nov30, "offres/appel-a-projets/index.html") == ["/offres/appel-projets/"]
    page = soup(site_nov30 / "offres/stage/index.html")
    links = {a.get_text(" ", strip=True): a["href"] for a in page.select(".offer-kinds a")}
    assert links == {"Toutes (5)": "/offres/", "Emplois (2)": "/offres/emploi/",
                     "Stages (1)": "/offres/stage/", "Bénévolat (1)": "/offres/benevolat/",
                     "Appels à projets (1)": "/offres/appel-a-projets/"}
    assert page.select_one('.offer-kinds a[aria-current="page"]')["href"] == "/offres/stage/"
    assert page.select_one("h1").get_text() == "Stages"
    assert not page.select("script")  # plain links, no JavaScript


def test_closed_offers_keep_their_page_with_a_banner_and_noindex(site_nov30):
    for slug, reason in [("emploi-expire", "La date limite était le 22 novembre 2019."),
                         ("emploi-pourvu", "Le poste a été pourvu.")]:
        page = offer_page(site_nov30, slug)
        banner = page.select_one(".offer-banner")
        assert "Offre clôturée" in banner.get_text()
        assert reason in banner.get_text()
        assert is_noindex(page)
        assert job_postings(page) == []
        assert page.select(".offer-apply") == []
    open_page = offer_page(site_nov30, "emploi-ouvert")
    assert not is_noindex(open_page) and open_page.select(".offer-banner") == []


def test_closed_scheduled_and_draft_offers_are_in_no_listing_feed_or_sitemap(site_nov30):
    listings = " ".join(href for path in ["offres/index.html", "offres/emploi/index.html", "index.html"]
                        for href in listed(site_nov30, path))
    for slug in ("emploi-expire", "emploi-pourvu", "emploi-programme", "offre-brouillon"):
        assert slug not in listings
        assert f"{PUBLIC_URL}/offres/{slug}/" not in sitemap(site_nov30)
        assert all(slug not in entry.link for entry in feed(site_nov30).entries)
    assert not (site_nov30 / "offres/emploi-programme").exists()
    assert not (site_nov30 / "offres/offre-brouillon").exists()
    text = all_text(site_nov30)
    assert "Scheduledofferword" not in text and "Draftofferword" not in text
    assert {f"{PUBLIC_URL}/offres/", f"{PUBLIC_URL}/offres/emploi/",
            f"{PUBLIC_URL}/offres/emploi-ouvert/"} <= sitemap(site_nov30)


def test_open_jobs_carry_job_posting_with_googles_properties(site_nov30):
    for slug in ("emploi-ouvert", "emploi-bientot", "stage-bruxelles", "benevolat-liege"):
        [posting] = job_postings(offer_page(site_nov30, slug))
        assert JOB_POSTING_REQUIRED <= set(posting), slug
        assert posting["hiringOrganization"]["name"] and posting["hiringOrganization"]["sameAs"]
        assert "jobLocation" in posting or posting["jobLocationType"] == "TELECOMMUTE"
        assert "<p>" in posting["description"]
    ouvert = job_postings(offer_page(site_nov30, "emploi-ouvert"))[0]
    assert ouvert["title"] == "Coordinateur·rice de la coopérative Alpha"
    assert ouvert["datePosted"] == "2019-11-18T10:00:00+01:00"
    assert ouvert["validThrough"] == "2019-12-20T23:59:59+01:00"
    assert ouvert["employmentType"] == ["FULL_TIME"]
    assert ouvert["jobLocation"]["address"] == {
        "@type": "PostalAddress", "addressLocality": "Namur", "postalCode": "5000",
        "addressRegion": "Région wallonne", "addressCountry": "BE"}
    assert ouvert["baseSalary"]["currency"] == "EUR"
    assert ouvert["baseSalary"]["value"]["minValue"] == 2850
    logo = ouvert["hiringOrganization"]["logo"]  # a stripped copy, never the original file
    assert re.fullmatch(rf"{PUBLIC_URL}/media/logo-alpha\.[0-9a-f]{{10}}\.\d+\.jpg", logo), logo
    assert (site_nov30 / logo.removeprefix(PUBLIC_URL + "/")).is_file()
    remote = job_postings(offer_page(site_nov30, "emploi-bientot"))[0]
    assert remote["jobLocationType"] == "TELECOMMUTE"
    assert remote["applicantLocationRequirements"] == {"@type": "Country", "name": "Belgium"}
    assert remote["employmentType"] == ["PART_TIME", "TEMPORARY"]
    assert job_postings(offer_page(site_nov30, "stage-bruxelles"))[0]["employmentType"] == ["INTERN"]
    assert job_postings(offer_page(site_nov30, "benevolat-liege"))[0]["employmentType"] == ["VOLUNTEER"]


def test_calls_for_projects_are_not_job_postings(site_nov30):
    page = offer_page(site_nov30, "appel-projets")
    assert page.select('script[type="application/ld+json"]') == []
    assert not is_noindex(page)
    assert "Déposer un projet" in page.select_one(".offer-apply").get_text()


def test_offer_page_shows_the_content_model(site_nov30):
    page = offer_page(site_nov30, "emploi-ouvert")
    assert page.select_one("h1").get_text() == "Coordinateur·rice de la coopérative Alpha"
    assert page.select_one(".offer__header .article__rubric a")["href"] == "/offres/emploi/"
    facts = {dt.get_text(): dd.get_text(" ", strip=True)
             for dt, dd in zip(page.select(".offer-facts dt"), page.select(".offer-facts dd"), strict=True)}
    assert facts["Lieu"] == "Namur (Wallonie)"
    assert facts["Contrat"] == "CDI"
    assert facts["Salaire"] == "De 2\u202f850\u00a0€ à 3\u202f400\u00a0€ bruts par mois"
    assert facts["Barème"] == "CP 329.02"
    assert facts["Date limite"] == "vendredi 20 décembre 2019"
    assert page.select_one('.offer-apply a[href^="mailto:"]').get_text() == "emploi@alpha.example.org"
    assert page.select_one('link[rel="canonical"]')["href"] == f"{PUBLIC_URL}/offres/emploi-ouvert/"
    assert page.select_one('.site-nav a[aria-current="page"]').get_text() == "Emplois & appels"


def test_feed_of_open_offers_is_announced_and_parses_back(site_nov30):
    parsed = feed(site_nov30)
    assert parsed.feed.language == "fr-BE"
    assert {e.link for e in parsed.entries} == {PUBLIC_URL + href for href in listed(site_nov30)}
    entry = next(e for e in parsed.entries if e.link.endswith("/emploi-ouvert/"))
    assert entry.title == "Emploi\u00a0: Coordinateur·rice de la coopérative Alpha"
    assert "Clôture le 20 décembre" in entry.summary
    # Readers keep an entry and read it days later: the feed gives the date, not "dans 3 jours".
    soon = next(e for e in parsed.entries if e.link.endswith("/emploi-bientot/"))
    assert "Clôture le 3 décembre 2019" in soon.summary and "dans" not in soon.summary
    for path in ("offres/index.html", "offres/emploi/index.html", "offres/emploi-ouvert/index.html"):
        hrefs = [link["href"] for link in
                 soup(site_nov30 / path).select('link[rel="alternate"][type="application/atom+xml"]')]
        assert f"{PUBLIC_URL}/feeds/offres.atom.xml" in hrefs, path


def test_home_page_shows_the_latest_open_offers(site_nov30):
    page = soup(site_nov30 / "index.html")
    block = page.select_one(".home-offers")
    assert block.select_one("h2 a").get_text() == "Dernières offres"
    assert [a["href"] for a in block.select(".offer-card__title a")] == [
        "/offres/benevolat-liege/", "/offres/stage-bruxelles/", "/offres/emploi-ouvert/"]
    menu = {a.get_text(): a["href"] for a in page.select(".site-nav a")}
    assert menu["Emplois & appels"] == "/offres/"


def test_offers_are_not_articles(site_nov30):
    articles = json.dumps([e.link for e in feedparser.parse(
        (site_nov30 / "feeds" / "tous.atom.xml").read_bytes()).entries])
    assert "/offres/" not in articles
    assert "Coordinateur" not in (site_nov30 / "archives/index.html").read_text(encoding="utf-8")


# --- 2019-12-16: the same content two weeks later ----------------------------

def test_two_weeks_later_expired_offers_left_the_listings(site_dec16):
    assert listed(site_dec16) == [
        "/offres/emploi-ouvert/",  # 20 December
        "/offres/emploi-programme/",  # published on 10 December, closes 10 January
        "/offres/appel-projets/",
        "/offres/benevolat-liege/",
    ]
    listing = soup(site_dec16 / "offres/index.html")
    labels = [t.get_text() for t in listing.select(".offer-card__deadline time")]
    assert labels[0] == "Clôture dans 4 jours"
    assert listed(site_dec16, "offres/stage/index.html") == []
    assert "Aucune offre ouverte" in soup(site_dec16 / "offres/stage/index.html").get_text()
    for slug in ("stage-bruxelles", "emploi-bientot"):
        page = offer_page(site_dec16, slug)
        assert is_noindex(page) and job_postings(page) == []
        assert "Offre clôturée" in page.select_one(".offer-banner").get_text()
        assert f"{PUBLIC_URL}/offres/{slug}/" not in sitemap(site_dec16)
    assert len(job_postings(offer_page(site_dec16, "emploi-programme"))) == 1
    assert {e.link.rsplit("/", 2)[-2] for e in feed(site_dec16).entries} == {
        "emploi-ouvert", "emploi-programme", "appel-projets", "benevolat-liege"}


def test_build_log_counts_open_expired_and_filled_offers(content, tmp_path):
    # A wide console, so that the log line is not wrapped.
    result = invoke("build", "--content", str(content), "--output", str(tmp_path / "out"),
                    "--now", "2019-12-16", "--verbose", env={**os.environ, "COLUMNS": "400"})
    [log] = [line for line in (result.stdout + result.stderr).splitlines() if "Offres au" in line]
    assert "INFO" in log and "Offres au 2019-12-16" in log
    counts = {word: int(number) for number, word in
              re.findall(r"(\d+) (ouverte|expirée|pourvue|clôturée|programmée|brouillon)\(s\)", log)}
    assert counts == {"ouverte": 4, "expirée": 3, "pourvue": 1, "clôturée": 0, "programmée": 0,
                      "brouillon": 1}


# --- Content errors --------------------------------------------------------

def test_content_mistakes_are_one_line_each_naming_file_and_field(tmp_path):
    invalid = sorted((OFFERS / "invalid").glob("*.md"))
    content = offers_content(tmp_path / "content", *invalid)
    result = invoke("check", "--content", str(content), check=False)
    assert result.returncode == 2
    lines = [line for line in result.stdout.splitlines() if "/offres/" in line]
    expected = {
        "deadline-avant.md": "Deadline: date limite 2019-11-10 antérieure à la date de publication",
        "sans-lieu.md": "Town: lieu absent pour une offre de type « emploi »",
        "sans-candidature.md": "Apply_url: aucun moyen de postuler",
        "type-inconnu.md": "Kind: « emplois » inconnu ; attendu : une valeur parmi Emploi, Stage",
    }
    assert len(lines) == len(expected), lines
    for name, message in expected.items():
        [line] = [line for line in lines if f"offres/{name}" in line]
        assert message in line, line
    build_result = build(tmp_path / "out", content=content, check=False)
    assert build_result.returncode == 2
    assert not (tmp_path / "out" / "offres").exists()


def test_an_offer_pelican_refuses_stops_the_build_naming_the_file(tmp_path):
    """Without transfo_validation (which refuses it first), an offer without a title is refused
    by Pelican: the build stops before writing anything, the file named on one line."""
    content = tmp_path / "content"
    (content / "offres").mkdir(parents=True)
    text = (OFFERS / "offres" / "emploi-ouvert.md").read_text(encoding="utf-8")
    (content / "offres" / "sans-titre.md").write_text(
        "".join(line for line in text.splitlines(keepends=True) if not line.startswith("Title:")), encoding="utf-8")
    without_validation = 'import transfo\nPLUGINS = [p for p in transfo.PLUGINS if p != "transfo_validation"]'
    result = build_with_settings(tmp_path, without_validation,
                                 tmp_path / "out", content=content, now="2019-11-30")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "sans-titre.md: fichier: offre refusée par Pelican" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "offres").exists()


# --- The sample content (content/offres/) at the development date -------------

@pytest.mark.slow
def test_sample_offers_cover_every_case(sample_site):
    page = soup(sample_site / "offres/index.html")
    kinds = {p.get_text() for p in page.select(".offer-card__kind")}
    assert kinds == {"Emploi", "Stage", "Bénévolat", "Appel à projets"}
    labels = [t.get_text() for t in page.select(".offer-card__deadline time")]
    assert labels[0] == "Clôture dans 3 jours"  # one offer expiring soon
    closed = [path for path in (sample_site / "offres").glob("*/index.html")
              if soup(path).select_one(".offer-banner")]
    reasons = " ".join(soup(path).select_one(".offer-banner").get_text() for path in closed)
    assert "La date limite était" in reasons and "Le poste a été pourvu." in reasons
    assert all(is_noindex(soup(path)) for path in closed)
    assert len(list((sample_site / "offres").glob("*/index.html"))) - 4 >= 6  # minus kind listings


def test_a_deadline_in_the_hour_the_clocks_skip_is_one_line_of_check(tmp_path):
    """02:30 on 28 March 2027 does not exist in Brussels: the page would say 2 h 30, the offer
    close at 3 h 30 and its JSON-LD give 02:30+01:00. Refused, as the agenda refuses it."""
    content = offers_content(tmp_path / "content")
    offer = content / "offres" / "emploi-ouvert.md"
    offer.write_text(re.sub(r"(?m)^Deadline: .*$", "Deadline: 2027-03-28 02:30", offer.read_text(encoding="utf-8")),
                     encoding="utf-8")
    result = invoke("check", "--content", str(content), "--now", "2027-03-01", check=False)
    assert result.returncode == 2
    assert result.stdout.strip().splitlines() == [
        f"{offer.as_posix()}:16: Deadline: « 2027-03-28 02:30 » n'existe pas à Europe/Brussels (les horloges "
        "passent à l'heure d'été) ; attendu : une heure qui existe, par ex. 2027-03-28 03:30"]
