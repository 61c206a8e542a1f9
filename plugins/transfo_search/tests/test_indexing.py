"""The search plugin's parts with a real Pagefind: the input key, the store of indexes and its
reuse across output folders, the check the leak check relies on, settings, failures."""

from __future__ import annotations

import os
import shutil
from types import SimpleNamespace

import pytest
from transfo_common import background
from transfo_search import plugin, store
from transfo_search.indexing import (
    IndexingError,
    base_url,
    build_index,
    incomplete,
    index_problems,
    input_key,
    site_pages,
    tool_identity,
)
from transfo_search.settings import SearchSettingsError, read_settings

PAGE = ('<!DOCTYPE html><html lang="fr-BE"><head><title>{title}</title></head>'
        '<body><nav>Menu commun</nav><article{mark}><h1>{title}</h1><p>{text}</p></article></body></html>')
TOOL = [["pagefind==1.5.2"], []]


def page(title, text, indexable=True):
    return PAGE.format(title=title, text=text, mark=" data-pagefind-body" if indexable else "")


def write_site(output, pages):
    for path, html in pages.items():
        (output / path).parent.mkdir(parents=True, exist_ok=True)
        (output / path).write_text(html, encoding="utf-8")
    return output


@pytest.fixture
def site(tmp_path):
    return write_site(tmp_path / "output", {
        "a/index.html": page("A", "boulangers"), "b/index.html": page("B", "maraîchers"),
        "tag/x/index.html": page("Liste", "boulangers maraîchers", indexable=False)})


def bundle_bytes(output):
    return {path.relative_to(output).as_posix(): path.read_bytes()
            for path in (output / "pagefind").rglob("*") if path.is_file()}


def test_base_url_follows_siteurl_path():
    assert base_url("") == "/"
    assert base_url("https://transfo.be") == "/"
    assert base_url("https://exemple.org/transfo/") == "/transfo/"


def test_the_input_key_follows_pages_and_tool_not_order_or_dates(site):
    pages = site_pages(site, "pagefind")
    assert sorted(pages) == ["a/index.html", "b/index.html", "tag/x/index.html"]
    key = input_key(pages, TOOL)
    assert input_key(dict(reversed(pages.items())), TOOL) == key
    os.utime(site / "a" / "index.html", (1, 1))
    assert input_key(site_pages(site, "pagefind"), TOOL) == key
    assert input_key(pages, [["pagefind==1.5.3"], []]) != key
    (site / "tag" / "x" / "index.html").write_text(page("Liste", "autre"), encoding="utf-8")
    assert input_key(site_pages(site, "pagefind"), TOOL) != key  # every page Pagefind reads counts
    (site / "pagefind").mkdir()
    (site / "pagefind" / "playground.html").write_text("<p>x</p>", encoding="utf-8")
    assert "pagefind/playground.html" not in site_pages(site, "pagefind")


def test_tool_identity_reads_versions_and_pagefind_variables():
    versions, variables = tool_identity({"PAGEFIND_SITE": "x", "HOME": "/h"})
    assert "pagefind==1.5.2" in versions and variables == [["PAGEFIND_SITE", "x"]]


def test_an_index_of_the_same_pages_is_reused_in_another_output_folder(site, tmp_path, monkeypatch):
    """Keyed by the pages, not by the folder: staging, previews and the live site share entries."""
    cache = tmp_path / "cache"
    monkeypatch.chdir(tmp_path)
    assert build_index(site, "pagefind", cache).ran
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cache", "output"]  # nothing in the working folder
    first = bundle_bytes(site)
    assert "pagefind/pagefind.js" in first and not [name for name in first if "-ui." in name]
    other = tmp_path / "staging"
    shutil.copytree(site, other, ignore=shutil.ignore_patterns("pagefind"))
    report = build_index(other, "pagefind", cache)
    assert (report.ran, report.pages) == (False, 3)
    assert bundle_bytes(other) == first
    mtimes = {path: path.stat().st_mtime_ns for path in (other / "pagefind").rglob("*")}
    assert not build_index(other, "pagefind", cache).ran
    assert {path: path.stat().st_mtime_ns for path in (other / "pagefind").rglob("*")} == mtimes  # untouched


def test_the_digests_a_publish_already_made_stand_for_reading_the_pages(site, tmp_path):
    """A publish hashes its whole build folder before the index: those digests (other files and an
    old bundle's among them) give the index of the pages hashed here, and a page whose digest
    differs is one Pagefind has not indexed yet."""
    cache = tmp_path / "cache"
    build_index(site, "pagefind", cache)
    (site / "style.css").write_text("body {}", encoding="utf-8")
    files = {**site_pages(site, "pagefind"), "style.css": "c" * 64, "pagefind/pagefind.js": "d" * 64}
    report = build_index(site, "pagefind", cache, into=tmp_path / "beside", files=files)
    assert (report.ran, report.pages) == (False, 3)
    assert index_problems(site, "pagefind", cache, into=tmp_path / "beside") == []
    assert build_index(site, "pagefind", cache, files={**files, "a/index.html": "e" * 64}).ran


