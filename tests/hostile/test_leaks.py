"""Hostile and awkward inputs: promotion figures in every spelling the docs list, in every place of
a page, hidden by markup or invisible characters, in a search index made from older pages or
copied elsewhere; files that are no web file in the output; the internal report aimed at the
live site.

Most spellings are checked on the scanner directly (fast); a real Pagefind run makes the stale
index case, and two builds of the small fixture site show the rest end to end: one line per leak or
forbidden file, exit 3, no traceback, nothing lost; ordinary numbers pass.
"""

from __future__ import annotations

import gzip
from datetime import date
from decimal import Decimal
from functools import partial
from pathlib import Path
from urllib.parse import quote

import pytest
from transfo_promotions.leaks import PromotionLeakError, SearchIndex, check_tree, needles, scan_text, scan_tree
from transfo_promotions.records import Promotion
from transfo_search.indexing import build_index, index_problems

from tests.hostile.checks import assert_refused
from tests.support import FIXTURE_CONTENT, ROOT, build_with_settings, copy_content, invoke

SOURCE = "content/promotions/promotions.csv"
AUDIENCE = "25-45 ans, Bruxelles et Wallonie, intérêt consommation durable et mode éthique"
SLUG = "la-cooperative-alpha-ouvre-un-deuxieme-magasin"  # an article of the fixture site
RECORD = Promotion(slug=SLUG, platform="facebook", start=date(2019, 11, 1), end=date(2019, 11, 10),
                   budget=Decimal("60.00"), spent=Decimal("58.40"), audience=AUDIENCE, reach=57000,
                   impressions=98400, clicks=4870, reads=3500, line=2)
ITEMS = needles([RECORD], SOURCE)
CSV = ("slug,plateforme,debut,fin,budget_eur,depense_eur,audience,couverture,impressions,clics,lectures,cle_import\n"
       f'{SLUG},facebook,2019-11-01,2019-11-10,60.00,58.40,"{AUDIENCE}",57000,98400,4870,3500,\n')

REACH = ["57 000", "57\u00a0000", "57\u202f000", "57\u2009000", "57.000", "57,000", "57'000", "57000", "57k",
         "57K", "57 k", "57,0 k", "57.0k", "57 mille"]
SPENT = ["58,4 €", "58,40 €", "58.4 EUR", "€58.40", "58,40 EUR", "58.40€", "€ 58,40", "58,40 euros", "58€40",
         "EUR 58.40"]
PLACES = {
    "body": "<p>Notre campagne : {}.</p>",
    "title": "<head><title>Bilan {} | Transfo</title></head>",
    "alt": '<img src="photo.jpg" alt="Campagne : {}">',
    "title attribute": '<a href="/" title="Résultat {}">lien</a>',
    "meta": '<meta property="og:description" content="Bilan : {}">',
    "data attribute": '<div data-pagefind-meta="bilan:{}"></div>',
    "comment": "<!-- bilan {} -->",
    "feed": "<item><description>&lt;p&gt;Bilan &lt;strong&gt;{}&lt;/strong&gt;&lt;/p&gt;</description></item>",
}
INVISIBLE = {"zero-width space": "\u200b", "zero-width non-joiner": "\u200c", "zero-width joiner": "\u200d",
             "word joiner": "\u2060", "byte order mark": "\ufeff", "soft hyphen": "\u00ad",
             "left-to-right mark": "\u200e"}


def found(page: str, kind: str = "html") -> set[str]:
    return {what.split(" de la promotion")[0] for _text, what in scan_text(page, ITEMS, kind)}


@pytest.mark.parametrize("spelling", REACH)
def test_every_spelling_of_a_count_is_caught(spelling):
    assert found(f"<p>La publicité a touché {spelling} personnes.</p>") == {"couverture"}


@pytest.mark.parametrize("spelling", SPENT)
def test_every_spelling_of_an_amount_is_caught(spelling):
    assert found(f"<p>Dépense : {spelling}.</p>") == {"montant dépensé"}


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("spelling", ["57k", "58,4 €", "3.500"])
def test_a_figure_is_caught_in_every_place_of_a_page(place, spelling):
    kind = "xml" if place == "feed" else "html"
    assert found(PLACES[place].format(spelling), kind)


