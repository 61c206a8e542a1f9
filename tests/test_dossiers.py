"""Dossiers: landing pages, n/N labels, announced parts, JSON-LD, feeds, validation, browsing."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import feedparser
import pytest

from tests.support import (
    DOSSIERS_CONTENT,
    all_text,
    axe_violations,
    build,
    describe,
    invoke,
    json_ld_blocks,
    soup,
)

pytestmark = pytest.mark.shared_tab

PUBLIC_URL = "http://127.0.0.1:8000"


def text(element, separator=""):
    """Visible text with French typography's narrow spaces turned into plain ones."""
    return re.sub(r"[\u00a0\u202f]", " ", element.get_text(separator, strip=True))



@pytest.fixture(scope="module")
def site(dossiers_site):
    return dossiers_site


def test_index_lists_running_dossiers_first_and_hides_future_ones(site):
    page = soup(site / "dossiers" / "index.html")
    assert [text(h) for h in page.select(".dossier-card .card__title")] == [
        "Série Alpha", "Série Bêta"]
    assert [text(s) for s in page.select(".dossier-status")] == [
        "Dossier en cours", "Dossier terminé"]
    assert not (site / "dossiers" / "serie-gamma").exists()
    assert "fixturegammaword" not in all_text(site)


def test_landing_page_orders_parts_and_announces_the_next_one(site):
    page = soup(site / "dossiers" / "serie-alpha" / "index.html")
    assert page.select_one("h1").get_text() == "Série Alpha"
    assert "introduction de la série" in page.select_one(".dossier__intro").get_text()
    assert page.select_one(".lead-image img")["alt"] == "Couverture de la série Alpha"
    parts = page.select(".dossier-parts > li")
    labels = [text(li.select_one(".card__rubric"), " ") for li in parts]
    assert labels == ["Partie 1/3", "Partie 2/3", "Partie 3/3 · À paraître"]
    titles = [text(li.select_one(".card__title")) for li in parts]
    assert titles == ["Alpha, première partie", "Alpha, deuxième partie",
                      "Alpha, troisième partie annoncée"]
    assert [li.select_one(".card__title a")["href"] for li in parts[:2]] == [
        "/2019/10/alpha-premiere-partie/", "/2019/11/alpha-deuxieme-partie/"]
    assert "Résumé de « Alpha, première partie »" in text(parts[0].select_one(".card__summary"))
    assert parts[0].select_one("img")
    announced = parts[2]
    assert announced.select_one("a") is None and announced.select_one("img") is None
    assert announced.select_one("time")["datetime"] == "2019-12-10T09:00:00+01:00"
    assert "À paraître le 10 décembre 2019" in text(announced, " ")


def test_links_from_an_article_to_a_declaration_and_to_a_page_resolve(site):
    """Both are read after the articles: a body read too early keeps its links unresolved."""
    page = soup(site / "2019" / "10" / "analyse-solitaire" / "index.html")
    assert page.find("a", string="la série Alpha")["href"] == "/dossiers/serie-alpha/"
    assert page.find("a", string="qui nous sommes")["href"] == "/a-propos/"


def test_parts_without_numbers_follow_their_dates(site):
    page = soup(site / "dossiers" / "serie-beta" / "index.html")
    titles = [text(h) for h in page.select(".dossier-parts .card__title")]
    assert titles == ["Bêta : le premier volet", "Bêta : le volet du milieu", "Bêta : le dernier volet"]


def test_announced_parts_leak_nothing_but_title_and_date(site):
    text = all_text(site)
    for secret in ("fixturesecretbody", "fixturesecretsummary", "Illustration secrète"):
        assert secret not in text
    assert not (site / "2019" / "12").exists()
    # the announced title appears only where parts are listed
    holders = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                     if "troisième partie annoncée" in p.read_text(encoding="utf-8"))
    assert holders == ["2019/10/alpha-premiere-partie/index.html",  # the parts, the home page, the landing page
                       "2019/11/alpha-deuxieme-partie/index.html",
                       "dossiers/serie-alpha/index.html", "index.html"]


