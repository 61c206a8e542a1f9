"""Search on the sample site, in Chromium: French stemming, filters, no leaks, no-JS fallback, and
exactly the public content pages in the index."""

from __future__ import annotations

import pytest

from tests.support import (
    PAGEFIND_ALL_URLS,
    PAGEFIND_SEARCH,
    ROOT,
    axe_violations,
    build_with_settings,
    describe,
    serve,
    soup,
)

pytestmark = [pytest.mark.browser, pytest.mark.shared_tab]

ARTICLE = "/2019/01/le-fournil-partage-la-boulangerie-qui-appartient-a-ses-clients/"


def open_search(page, url):
    page.goto(url + "/recherche/")
    page.wait_for_selector(".search__form", state="visible")


def search(page, words):
    page.fill("#search-query", words)
    page.wait_for_function(
        "q => document.querySelector('.search__status').textContent.includes(q)", arg=words)
    return page.eval_on_selector_all(".search-result__title a", "links => links.map(a => a.pathname)")


def test_an_inflected_french_word_finds_the_article(page, sample_url):
    open_search(page, sample_url)
    # The text says "façonnent"; the reader types the infinitive.
    assert ARTICLE in search(page, "façonner")
    result = page.locator(".search-result", has=page.locator(f'a[href="{ARTICLE}"]'))
    assert result.locator(".search-result__title").inner_text().startswith("Le Fournil partagé")
    assert result.locator(".search-result__date").inner_text() == "29 janvier 2019"
    assert result.locator(".search-result__kind").text_content().endswith("Portraits")
    assert result.locator("mark").count() >= 1
    image = result.locator("img")
    image.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    assert "q=fa%C3%A7onner" in page.url  # the address can be shared


@pytest.mark.parametrize("word, source", [
    ("brouillonsecret", "a draft"),
    ("avenirsecret", "an article scheduled after the build date"),
])
def test_unpublished_words_are_not_in_the_index(page, sample_url, word, source):
    open_search(page, sample_url)
    search(page, word)
    contents = [data["content"].lower() for data in page.evaluate(PAGEFIND_SEARCH, word)]
    assert not [text for text in contents if word in text], f"{source} leaked into the index"


def test_filters_narrow_results_by_rubric(page, sample_url):
    open_search(page, sample_url)
    options = page.eval_on_selector_all("#search-rubric option", "os => os.map(o => o.value)")
    assert "Portraits" in options and "Actualités" in options
    assert "Article" in page.eval_on_selector_all("#search-type option", "os => os.map(o => o.value)")
    search(page, "coopérative")
    page.select_option("#search-rubric", "Portraits")
    page.wait_for_function("() => [...document.querySelectorAll('.search-result__kind')]"
                           ".every(k => k.textContent.endsWith('Portraits'))")
    assert page.locator(".search-result").count() >= 1


def test_the_search_page_is_accessible_with_results(page, sample_url):
    open_search(page, sample_url)
    search(page, "coopérative")
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_without_javascript_the_page_explains_and_links_to_rubrics(browser, sample_url):
    context = browser.new_context(java_script_enabled=False, locale="fr-BE")
    page = context.new_page()
    page.goto(sample_url + "/recherche/")
    assert page.locator(".search__form").is_hidden()
    assert "La recherche a besoin de JavaScript" in page.locator(".search__nojs").inner_text()
    links = page.eval_on_selector_all(".search__nojs a", "links => links.map(a => a.pathname)")
    assert "/rubrique/actualites/" in links and "/rubrique/analyses/" in links
    context.close()


