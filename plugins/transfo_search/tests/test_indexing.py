"""The search plugin's pure parts: which pages are searchable, settings, the index itself."""

from __future__ import annotations

import gzip
import json
import os

import pytest
from transfo_search.indexing import (
    IndexReport,
    ScannedPage,
    base_url,
    build_index,
    is_searchable,
    pages_glob,
    partition,
    searchable_pages,
    shard_count,
    shard_of,
)
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


@pytest.mark.parametrize("head, searchable", [
    ('<meta content="noindex" name=robots>', False),           # any attribute order, unquoted
    ("<META NAME='Robots' CONTENT='nofollow,noindex'>", False),
    ('<meta name="robots" content="index, follow">', True),
    ('<meta name="description" content="noindex dans le texte">', True),
    ('<!-- <meta name="robots" content="noindex"> -->', True),  # commented out
])
def test_only_a_robots_meta_saying_noindex_counts(head, searchable):
    assert is_searchable(f"<html><head>{head}</head><body>x</body></html>") is searchable


def test_only_the_head_is_read_for_noindex():
    body = '<p>Exemple : <code>&lt;meta name="robots" content="noindex"&gt;</code></p>'
    assert is_searchable(f"<html><head><title>T</title></head><body>{body}</body></html>")
    assert is_searchable('<head></head><body><meta name="robots" content="noindex"></body>')


def test_scan_page_reads_in_chunks(tmp_path):
    """Marks that straddle chunk boundaries are still found; the hash is the file's."""
    import hashlib

    from transfo_search import indexing

    filler = "x" * (indexing._CHUNK - 10)
    html = (f'<html><head><title>{filler}</title><meta name="robots" content="noindex"></head>'
            f'<body>{filler}<article data-pagefind-body>t</article></body></html>')
    path = tmp_path / "long.html"
    path.write_text(html, encoding="utf-8")
    scanned = indexing.scan_page(path, "long.html")
    assert (scanned.searchable, scanned.has_body) == (False, True)
    assert scanned.digest == hashlib.sha256(html.encode()).hexdigest()


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
    assert [page.path for page in searchable_pages(tmp_path, "pagefind")] == ["a/index.html"]


def test_pages_without_a_body_mark_are_not_given_to_pagefind(tmp_path):
    (tmp_path / "a.html").write_text(page("A", "article"), encoding="utf-8")
    (tmp_path / "liste.html").write_text("<html><head></head><body><ul><li>A</li></ul></body></html>",
                                         encoding="utf-8")
    assert [page.path for page in searchable_pages(tmp_path, "pagefind")] == ["a.html"]