@pytest.mark.parametrize("spelling", ["57 000", "57k", "58,40 €"])
def test_a_figure_in_an_address_is_caught_percent_encoded_or_as_a_slug(spelling):
    assert found(f'<a href="https://exemple.be/stats?public={quote(spelling)}">stats</a>')
    assert found(f'<a href="/2019/11/{spelling.replace(" ", "-")}-bien-depenses/">bilan</a>')


@pytest.mark.parametrize("name", INVISIBLE)
def test_invisible_characters_inside_the_digits_hide_nothing(name):
    mark = INVISIBLE[name]
    assert found(f"<p>5{mark}7{mark}000 personnes, 5{mark}8,4{mark}0 €</p>") == {"couverture", "montant dépensé"}


@pytest.mark.parametrize("page", [
    "<p>25-45 ans, <em>Bruxelles et Wallonie</em>, intérêt consommation durable et mode éthique</p>",
    "<p>25-45 ans, Bru<em>xel</em>les et Wallonie, <strong>intérêt</strong> consommation durable "
    "et mode <a href='/x'>éthique</a></p>",
    "<p>25\u201145 ANS, BRUXELLES ET WALLO\u00adNIE, INTÉRÊT CONSOMMATION DURABLE ET MODE ÉTHIQUE</p>",
    '<img alt="25-45 ans, Bruxelles et Wallonie, intérêt consommation durable et mode éthique">',
    '<a href="/cible/25-45-ans-bruxelles-et-wallonie-interet-consommation-durable-et-mode-ethique/">x</a>',
])
def test_the_audience_split_by_emphasis_or_respelt_is_caught(page):
    assert found(page) == {"audience"}


def test_an_ordinary_page_of_the_magazine_is_no_leak():
    page = ("<h1>2019 : 3 projets, 12 coopératives, 1 200 membres</h1><p>Le 24.04.2019, 57 personnes, "
            "une subvention de 57 000 euros (57 000 €), "
            "ont payé 100 € ou 12,50 € ; 02 543 00 00 ; +4,5 % ; 3500 ans ; 157000 habitants ; Bruxelles et "
            "Wallonie.</p><img width='4870' height='3500' src='a.57000.webp'><enclosure length='98400'/>")
    assert found(page) == set()


def test_a_search_index_made_from_older_pages_is_refused(tmp_path):
    """Real Pagefind indexes a page with a figure; then the page is corrected, and only the
    index (made from the older page) could still hold it: the check refuses that index, naming
    the page, without reading Pagefind's private format."""
    page = tmp_path / "out" / "2019" / "bilan" / "index.html"
    page.parent.mkdir(parents=True)
    body = '<!DOCTYPE html><html lang="fr"><head><title>Bilan</title></head><body><main data-pagefind-body>' \
           "<h1>Bilan</h1><p>La campagne a touché {} personnes.</p></main></body></html>"
    page.write_text(body.format("57k"), encoding="utf-8")
    cache = tmp_path / "cache"
    build_index(tmp_path / "out", "pagefind", cache)
    index = SearchIndex("pagefind", partial(index_problems, tmp_path / "out", "pagefind", cache))
    with pytest.raises(PromotionLeakError) as caught:  # the page shows the figure, the index agrees with it
        check_tree(tmp_path / "out", [RECORD], SOURCE, index=index)
    assert [line.split(": ")[1] for line in str(caught.value).splitlines()[:-1]] == ["fuite"]
    page.write_text(body.format("beaucoup de"), encoding="utf-8")
    with pytest.raises(PromotionLeakError) as caught:
        check_tree(tmp_path / "out", [RECORD], SOURCE, index=index)
    [line] = str(caught.value).splitlines()[:-1]
    assert "/out/pagefind: index de recherche: index fait d'une autre version des pages " \
           "(2019/bilan/index.html) : il peut tenir un texte qu'aucune page ne montre plus" in line


@pytest.mark.parametrize("name", ["fragment/fr_1.pf_fragment", "wasm.fr.pagefind", "index/fr_2.pf_index"])
def test_a_file_of_pagefind_format_outside_the_vouched_index_is_refused(tmp_path, name):
    """A copied bundle, or a single fragment, elsewhere in the site: nothing vouches for it."""
    (tmp_path / "vieux" / name).parent.mkdir(parents=True)
    (tmp_path / "vieux" / name).write_bytes(gzip.compress(b"pagefind_dcd{\"content\": \"57k\"}", mtime=0))
    index = SearchIndex("pagefind", lambda: [])
    [problem] = scan_tree(tmp_path, ITEMS, index=index)
    assert str(problem.problem("output")).startswith(f"output/vieux/{name}: index de recherche: fichier au format "
                                                     "de Pagefind hors de l'index")
    assert scan_tree(tmp_path, ITEMS, index=SearchIndex("vieux", lambda: [])) == []  # the check vouches for it