def test_an_index_cut_short_is_told_from_a_whole_one(site, tmp_path):
    """Pagefind's service is stopped by SIGTERM after answering: an entry file cut mid-write must
    not go into the store (it would be published and reused)."""
    build_index(site, "pagefind", tmp_path / "cache")
    bundle = site / "pagefind"
    assert incomplete(bundle) is None
    entry = bundle / "pagefind-entry.json"
    entry.write_bytes(entry.read_bytes()[:20])
    assert "pagefind-entry.json" in incomplete(bundle)
    entry.unlink()
    assert "pagefind-entry.json" in incomplete(bundle)
    (bundle / "pagefind.js").unlink()
    assert "pagefind.js" in incomplete(bundle)


def test_a_changed_page_makes_a_new_index_without_the_old_text(site, tmp_path):
    cache = tmp_path / "cache"
    build_index(site, "pagefind", cache)
    first = bundle_bytes(site)
    (site / "a" / "index.html").write_text(page("A", "fromagers"), encoding="utf-8")
    assert build_index(site, "pagefind", cache).ran
    assert bundle_bytes(site) != first
    assert index_problems(site, "pagefind", cache) == []
    (site / "a" / "index.html").write_text(page("A", "boulangers"), encoding="utf-8")
    assert not build_index(site, "pagefind", cache).ran  # the first entry is still in the store
    assert bundle_bytes(site) == first


def test_reuse_off_runs_pagefind_every_time(site, tmp_path):
    build_index(site, "pagefind", tmp_path / "cache")
    assert build_index(site, "pagefind", tmp_path / "cache", reuse=False).ran


@pytest.mark.parametrize("damage", ["truncate", "remove", "add"])
def test_a_damaged_entry_is_made_again(site, tmp_path, damage):
    cache = tmp_path / "cache"
    build_index(site, "pagefind", cache)
    first = bundle_bytes(site)
    [entry] = [path for path in cache.iterdir() if not path.name.startswith(".")]
    target = entry / store.BUNDLE / "pagefind.js"
    if damage == "truncate":
        target.write_bytes(target.read_bytes()[:10])
    elif damage == "remove":
        target.unlink()
    else:
        (entry / store.BUNDLE / "extra.js").write_text("1", encoding="utf-8")
    assert build_index(site, "pagefind", cache).ran
    # Made again (Pagefind may write its filter entries in another order: names, not all bytes).
    assert sorted(bundle_bytes(site)) == sorted(first)
    assert bundle_bytes(site)["pagefind/pagefind.js"] == first["pagefind/pagefind.js"]
    assert index_problems(site, "pagefind", cache) == [] and not build_index(site, "pagefind", cache).ran


def test_the_store_keeps_the_entries_used_last_or_within_the_hour(tmp_path):
    cache = tmp_path / "cache"
    for number in range(store.KEEP + 2):
        output = write_site(tmp_path / f"out{number}", {"a/index.html": page("A", f"mot{number}")})
        build_index(output, "pagefind", cache)
    assert len(store.records(cache)) == store.KEEP + 2  # all used within the hour
    for entry, _record in store.records(cache)[2:]:
        os.utime(entry / store.RECORD, (1, 1))  # used long ago
    store.prune(cache)
    assert len(store.records(cache)) == store.KEEP == len(list(cache.iterdir()))


