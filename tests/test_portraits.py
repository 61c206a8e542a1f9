"""Portraits: photo-card index, filter pages as plain links, info box, related portraits."""

from __future__ import annotations

import re
import shutil

import pytest

from tests.support import DOSSIERS_CONTENT, axe_violations, build, describe, soup

pytestmark = pytest.mark.shared_tab

P1 = "2019/07/portrait-de-paula-une/index.html"



def text(element, separator=""):
    return re.sub(r"[\u00a0\u202f]", " ", element.get_text(separator, strip=True))


def card_names(page):
    return [text(h) for h in page.select(".portrait-grid .card__title")]


@pytest.fixture(scope="module")
def site(dossiers_site):
    return dossiers_site


def test_index_is_a_grid_of_photo_cards_newest_first(site):
    page = soup(site / "portraits" / "index.html")
    assert text(page.select_one("h1")) == "Portraits"
    assert card_names(page) == ["Trois Énergies", "Entreprise Deux", "Paula Une"]
    cards = page.select(".portrait-grid .portrait-card")
    assert all(card.select_one("img.card__image") for card in cards)
    assert cards[2].select_one(".card__title a")["href"] == "/" + P1.removesuffix("index.html")
    assert "La Coopérative Une · Ciney, Wallonie" in text(cards[2], " ")


def test_one_page_per_sector_and_per_region_with_plain_links(site):
    index = soup(site / "portraits" / "index.html")
    filters = index.select_one(".portrait-filters")
    links = {text(a, " "): a["href"] for a in filters.select("a")}
    assert links == {
        "Tous les portraits (3)": "/portraits/",
        "Alimentation et restauration (2)": "/portraits/secteur/alimentation-et-restauration/",
        "Énergie (1)": "/portraits/secteur/energie/",
        "Wallonie (2)": "/portraits/region/wallonie/",
        "Bruxelles (1)": "/portraits/region/bruxelles/",
    }
    assert filters.select_one('a[aria-current="page"]')["href"] == "/portraits/"
    sector = soup(site / "portraits/secteur/alimentation-et-restauration/index.html")
    assert card_names(sector) == ["Entreprise Deux", "Paula Une"]
    assert sector.select_one('.portrait-filters a[aria-current="page"]')["href"] == (
        "/portraits/secteur/alimentation-et-restauration/")
    assert text(sector.select_one("h1")) == "Alimentation et restauration"
    region = soup(site / "portraits/region/bruxelles/index.html")
    assert card_names(region) == ["Entreprise Deux"]
    for page in (index, sector, region):
        # plain links: nothing to submit, nothing to run
        assert page.select(".portrait-filters :is(form, input, select, button, script)") == []
        assert page.select("main [onclick], main a[href^='javascript']") == []


def test_menu_entry_replaces_the_rubric(site):
    page = soup(site / "portraits" / "index.html")
    menu = [(a.get_text(), a["href"]) for a in page.select(".site-nav a")]
    assert ("Portraits", "/portraits/") in menu
    assert "/rubrique/portraits/" not in [href for _label, href in menu]
    assert page.select_one('.site-nav a[aria-current="page"]')["href"] == "/portraits/"
    portrait = soup(site / P1)
    assert portrait.select_one('.site-nav a[aria-current="page"]')["href"] == "/portraits/"


def test_portrait_page_has_an_info_box(site):
    box = soup(site / P1).select_one("aside.portrait-box")
    facts = dict(zip([text(dt) for dt in box.select("dt")], [text(dd, " ") for dd in box.select("dd")], strict=True))
    assert facts == {
        "Personne": "Paula Une",
        "Entreprise": "La Coopérative Une",
        "Secteur": "Alimentation et restauration",
        "Localité": "Ciney ( Wallonie )",
        "Site web": "www.example.org/une",
        "Annuaire": "Fiche dans l’annuaire de l’économie sociale",
    }
    hrefs = [a["href"] for a in box.select("a")]
    assert hrefs == ["/portraits/secteur/alimentation-et-restauration/", "/portraits/region/wallonie/",
                     "https://www.example.org/une/",
                     "https://annuaire.economiesociale.be/entreprise/la-cooperative-une"]


def test_related_portraits_same_sector_then_same_region(site):
    page = soup(site / P1)
    related = page.select_one(".portrait-related")
    assert [text(h) for h in related.select(".card__title")] == ["Entreprise Deux", "Trois Énergies"]
    shown = {a["href"] for a in related.select(".card__title a")}
    generic = {a["href"] for a in page.select("section.related:not(.portrait-related) .card__title a")}
    assert not shown & generic


@pytest.mark.parametrize("header, expected", [
    ("Sector: Alimentation et restauration\nTown: Ciney\n", "portrait-p1.md: Sector: champ absent"),
    ("Annuaire: https://annuaire.economiesociale.be/entreprise/la-cooperative-une",
     "Annuaire: « https://www.economiesociale.be/x » ; attendu : l'adresse de la fiche"),
])
def test_portrait_mistakes_are_reported(tmp_path, header, expected):
    content = tmp_path / "content"
    shutil.copytree(DOSSIERS_CONTENT, content)
    path = content / "articles" / "portrait-p1.md"
    replacement = ("Town: Ciney\n" if header.startswith("Sector")
                   else "Annuaire: https://www.economiesociale.be/x")
    path.write_text(path.read_text(encoding="utf-8").replace(header, replacement), encoding="utf-8")
    analysis = content / "articles" / "analyse-a1.md"
    analysis.write_text(analysis.read_text(encoding="utf-8").replace(
        "Category: Analyses\n", "Category: Analyses\nRegion: Wallonie\n"), encoding="utf-8")
    result = build(tmp_path / "out", content=content, now="2019-11-30", check=False)
    assert result.returncode == 2
    assert expected in result.stderr
    assert ("analyse-a1.md:4: Region: champ de portrait dans un article de la rubrique « Analyses »"
            in result.stderr)


@pytest.mark.browser
def test_portraits_index_has_no_axe_violation(sample_url, page):
    page.goto(sample_url + "/portraits/")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    assert page.locator(".portrait-grid .portrait-card").count() == 5


@pytest.mark.browser
def test_portrait_filter_page_has_no_axe_violation(sample_url, page):
    page.goto(sample_url + "/portraits/")
    page.locator(".portrait-filters").get_by_role("link", name="Bruxelles (1)").click()
    page.wait_for_load_state()
    assert page.url == sample_url + "/portraits/region/bruxelles/"
    assert page.locator(".portrait-grid .card__title").all_inner_texts() == ["Jean-Marc Lejeune"]
    violations = axe_violations(page)
    assert violations == [], describe(violations)


@pytest.mark.browser
def test_portrait_page_has_no_axe_violation(sample_url, page):
    page.goto(sample_url + "/2019/08/samira-haddouche-cheffe-et-formatrice-en-cuisine-on-apprend-a-se-relever/")
    assert page.locator("aside.portrait-box").is_visible()
    violations = axe_violations(page)
    assert violations == [], describe(violations)