def test_build_index_writes_a_fresh_bundle(tmp_path):
    (tmp_path / "ouverte").mkdir()
    (tmp_path / "ouverte" / "index.html").write_text(page("Ouverte", "boulangers"), encoding="utf-8")
    (tmp_path / "close.html").write_text(page("Close", "motcache", noindex=True), encoding="utf-8")
    stale = tmp_path / "pagefind" / "fragment" / "old.pf_fragment"  # an older single-bundle layout
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    assert build_index(tmp_path, "pagefind") == IndexReport(pages=1, parts=1, rebuilt=1)
    bundle = tmp_path / "pagefind"
    assert json.loads((bundle / "shards.json").read_text()) == {"shards": ["0/"]}
    assert (bundle / "0" / "pagefind.js").is_file()
    assert not list((bundle / "0").glob("pagefind-*ui.*"))  # ready-made interfaces the theme does not use
    assert not stale.parent.exists()
    entry = json.loads((bundle / "0" / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["fr-be"]
    assert entry["languages"]["fr-be"]["page_count"] == 1


def test_parts_are_stable_and_even():
    paths = [f"{year}/{month:02}/article-{n}/index.html" for year in range(2012, 2020)
             for month in range(1, 13) for n in range(20)]
    assert [shard_of(path, 8) for path in paths] == [shard_of(path, 8) for path in paths]
    sizes = [sum(shard_of(path, 8) == part for path in paths) for part in range(8)]
    assert min(sizes) > len(paths) / 8 * 0.8 and max(sizes) < len(paths) / 8 * 1.2


@pytest.mark.parametrize("pages, expected", [(0, 1), (1, 1), (300, 1), (301, 2), (2201, 8), (20000, 16)])
def test_number_of_parts(pages, expected):
    assert shard_count(pages, per_shard=300, most=16) == expected


def test_partition_leaves_out_empty_parts():
    pages = [ScannedPage(f"p{n}.html", "d", True, True) for n in range(3)]
    parts = partition(pages, 50)
    assert sum(len(group) for group in parts.values()) == 3
    assert all(group for group in parts.values())
    assert list(parts) == sorted(parts, key=int)


@pytest.mark.parametrize("key, value", [
    ("TRANSFO_SEARCH_URL", "/recherche"),
    ("TRANSFO_SEARCH_BUNDLE", "a/b"),
    ("TRANSFO_SEARCH_NAV_ORDER", "90"),
    ("TRANSFO_SEARCH_REUSE_INDEX", "oui"),
    ("TRANSFO_SEARCH_CACHE_PATH", 3),
    ("TRANSFO_SEARCH_PAGES_PER_SHARD", 0),
    ("TRANSFO_SEARCH_MAX_SHARDS", "8"),
])
def test_bad_settings_name_their_key(key, value):
    with pytest.raises(SearchSettingsError, match=key):
        read_settings({key: value})


def test_default_settings():
    settings = read_settings({})
    assert (settings.url, settings.save_as, settings.bundle) == ("recherche/", "recherche/index.html", "pagefind")


def test_the_index_record_lives_in_the_cache_unless_reuse_is_off(tmp_path):
    assert read_settings({"CACHE_PATH": str(tmp_path)}).cache_path == tmp_path / "transfo_search"
    assert read_settings({"TRANSFO_SEARCH_CACHE_PATH": str(tmp_path / "x")}).cache_path == tmp_path / "x"
    assert read_settings({"CACHE_PATH": str(tmp_path), "TRANSFO_SEARCH_REUSE_INDEX": False}).cache_path is None


def test_pagefind_is_told_exactly_which_pages_to_read():
    pages = [ScannedPage("2019/11/a/index.html", "d", True, True), ScannedPage("b.html", "d", True, True)]
    assert pages_glob(pages) == "{2019/11/a/index.html,b.html}"
    assert pages_glob([ScannedPage("a,b.html", "d", True, True)]) is None  # a glob character
    many = [ScannedPage(f"2019/11/{'x' * 90}-{n}/index.html", "d", True, True) for n in range(1000)]
    assert pages_glob(many) is None  # longer than one command-line argument may be


def test_pages_a_glob_cannot_name_are_indexed_through_links(tmp_path):
    (tmp_path / "a, b").mkdir()
    (tmp_path / "a, b" / "index.html").write_text(page("Virgule", "boulangers"), encoding="utf-8")
    (tmp_path / "simple.html").write_text(page("Simple", "maraîchers"), encoding="utf-8")
    (tmp_path / "close.html").write_text(page("Close", "motcache", noindex=True), encoding="utf-8")
    for per_shard in (1, 10):  # parts of one page each (one needs links), then one part with both
        report = build_index(tmp_path, "pagefind", per_shard=per_shard)
        assert (report.pages, report.rebuilt) == (2, report.parts)
        names = json.loads((tmp_path / "pagefind" / "shards.json").read_text())["shards"]
        fragments = [path for name in names for path in (tmp_path / "pagefind" / name / "fragment").iterdir()]
        assert len(fragments) == 2
        text = " ".join(gzip.decompress(path.read_bytes()).decode("utf-8") for path in fragments)
        assert "boulangers" in text and "maraîchers" in text and "motcache" not in text


def test_a_settled_page_is_not_read_again_but_a_rewritten_one_is(tmp_path, monkeypatch):
    from transfo_common import files
    from transfo_search import indexing

    for name in ("a.html", "b.html"):
        (tmp_path / name).write_text(page(name, "texte"), encoding="utf-8")
        os.utime(tmp_path / name, ns=(1, 1))  # settled long ago (the change time is now, though)
    read = []
    real_scan = indexing.scan_page
    monkeypatch.setattr(indexing, "scan_page",
                        lambda path, relative: read.append(relative) or real_scan(path, relative))
    monkeypatch.setattr(files, "SETTLED_NS", 0)
    first = searchable_pages(tmp_path, "pagefind")
    assert sorted(read) == ["a.html", "b.html"]
    read.clear()
    assert searchable_pages(tmp_path, "pagefind") == first and read == []
    (tmp_path / "b.html").write_text(page("b.html", "texte, noindex", noindex=True), encoding="utf-8")
    assert [p.path for p in searchable_pages(tmp_path, "pagefind")] == ["a.html"] and read == ["b.html"]


def test_a_page_changed_just_before_a_scan_is_read_again_at_the_next(tmp_path, monkeypatch):
    from transfo_search import indexing

    (tmp_path / "a.html").write_text(page("A", "texte"), encoding="utf-8")
    read = []
    real_scan = indexing.scan_page
    monkeypatch.setattr(indexing, "scan_page",
                        lambda path, relative: read.append(relative) or real_scan(path, relative))
    searchable_pages(tmp_path, "pagefind")
    searchable_pages(tmp_path, "pagefind")
    assert read == ["a.html", "a.html"]  # not settled: its identity is not trusted yet