FORBIDDEN = {
    "export.csv": b"slug,plateforme\n",
    "promotions.xlsx": b"PK\3\4\x14\0\6\0" + b"\0" * 60,
    "promotions.csv.gz": gzip.compress(b"slug,plateforme\n", mtime=0),
    "lettre.eml": b"From: a@b.be\r\nSubject: x\r\n\r\n",
    "journal.jsonl": b'{"to": "a@b.be"}\n',
    "CNAME": b"transfo.be",
    "index.html.br": b"\x1b\x03\0",
}
DISGUISED = {
    "notes.txt": ("Public vis\u00e9 : rien".encode("utf-16"), "un texte UTF-16"),
    "photo.png": (b"PK\3\4\x14\0\6\0" + b"\0" * 60, "une archive ZIP"),
    "carte.jpg": (gzip.compress(b"slug,plateforme\n", mtime=0), "une archive gzip"),
    "donnees.json": (b"slug;plateforme\n", "du texte"),
}


@pytest.mark.parametrize("name", FORBIDDEN)
def test_a_file_of_no_web_type_is_refused(tmp_path, name):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / name).write_bytes(FORBIDDEN[name])
    (tmp_path / "index.html").write_text("<p>Bienvenue</p>", encoding="utf-8")
    [problem] = scan_tree(tmp_path, ITEMS)
    line = str(problem.problem("output"))
    assert line.startswith(f"output/images/{name}: type de fichier: ") and "TRANSFO_OUTPUT_TYPES" in line


@pytest.mark.parametrize("name", DISGUISED)
def test_a_file_whose_content_is_not_its_type_is_refused(tmp_path, name):
    data, seen = DISGUISED[name]
    (tmp_path / name).write_bytes(data)
    [problem] = scan_tree(tmp_path, ITEMS)
    assert str(problem.problem("output")).startswith(f"output/{name}: contenu: {seen}")


