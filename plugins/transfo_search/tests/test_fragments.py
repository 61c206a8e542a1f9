"""Fragments of unchanged pages are kept, and the part is exactly the one Pagefind makes from nothing."""

from __future__ import annotations

import shutil

import pytest
from transfo_search import fragments, indexing
from transfo_search.indexing import build_index

from .test_reuse import page


@pytest.fixture
def site(tmp_path):
    output = tmp_path / "output"
    for number in range(6):
        path = output / f"p{number}" / "index.html"
        path.parent.mkdir(parents=True)
        path.write_text(page(f"Page {number}", f"texte numéro {number} sur les coopératives"), encoding="utf-8")
    return output


def bundle_files(bundle):
    """Every file with its bytes. Comparable across runs because these pages have no filters:
    Pagefind writes the entries of its filter files in a different order at each run."""
    return {path.relative_to(bundle).as_posix(): path.read_bytes()
            for path in sorted(bundle.rglob("*")) if path.is_file()}


def runs(monkeypatch):
    """The Pagefind runs of the next builds (a fallback from nothing would make two for one part)."""
    made = []
    real = indexing._pagefind
    monkeypatch.setattr(indexing, "_pagefind", lambda *args: made.append(args[1].name) or real(*args))
    return made


@pytest.mark.parametrize("change", ["edit", "add", "remove", "edit and remove"])
def test_an_index_made_again_is_the_one_made_from_nothing(site, tmp_path, monkeypatch, change):
    cache = tmp_path / "cache"
    build_index(site, "pagefind", cache)
    unchanged = next(path for path in (site / "pagefind" / "0" / "fragment").iterdir()
                     if fragments.fragment_url(path) == "/p0/")
    inode = unchanged.stat().st_ino
    if "edit" in change:
        (site / "p1" / "index.html").write_text(page("Page 1", "un texte tout neuf"), encoding="utf-8")
    if change == "add":
        (site / "p9" / "index.html").parent.mkdir()
        (site / "p9" / "index.html").write_text(page("Page 9", "une page de plus"), encoding="utf-8")
    if "remove" in change:
        shutil.rmtree(site / "p2")
    made = runs(monkeypatch)
    assert build_index(site, "pagefind", cache).ran
    assert made == ["0"]  # one run, no fallback from nothing

    fresh = tmp_path / "fresh"
    shutil.copytree(site, fresh, ignore=shutil.ignore_patterns("pagefind"))
    build_index(fresh, "pagefind", None)
    assert bundle_files(site / "pagefind") == bundle_files(fresh / "pagefind")
    assert len(list((site / "pagefind" / "0" / "fragment").iterdir())) == len(list(site.glob("p[0-9]*")))
    assert not list((site / "pagefind").glob(".*"))  # the previous bundle is gone
    assert unchanged.stat().st_ino == inode  # an unchanged page's fragment is the very file, not written again


def test_fragments_a_page_no_longer_has_are_never_published(site, tmp_path):
    cache = tmp_path / "cache"
    build_index(site, "pagefind", cache)
    (site / "p1" / "index.html").write_text(page("Page 1", "texte corrigé"), encoding="utf-8")
    build_index(site, "pagefind", cache)
    urls = [fragments.fragment_url(path) for path in (site / "pagefind" / "0" / "fragment").iterdir()]
    assert sorted(urls) == [f"/p{number}/" for number in range(6)]


def test_an_unknown_address_rule_falls_back_to_an_index_made_from_nothing(site, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    build_index(site, "pagefind", cache)
    (site / "p1" / "index.html").write_text(page("Page 1", "texte corrigé"), encoding="utf-8")
    monkeypatch.setattr(fragments, "page_url", lambda path: "/" + path)  # as with PAGEFIND_KEEP_INDEX_URL
    made = runs(monkeypatch)
    build_index(site, "pagefind", cache)
    assert made == ["0", "0"]
    fresh = tmp_path / "fresh"
    shutil.copytree(site, fresh, ignore=shutil.ignore_patterns("pagefind"))
    build_index(fresh, "pagefind", None)
    assert bundle_files(site / "pagefind") == bundle_files(fresh / "pagefind")


def test_a_bundle_touched_by_hand_is_not_reused_for_its_fragments(site, tmp_path):
    cache = tmp_path / "cache"
    build_index(site, "pagefind", cache)
    fragment = next((site / "pagefind" / "0" / "fragment").iterdir())
    fragment.write_bytes(b"abime")
    (site / "p1" / "index.html").write_text(page("Page 1", "texte corrigé"), encoding="utf-8")
    build_index(site, "pagefind", cache)
    assert fragment.read_bytes() != b"abime" or not fragment.exists()