def test_each_part_shows_n_of_n_the_parts_and_its_neighbours(site):
    first = soup(site / "2019/10/alpha-premiere-partie/index.html")
    kicker = first.select_one(".dossier-kicker")
    assert text(kicker, " ") == "Dossier · Série Alpha · partie 1/3"
    assert first.select(".article__rubric") == [kicker], "one kicker, no rubric line above it"
    assert kicker.select_one("a")["href"] == "/dossiers/serie-alpha/"
    nav = first.select_one(".dossier-nav")
    assert [li.get("value") for li in nav.select(".dossier-nav__parts li")] == ["1", "2", "3"]
    assert nav.select_one('a[aria-current="page"]')["href"] == "/2019/10/alpha-premiere-partie/"
    assert nav.select_one(".dossier-nav__next a")["href"] == "/2019/11/alpha-deuxieme-partie/"
    second = soup(site / "2019/11/alpha-deuxieme-partie/index.html")
    assert "partie 2/3" in second.select_one(".dossier-kicker").get_text()
    links_to_first = second.select('main a[href="/2019/10/alpha-premiere-partie/"]')
    assert len(links_to_first) == 1, "the previous part is linked once, in the list of parts"
    assert links_to_first[0].find_parent(class_="dossier-nav__parts")
    assert second.select_one(".dossier-nav__next") is None
    beta = soup(site / "2019/04/beta-le-dernier-volet/index.html")
    assert "partie 3/3" in beta.select_one(".dossier-kicker").get_text()
    plain = soup(site / "2019/10/analyse-solitaire/index.html")
    assert plain.select_one(".dossier-kicker") is None and plain.select_one(".dossier-nav") is None


def test_landing_page_jsonld_is_a_series_of_the_parts(site):
    page = soup(site / "dossiers" / "serie-alpha" / "index.html")
    series, trail = json_ld_blocks(page)
    assert series["@context"] == "https://schema.org"
    assert series["@type"] == "CreativeWorkSeries"
    assert series["name"] == "Série Alpha"
    assert series["url"] == PUBLIC_URL + "/dossiers/serie-alpha/"
    assert series["startDate"] == "2019-10-01" and "endDate" not in series
    assert [(p["position"], p["url"]) for p in series["hasPart"]] == [
        (1, PUBLIC_URL + "/2019/10/alpha-premiere-partie/"),
        (2, PUBLIC_URL + "/2019/11/alpha-deuxieme-partie/"),
    ]
    assert trail["@type"] == "BreadcrumbList"


def test_every_part_carries_a_breadcrumb_list(site):
    page = soup(site / "2019/11/alpha-deuxieme-partie/index.html")
    (trail,) = [d for d in json_ld_blocks(page) if d.get("@type") == "BreadcrumbList"]
    items = trail["itemListElement"]
    assert [(i["position"], i["name"], i["item"]) for i in items] == [
        (1, "Transfo", PUBLIC_URL + "/"),
        (2, "Dossiers", PUBLIC_URL + "/dossiers/"),
        (3, "Série Alpha", PUBLIC_URL + "/dossiers/serie-alpha/"),
        (4, "Alpha, deuxième partie", PUBLIC_URL + "/2019/11/alpha-deuxieme-partie/"),
    ]


def test_one_atom_feed_per_dossier(site):
    feed = feedparser.parse((site / "feeds" / "dossier-serie-alpha.atom.xml").read_bytes())
    assert not feed.bozo
    assert [e.title for e in feed.entries] == ["Alpha, deuxième partie", "Alpha, première partie"]
    # A feed reader shows the title as typed: French puts a no-break space before the colon.
    assert feed.feed.title == "Transfo · Dossier\u00a0: Série Alpha"
    beta = feedparser.parse((site / "feeds" / "dossier-serie-beta.atom.xml").read_bytes())
    assert beta.feed.subtitle == "Les parties du dossier \u00ab\u00a0Série Bêta\u00a0\u00bb"
    page = soup(site / "dossiers" / "serie-alpha" / "index.html")
    assert page.select_one('link[rel="alternate"][href$="dossier-serie-alpha.atom.xml"]')