def test_a_hidden_file_is_refused_whatever_its_extension(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config.txt").write_text("[core]", encoding="utf-8")
    (tmp_path / ".env").write_text("SMTP_PASSWORD=x", encoding="utf-8")
    assert sorted(str(p.problem("output")).split(":")[0] for p in scan_tree(tmp_path, ITEMS)) == [
        "output/.env", "output/.git/config.txt"]


# --- end to end: the small fixture site ------------------------------------------------------

ARTICLE = """Title: {title}
Date: 2019-11-{day:02d} 09:00
Category: Actualités
Tags: coopérative
Authors: Claire Delvaux
Summary: Un bilan de campagne.

{body}
"""
HOSTILE_ARTICLES = {  # slug: (title, body), each with one leak in one place
    "bilan-corps": ("Bilan corps", "Notre publicité a touché 57k personnes."),
    "bilan-584-eur": ("Bilan 58,4 €", "Un bilan sans chiffre dans le texte."),
    "bilan-alt": ("Bilan alt", "![Public : 57\u200b000 personnes](https://exemple.be/photo.jpg)"),
    "bilan-titre-de-lien": ("Bilan titre de lien", '[le rapport](https://exemple.be/ "98.400 impressions")'),
    "bilan-adresse": ("Bilan adresse", "[stats](https://exemple.be/stats?lectures=3%20500)"),
    "bilan-audience": ("Bilan audience",
                       "Public : 25-45 ans, *Bruxelles et Wallonie*, intérêt consommation durable et mode éthique."),
    "bilan-invisible": ("Bilan invisible", "Touchés : 5\u200b7\u2060000 ; dépensés : 5\u00ad8,40\u202f€."),
}


@pytest.fixture
def hostile_content(tmp_path) -> Path:
    content = copy_content(tmp_path / "content", FIXTURE_CONTENT)
    (content / "promotions").mkdir()
    (content / "promotions" / "promotions.csv").write_text(CSV, encoding="utf-8")
    return content


def test_a_build_with_figures_in_every_place_and_internal_files_fails_with_one_line_each(
        tmp_path, hostile_content):
    for day, (slug, (title, body)) in enumerate(HOSTILE_ARTICLES.items(), start=15):
        (hostile_content / "articles" / f"{slug}.md").write_text(
            ARTICLE.format(title=title, day=day, body=body), encoding="utf-8")
    downloads = hostile_content / "telechargements"
    downloads.mkdir()
    for name in ("export.csv", "promotions.xlsx", "promotions.csv.gz", "lettre.eml"):
        (downloads / name).write_bytes(FORBIDDEN[name])
    (downloads / "photo.png").write_bytes(DISGUISED["photo.png"][0])
    (downloads / "notes.txt").write_bytes(DISGUISED["notes.txt"][0])
    (downloads / "promotions.csv").write_text(CSV, encoding="utf-8")
    (downloads / "vieil-index.pf_fragment").write_bytes(gzip.compress(b'pagefind_dcd{"content": "57k"}', mtime=0))
    result = build_with_settings(tmp_path, 'STATIC_PATHS = [*STATIC_PATHS, "telechargements"]', tmp_path / "out",
                                 hostile_content, "2019-11-30")
    assert result.returncode == 3, result.stderr
    expected = {
        "bilan-corps": "couverture", "bilan-584-eur": "montant dépensé", "bilan-alt": "couverture",
        "bilan-titre-de-lien": "impressions", "bilan-adresse": "lectures", "bilan-audience": "audience",
        "bilan-invisible": "couverture",
    }
    for slug, what in expected.items():
        assert_refused(result, f"{slug}/index.html", ": fuite: " + what, "de la promotion")
    assert_refused(result, "bilan-invisible/index.html", ": fuite: montant dépensé", "« 58,40 € »")
    # The index is the one made from these pages: the only index line is the planted fragment's.
    assert [line for line in result.stderr.splitlines() if "index de recherche" in line] == [
        line for line in result.stderr.splitlines() if "vieil-index.pf_fragment" in line]
    assert_refused(result, "telechargements/vieil-index.pf_fragment", "index de recherche",
                   "hors de l'index que la construction a écrit")
    for name in ("export.csv", "promotions.xlsx", "promotions.csv.gz", "lettre.eml"):
        assert_refused(result, name, "type de fichier", f"« .{name.rpartition('.')[2]} »")
    assert_refused(result, "photo.png", "contenu: une archive ZIP", "attendu : une image PNG")
    assert_refused(result, "notes.txt", "contenu: un texte UTF-16")
    assert_refused(result, "promotions.csv", "le fichier interne des promotions")
    assert result.stderr.strip().splitlines()[-1].endswith("ce site ne doit pas être publié.")
    assert (hostile_content / "promotions" / "promotions.csv").read_text(encoding="utf-8") == CSV  # nothing lost


def test_a_build_of_ordinary_pages_with_numbers_and_promotions_passes(tmp_path, hostile_content):
    (hostile_content / "articles" / "chiffres.md").write_text(ARTICLE.format(
        title="Les chiffres de 2019", day=20, body=(
            "En 2019, 3 projets et 12 coopératives : 1 200 membres, 57 personnes par atelier, 100 € "
            "la part ou 12,50 € le repas. Le 24.04.2019 à 14.30, au 02 543 00 00. +4,5 % ; il y a 3500 ans.\n\n"
            "Public : Bruxelles et Wallonie.")), encoding="utf-8")
    result = build_with_settings(tmp_path, "", tmp_path / "out", hostile_content, "2019-11-30")
    assert result.returncode == 0, result.stderr
    assert "fuite" not in result.stderr and "Traceback" not in result.stderr
    assert (tmp_path / "out" / "pagefind" / "pagefind.js").is_file()  # the index was there, and vouched for


@pytest.mark.parametrize("target", ["output/rapport", "public/current/rapport", "content/images/rapport"])
def test_the_internal_report_refuses_the_site_the_releases_and_the_content(target):
    result = invoke("promotions-report", "--output", str(ROOT / target), check=False)
    assert result.returncode == 2
    assert_refused(result, target, "dossier du rapport dans", "attendu : un dossier hors du site")
    assert not (ROOT / target).exists()
