"""Search on the sample site, in Chromium: French stemming, filters, no leaks, no-JS fallback."""

from __future__ import annotations

import json

import pytest

from tests.support import PAGEFIND_SEARCH, ROOT, axe_violations, describe, pagefind_page_count, serve

pytestmark = pytest.mark.browser

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


def test_the_index_holds_exactly_the_public_content_pages(sample_site):
    """Content pages (data-pagefind-body) minus those marked noindex, such as closed offers."""
    from transfo_search.indexing import BODY_MARK, is_searchable

    expected = 0
    for path in sample_site.rglob("*.html"):
        if path.relative_to(sample_site).parts[0] == "pagefind":
            continue
        html = path.read_text(encoding="utf-8")
        expected += BODY_MARK in html and is_searchable(html)
    assert pagefind_page_count(sample_site) == expected > 15


def test_an_index_in_parts_finds_what_one_index_finds(page, sample_site, tmp_path):
    """The sample split into parts of 8 pages (production: 300) gives readers the same filters and results."""
    import subprocess
    import sys

    parted = tmp_path / "output"
    subprocess.run([sys.executable, "-m", "transfo_bench.build", "transfo", "--content", str(ROOT / "content"),
                    "--output", str(parted), "--cache", str(tmp_path / "cache"), "--now", "2019-11-30",
                    "--set", "TRANSFO_SEARCH_PAGES_PER_SHARD=8"],
                   cwd=ROOT, check=True, capture_output=True, timeout=600,
                   env={"PATH": "/usr/bin:/bin"})
    parts = json.loads((parted / "pagefind" / "shards.json").read_text(encoding="utf-8"))["shards"]
    assert len(parts) >= 4
    assert pagefind_page_count(parted) == pagefind_page_count(sample_site)

    def findings(site):
        with serve(site) as url:
            open_search(page, url)
            types = page.eval_on_selector_all("#search-type option", "os => os.map(o => o.value)")
            results = {word: sorted(data["url"] for data in page.evaluate(PAGEFIND_SEARCH, word))
                       for word in ("coopérative", "emploi", "façonner", "quartier")}
        return types, results

    (types, found), (split_types, split_found) = findings(sample_site), findings(parted)
    assert split_types == types
    for word, urls in found.items():
        # Nothing is lost. A part without the exact word may widen it to the words it starts
        # (Pagefind's prefix search), so a part can add a page that has "emplois" but no "emploi".
        assert set(urls) <= set(split_found[word]), word
    assert len(found["coopérative"]) >= 5 and split_found["coopérative"] == found["coopérative"]
