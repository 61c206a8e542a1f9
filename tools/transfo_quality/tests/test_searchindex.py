"""The search index a publish writes beside its gate: made by the real Pagefind, checked as a build's."""

from __future__ import annotations

from pathlib import Path

import pytest
from pelican.settings import read_settings
from transfo_promotions.api import PromotionLeakError
from transfo_quality import searchindex, staging

ROOT = Path(__file__).resolve().parents[3]
PAGE = ('<!DOCTYPE html><html lang="fr"><head><title>Bilan</title></head><body><main data-pagefind-body>'
        "<h1>Bilan</h1><p>{}</p></main></body></html>")


def test_the_index_written_beside_is_the_pages_index_and_refused_once_they_change(tmp_path):
    page = tmp_path / "build" / "2019" / "bilan" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(PAGE.format("La coopérative ouvre un deuxième magasin."), encoding="utf-8")
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={"CACHE_PATH": str(tmp_path / "cache")})
    stray = tmp_path / "root" / searchindex.FOLDER / "ancien-index"
    stray.mkdir(parents=True)  # left by a bundle folder renamed since

    index = searchindex.start(tmp_path / "build", tmp_path / "root", settings,
                              staging.folder_digests(tmp_path / "build"))
    assert index is not None
    digests, seconds = index.finish()
    assert not stray.exists()
    assert "pagefind/pagefind.js" in digests and all(index.covers(name) for name in digests)
    assert index.outside("2019/bilan/index.html") and seconds > 0
    assert (index.folder / "pagefind" / "pagefind-entry.json").is_file()

    # Digests that are not those of the pages (a page changed after they were taken): the index is
    # made under them, so it may hold text no page shows; its check, in the same thread, refuses it.
    stale = {**staging.folder_digests(tmp_path / "build"), "2019/bilan/index.html": "0" * 64}
    index = searchindex.start(tmp_path / "build", tmp_path / "root", settings, stale)
    assert index is not None
    with pytest.raises(PromotionLeakError) as caught:
        index.finish()
    assert "index fait d'une autre version des pages (2019/bilan/index.html)" in str(caught.value)


def test_a_site_without_search_writes_no_index(tmp_path):
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={"TRANSFO_SEARCH_ENABLED": False})
    assert searchindex.start(tmp_path / "build", tmp_path / "root", settings, {}) is None
    assert not (tmp_path / "root").exists()