def test_home_card_while_a_dossier_runs_and_menu_entry(site, tmp_path):
    home = soup(site / "index.html")
    assert [text(h) for h in home.select(".home-dossier__title")] == ["Série Alpha"]
    block = home.select_one(".home-dossier")
    # the parts in reading order, part 1 first, then the announced one with its date
    assert [text(n) for n in block.select(".home-dossier__number")] == ["1", "2", "3"]
    assert "À paraître le 10 décembre 2019" in text(block, " ")
    menu = [(a.get_text(), a["href"]) for a in home.select(".site-nav a")]
    assert menu.count(("Dossiers", "/dossiers/")) == 1
    assert "/rubrique/dossiers/" not in [href for _label, href in menu]
    landing = soup(site / "dossiers" / "serie-alpha" / "index.html")
    assert landing.select_one('.site-nav a[aria-current="page"]')["href"] == "/dossiers/"
    later = tmp_path / "later"
    build(later, content=DOSSIERS_CONTENT, now="2020-02-01")
    # Alpha has no end date: it runs on; Gamma has started; Bêta ended in April.
    assert [text(h) for h in soup(later / "index.html").select(".home-dossier__title")] == [
        "Série Gamma pas encore commencée", "Série Alpha"]
    spring = tmp_path / "spring"
    build(spring, content=DOSSIERS_CONTENT, now="2019-04-10")
    assert [text(h) for h in soup(spring / "index.html").select(".home-dossier__title")] == [
        "Série Bêta"]
    assert not (spring / "dossiers" / "serie-alpha").exists()
    assert (later / "dossiers" / "serie-gamma" / "index.html").is_file()
    # no feed until a first part is out: an empty feed would have nothing to date it by
    assert not (later / "feeds" / "dossier-serie-gamma.atom.xml").exists()
    assert "dossier-serie-gamma.atom.xml" not in (later / "dossiers/serie-gamma/index.html").read_text()
    assert "Partie 3/3" in soup(later / "dossiers/serie-alpha/index.html").get_text()


@pytest.mark.slow
def test_sample_keeps_the_announced_part_secret(sample_site):
    assert "avenirsecret" not in all_text(sample_site)
    page = soup(sample_site / "dossiers" / "inclusion-numerique" / "index.html")
    labels = [text(li.select_one(".card__rubric"), " ")
              for li in page.select(".dossier-parts > li")]
    assert labels == ["Partie 1/3", "Partie 2/3", "Partie 3/3 · À paraître"]
    complete = soup(sample_site / "dossiers" / "ce-que-cachent-nos-vetements" / "index.html")
    assert len(complete.select(".dossier-parts > li:not(.dossier-part--announced)")) == 3


def _broken_copy(tmp_path, name, old, new):
    content = tmp_path / "content"
    shutil.copytree(DOSSIERS_CONTENT, content)
    path = content / "articles" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return content


@pytest.mark.parametrize("name, old, new, expected", [
    ("alpha-2.md", "Dossier: serie-alpha", "Dossier: serie-alfa",
     "alpha-2.md:4: Dossier: dossier « serie-alfa » inconnu (vouliez-vous dire « serie-alpha » ?)"),
    ("alpha-2.md", "Dossier_part: 2", "Dossier_part: 1",
     "Dossier_part: partie 1 déjà attribuée à "),
    ("alpha-2.md", "Dossier_part: 2", "Dossier_part: 4",
     "alpha-3.md:5: Dossier_part: partie 3 alors qu'il n'y a pas de partie 2"),
    ("beta-c.md", "Date: 2019-04-20", "Date: 2019-05-20",
     "beta-c.md:2: Date: 2019-05-20 hors des dates du dossier « serie-beta » (du 2019-03-01 au 2019-04-30"),
])
def test_dossier_mistakes_stop_the_build_with_one_clear_line(tmp_path, name, old, new, expected):
    content = _broken_copy(tmp_path, name, old, new)
    result = build(tmp_path / "out", content=content, now="2019-11-30", check=False)
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    assert expected in result.stderr
    assert not (tmp_path / "out" / "dossiers").exists()