def test_the_search_page_is_in_the_menu_but_not_a_result(page, sample_site, sample_url):
    home = (sample_site / "index.html").read_text(encoding="utf-8")
    assert 'href="/recherche/"' in home
    search_page = (sample_site / "recherche" / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" not in search_page  # listings, home and search page are not results
    open_search(page, sample_url)
    assert "/recherche/" not in search(page, "JavaScript")


# Which built pages are search results (docs/recherche.md): the content of the page kinds, unless
# the page is noindex (closed offers). Never: the home, listings by rubric, tag, author, region,
# sector or date, their further pages, the agenda and offer lists, the 404, the search page,
# the editing interface.
CONTENT_KINDS = {"article-page", "event-page", "offer-page", "dossier-page", "newsletter-page"}
PAGES = {"a-propos/index.html"}  # the Pelican pages of both sites (page.html sets no body class)


def search_marks(site):
    """{page path: (holds data-pagefind-body, body class, asks noindex)} for every page of a built site."""
    marks = {}
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        if relative.startswith("pagefind/"):
            continue
        page = soup(path)
        robots = page.find("meta", attrs={"name": "robots"})
        marks[relative] = (page.find(attrs={"data-pagefind-body": True}) is not None,
                           " ".join(page.body.get("class", [])),
                           robots is not None and "noindex" in robots.get("content", ""))
    return marks


def address(path):
    return "/" + path.removesuffix("index.html")


def assert_marks_and_index_agree(site, page):
    """Only public content pages carry the mark, and the index holds exactly those pages
    (asked through Pagefind's own JavaScript)."""
    marks = search_marks(site)
    marked = {path for path, (mark, _kind, _noindex) in marks.items() if mark}
    expected = {path for path, (_mark, kind, noindex) in marks.items()
                if (kind in CONTENT_KINDS or path in PAGES) and not noindex}
    assert marked == expected
    for path in ("404.html", "index.html", "recherche/index.html", "admin/index.html"):
        assert not marks[path][0], path
    assert not [path for path in marked if path.startswith(("sujet/", "rubrique/", "auteur/", "archives/"))]
    with serve(site) as url:
        open_search(page, url)
        indexed = page.evaluate(PAGEFIND_ALL_URLS)
    assert sorted(indexed) == sorted(address(path) for path in marked)
    return marks


def test_the_index_holds_exactly_the_public_content_pages(page, sample_site):
    marks = assert_marks_and_index_agree(sample_site, page)
    closed = [path for path, (_mark, kind, noindex) in marks.items() if kind == "offer-page" and noindex]
    assert len(closed) == 2 and not [path for path in closed if marks[path][0]]
    assert sum(mark for mark, _kind, _noindex in marks.values()) > 30


@pytest.mark.slow
def test_further_pages_of_lists_are_not_results(page, tmp_path):
    """The sample with two items per list page: its further list pages carry no mark and are not
    in the index, which holds exactly the content pages."""
    output = tmp_path / "out"
    result = build_with_settings(tmp_path, 'DEFAULT_PAGINATION = 2\nPAGINATED_TEMPLATES = {**PAGINATED_TEMPLATES, '
                                 '"archives": 2}', output, ROOT / "content")
    assert result.returncode == 0, result.stderr
    further = [path for path in search_marks(output) if "/page/" in f"/{path}" or path.startswith("page/")]
    assert len(further) >= 3
    marks = assert_marks_and_index_agree(output, page)
    assert not [path for path in further if marks[path][0]]


@pytest.mark.slow
def test_a_build_told_not_to_index_writes_none_and_drops_an_earlier_one(tmp_path):
    """`invoke publish` builds with TRANSFO_SEARCH_IN_BUILD = False and indexes beside its gate:
    its build folder must not keep an index that an earlier build wrote for other pages."""
    output = tmp_path / "out"
    (output / "pagefind").mkdir(parents=True)
    (output / "pagefind" / "pagefind.js").write_text("// écrit par une construction plus ancienne\n")
    result = build_with_settings(tmp_path, "TRANSFO_SEARCH_IN_BUILD = False", output)
    assert result.returncode == 0, result.stderr
    assert (output / "recherche" / "index.html").is_file() and not (output / "pagefind").exists()