def test_a_failed_run_records_nothing_and_leaves_the_published_index(site, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    build_index(site, "pagefind", cache)
    first = bundle_bytes(site)
    (site / "a" / "index.html").write_text(page("A", "fromagers"), encoding="utf-8")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-pagefind"))  # Pagefind's documented variable
    with pytest.raises(IndexingError, match="Pagefind a échoué"):
        build_index(site, "pagefind", cache)
    assert len(store.records(cache)) == 1 and not list(cache.glob(".*"))
    assert bundle_bytes(site) == first
    assert index_problems(site, "pagefind", cache) != []  # the leak check refuses the stale index


def test_the_index_is_vouched_for_only_when_made_from_the_pages_there(site, tmp_path):
    cache = tmp_path / "cache"
    assert index_problems(site, "pagefind", cache) == []  # no index, nothing to vouch for
    build_index(site, "pagefind", cache)
    assert index_problems(site, "pagefind", cache) == []
    (site / "b" / "index.html").write_text(page("B", "corrigé"), encoding="utf-8")
    (site / "c.html").write_text(page("C", "nouveau"), encoding="utf-8")
    [problem] = index_problems(site, "pagefind", cache)
    assert "autre version des pages (b/index.html, c.html)" in problem
    build_index(site, "pagefind", cache)
    (site / "pagefind" / "pagefind-entry.json").write_text("{}", encoding="utf-8")  # touched by hand
    [problem] = index_problems(site, "pagefind", cache)
    assert problem.startswith("index qui n'est pas celui que la construction a écrit")
    assert index_problems(site, "pagefind", tmp_path / "empty-cache") == [problem]


@pytest.mark.parametrize("key, value", [
    ("TRANSFO_SEARCH_URL", "/recherche"),
    ("TRANSFO_SEARCH_BUNDLE", "a/b"),
    ("TRANSFO_SEARCH_NAV_ORDER", "90"),
    ("TRANSFO_SEARCH_REUSE_INDEX", "oui"),
    ("TRANSFO_SEARCH_CACHE_PATH", 3),
])
def test_bad_settings_name_their_key(key, value):
    with pytest.raises(SearchSettingsError, match=key):
        read_settings({key: value})


def test_default_settings(tmp_path):
    settings = read_settings({"CACHE_PATH": str(tmp_path)})
    assert (settings.url, settings.save_as, settings.bundle) == ("recherche/", "recherche/index.html", "pagefind")
    assert (settings.cache_path, settings.reuse) == (tmp_path / "transfo_search", True)
    assert read_settings({"TRANSFO_SEARCH_CACHE_PATH": str(tmp_path / "x")}).cache_path == tmp_path / "x"


def test_the_index_is_made_in_the_background_and_its_failure_fails_the_build(site, tmp_path, monkeypatch):
    pelican = SimpleNamespace(output_path=str(site), settings={"CACHE_PATH": str(tmp_path / "cache")})
    plugin.index_site(pelican)
    plugin.finish_index(pelican)
    assert (site / "pagefind" / "pagefind.js").is_file()

    (site / "a" / "index.html").write_text(page("A", "fromagers"), encoding="utf-8")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-pagefind"))
    plugin.index_site(pelican)
    with pytest.raises(IndexingError):
        plugin.finish_index(pelican)
    background.wait()  # nothing left for the next build


def test_an_index_a_failed_build_left_does_not_fail_the_next_build(site, tmp_path, monkeypatch, caplog):
    pelican = SimpleNamespace(output_path=str(site), settings={"CACHE_PATH": str(tmp_path / "cache")})
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-pagefind"))
    plugin.index_site(pelican)  # the build then fails elsewhere, before anyone waits for the index
    plugin.start_clean(pelican)  # the next build
    assert "n'a pas abouti" in caplog.text
    monkeypatch.undo()
    plugin.index_site(pelican)
    plugin.finish_index(pelican)
    assert (site / "pagefind" / "pagefind.js").is_file()


def test_the_index_is_made_from_a_thread_that_runs_an_event_loop(site, tmp_path):
    """An asyncio server, or Playwright's synchronous API, may call the build from a running loop.

    The loop runs in a thread of its own: this worker's main thread may already hold one (that of
    Playwright's synchronous API, opened by an earlier browser test), where asyncio.run refuses."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    async def build_inside_a_loop():
        return build_index(site, "pagefind", tmp_path / "cache")

    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(asyncio.run, build_inside_a_loop()).result().ran
    assert (site / "pagefind" / "pagefind.js").is_file()


def test_an_entry_made_meanwhile_by_a_build_beside_is_kept_not_replaced(tmp_path):
    """Two builds of the same pages at once: Pagefind's files differ from run to run, and the
    first build may already have published its index; the second takes the entry as it is."""
    pages = {"index.html": "0" * 64}

    def index(text: str):
        def write(folder):
            folder.mkdir(parents=True)
            (folder / "pagefind-entry.json").write_text(text, encoding="utf-8")
        return write

    def second_build_meanwhile(folder):
        store.make(tmp_path, "key", pages, index("beside"))
        index("late")(folder)

    record = store.make(tmp_path, "key", pages, second_build_meanwhile)
    assert store.load(tmp_path / "key") == record
    assert (tmp_path / "key" / store.BUNDLE / "pagefind-entry.json").read_text(encoding="utf-8") == "beside"
    shutil.rmtree(tmp_path / "key" / store.BUNDLE)  # a damaged entry is replaced
    assert store.make(tmp_path, "key", pages, index("again")) == store.load(tmp_path / "key")
