"""The search plugin's pure parts: which pages are searchable, settings, the index itself."""

from __future__ import annotations

import json

import pytest

from transfo_search.indexing import base_url, build_index, is_searchable, searchable_pages
from transfo_search.settings import SearchSettingsError, read_settings

PAGE = ('<!DOCTYPE html><html lang="fr-BE"><head><title>{title}</title>{robots}</head>'
        '<body><nav>Menu commun</nav><article data-pagefind-body><h1>{title}</h1><p>{text}</p></article></body></html>')


def page(title, text, noindex=False):
    robots = '<meta name="robots" content="noindex">' if noindex else ""
    return PAGE.format(title=title, text=text, robots=robots)


def test_noindex_pages_are_not_searchable():
    assert is_searchable(page("Offre ouverte", "texte"))
    assert not is_searchable(page("Offre clôturée", "texte", noindex=True))
    assert not is_searchable('<meta name="ROBOTS" content="NOINDEX, follow">')


def test_base_url_follows_siteurl_path():
    assert base_url("") == "/"
    assert base_url("https://www.economiesociale.be/transfo") == "/transfo/"
    assert base_url("https://example.org/") == "/"


def test_searchable_pages_skip_noindex_and_the_bundle(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(page("A", "ouvert"), encoding="utf-8")
    (tmp_path / "ferme.html").write_text(page("F", "clos", noindex=True), encoding="utf-8")
    (tmp_path / "pagefind").mkdir()
    (tmp_path / "pagefind" / "x.html").write_text(page("P", "x"), encoding="utf-8")
    assert [path for path, _ in searchable_pages(tmp_path, "pagefind")] == ["a/index.html"]


def test_build_index_writes_a_fresh_bundle(tmp_path):
    (tmp_path / "ouverte").mkdir()
    (tmp_path / "ouverte" / "index.html").write_text(page("Ouverte", "boulangers"), encoding="utf-8")
    (tmp_path / "close.html").write_text(page("Close", "motcache", noindex=True), encoding="utf-8")
    stale = tmp_path / "pagefind" / "fragment" / "old.pf_fragment"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    assert build_index(tmp_path, "pagefind") == 1
    bundle = tmp_path / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    assert not stale.exists()
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["fr-be"]
    assert entry["languages"]["fr-be"]["page_count"] == 1


@pytest.mark.parametrize("key, value", [
    ("TRANSFO_SEARCH_URL", "/recherche"),
    ("TRANSFO_SEARCH_BUNDLE", "a/b"),
    ("TRANSFO_SEARCH_NAV_ORDER", "90"),
])
def test_bad_settings_name_their_key(key, value):
    with pytest.raises(SearchSettingsError, match=key):
        read_settings({key: value})


def test_default_settings():
    settings = read_settings({})
    assert (settings.url, settings.save_as, settings.bundle) == ("recherche/", "recherche/index.html", "pagefind")