def test_check_task_reports_dossier_mistakes(tmp_path):
    content = _broken_copy(tmp_path, "alpha-1.md", "Dossier: serie-alpha", "Dossier: alpha")
    result = invoke("check", "--content", str(content), check=False)
    assert result.returncode == 2
    assert "dossier « alpha » inconnu (vouliez-vous dire « serie-alpha » ?)" in result.stdout


def test_a_part_with_a_broken_link_still_counts_in_its_dossier_s_numbering(tmp_path):
    """One run says everything: the gap a deleted part leaves, beside the links to it."""
    content = _broken_copy(tmp_path, "alpha-3.md", "\n\n", "\n\nVoir [la suite]({filename}alpha-absente.md).\n\n")
    (content / "articles" / "alpha-2.md").unlink()
    result = invoke("check", "--content", str(content), check=False)
    assert result.returncode == 2
    assert "alpha-3.md:5: Dossier_part: partie 3 alors qu'il n'y a pas de partie 2" in result.stdout
    assert "alpha-absente.md" in result.stdout


@pytest.mark.browser
def test_browser_follows_a_dossier_from_part_one_to_three_and_back(sample_url, page):
    page.goto(sample_url + "/dossiers/ce-que-cachent-nos-vetements/")
    page.get_by_role("link", name="Ce que cachent nos vêtements (1)", exact=False).first.click()
    assert "partie 1/3" in page.locator(".dossier-kicker").text_content()
    for number in (2, 3):
        page.locator(".dossier-nav__next a").click()
        page.wait_for_load_state()
        assert f"partie {number}/3" in page.locator(".dossier-kicker").text_content()
    assert page.locator(".dossier-nav__next").count() == 0
    assert page.locator(".dossier-nav a[aria-current='page']").inner_text().startswith(
        "Ce que cachent nos vêtements (3)")
    page.locator(".dossier-kicker a").click()
    page.wait_for_load_state()
    assert page.url == sample_url + "/dossiers/ce-que-cachent-nos-vetements/"
    assert page.locator("h1").inner_text() == "Ce que cachent nos vêtements"


@pytest.mark.browser
def test_dossier_landing_page_has_no_axe_violation(sample_url, page):
    page.goto(sample_url + "/dossiers/inclusion-numerique/")
    violations = axe_violations(page)
    assert violations == [], describe(violations)


@pytest.mark.browser
def test_dossiers_index_has_no_axe_violation(sample_url, page):
    page.goto(sample_url + "/dossiers/")
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_scaffolds_make_valid_drafts_that_name_the_dossier_once_published(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(DOSSIERS_CONTENT, content)
    created = []
    for kind, title in (("portrait", "Une coopérative qui inspire"), ("dossier-partie", "Alpha, épilogue")):
        result = invoke("new", "--kind", kind, "--title", title, "--content", str(content))
        created.append(Path(result.stdout.split("Créé : ")[1].split(" (")[0]))
    portrait, part = (path.read_text(encoding="utf-8") for path in created)
    assert "Category: Portraits" in portrait and "Region:" in portrait
    assert "Dossier: slug-du-dossier" in part and "Dossier_part: 1" in part
    assert invoke("check", "--content", str(content)).returncode == 0
    # Published as created: the empty chapô and the instructions are refused first...
    created[1].write_text(part.replace("Status: brouillon\n", ""), encoding="utf-8")
    result = invoke("check", "--content", str(content), check=False)
    assert result.returncode == 2
    assert "Summary: valeur vide" in result.stdout and "corps: commentaire laissé" in result.stdout
    # ...then, once they are done, the dossier it must name.
    done = re.sub(r"<!--.*?-->", "", part.replace("Status: brouillon\n", ""), flags=re.DOTALL)
    created[1].write_text(done.replace("Summary:\n", "Summary: Le chapô.\n"), encoding="utf-8")
    result = invoke("check", "--content", str(content), check=False)
    assert result.returncode == 2
    assert "dossier « slug-du-dossier » inconnu" in result.stdout
