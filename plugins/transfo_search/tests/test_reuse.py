"""Reusing the last Pagefind index: the fingerprint, the record, and build_index's decision."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from transfo_search import reuse
from transfo_search.indexing import build_index, searchable_pages, shard_of

PAGE = ('<!DOCTYPE html><html lang="fr-BE"><head><title>{title}</title>{robots}</head>'
        '<body><article data-pagefind-body><h1>{title}</h1><p>{text}</p></article></body></html>')
TOOL = [["pagefind==1.5.2"], [], []]
OPTIONS = ["--silent"]


def page(title, text, noindex=False):
    robots = '<meta name="robots" content="noindex">' if noindex else ""
    return PAGE.format(title=title, text=text, robots=robots)


@pytest.fixture
def site(tmp_path):
    output = tmp_path / "output"
    for path, html in {"a/index.html": page("A", "boulangers"), "b/index.html": page("B", "maraîchers"),
                       "close.html": page("C", "clos", noindex=True)}.items():
        (output / path).parent.mkdir(parents=True, exist_ok=True)
        (output / path).write_text(html, encoding="utf-8")
    return output


def site_fingerprint(output, tool=TOOL, options=OPTIONS, bundle="pagefind"):
    pages = searchable_pages(output, bundle)
    return reuse.fingerprint(((p.path, p.digest) for p in pages), bundle, options, tool)


def test_fingerprint_is_stable_and_ignores_order_and_mtimes(site):
    before = site_fingerprint(site)
    os.utime(site / "a" / "index.html", ns=(1, 1))
    (site / "b" / "index.html").write_bytes((site / "b" / "index.html").read_bytes())
    assert site_fingerprint(site) == before
    pairs = [("a", "1"), ("b", "2")]
    assert reuse.fingerprint(pairs, "pagefind", OPTIONS, TOOL) == \
        reuse.fingerprint(reversed(pairs), "pagefind", OPTIONS, TOOL)


@pytest.mark.parametrize("change", ["edit", "same-size edit", "add", "remove", "noindex", "index",
                                    "non-searchable only"])
def test_fingerprint_follows_the_indexed_pages(site, change):
    before = site_fingerprint(site)
    a = site / "a" / "index.html"
    if change == "edit":
        a.write_text(page("A", "boulangères"), encoding="utf-8")
    elif change == "same-size edit":
        stat = a.stat()
        a.write_text(page("A", "boulangerz"), encoding="utf-8")
        os.utime(a, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime
    elif change == "add":
        (site / "c.html").write_text(page("N", "nouveau"), encoding="utf-8")
    elif change == "remove":
        a.unlink()
    elif change == "noindex":
        a.write_text(page("A", "boulangers", noindex=True), encoding="utf-8")
    elif change == "index":
        (site / "close.html").write_text(page("C", "clos"), encoding="utf-8")
    elif change == "non-searchable only":
        (site / "close.html").write_text(page("C", "toujours clos", noindex=True), encoding="utf-8")
        (site / "style.css").write_text("body{}", encoding="utf-8")
        assert site_fingerprint(site) == before  # Pagefind would get the same pages
        return
    assert site_fingerprint(site) != before


def test_fingerprint_follows_pagefind_and_its_options(site):
    before = site_fingerprint(site)
    assert site_fingerprint(site, tool=[["pagefind==1.6.0"], [], []]) != before
    assert site_fingerprint(site, options=["--silent", "--force-language", "fr"]) != before
    assert site_fingerprint(site, bundle="index") != before


def test_tool_identity_reads_configuration_and_environment(tmp_path):
    plain = reuse.tool_identity(tmp_path, {})
    assert any(version.startswith("pagefind_bin==") for version in plain[0])
    (tmp_path / "pagefind.yml").write_text("exclude_selectors: ['nav']\n", encoding="utf-8")
    configured = reuse.tool_identity(tmp_path, {})
    assert configured != plain
    assert reuse.tool_identity(tmp_path, {"PAGEFIND_KEEP_INDEX_URL": "true"}) != configured


def test_record_is_per_output_folder(tmp_path):
    assert reuse.record_path(tmp_path, tmp_path / "a") != reuse.record_path(tmp_path, tmp_path / "b")
    assert reuse.record_path(tmp_path, tmp_path / "a").parent == tmp_path


def test_a_broken_record_is_no_record(tmp_path):
    (tmp_path / "r.json").write_text("{pas du json", encoding="utf-8")
    assert reuse.load_record(tmp_path / "r.json") is None
    assert reuse.load_record(tmp_path / "absent.json") is None
    assert not reuse.is_current(None, "x", tmp_path)


def fragments(bundle):
    return {path.name for path in (bundle / "fragment").iterdir()}


def test_build_index_reruns_pagefind_only_when_needed(site, tmp_path):
    cache = tmp_path / "cache"
    bundle = site / "pagefind" / "0"
    assert build_index(site, "pagefind", cache).ran
    first = reuse.bundle_manifest(bundle)
    assert len(fragments(bundle)) == 2

    # Nothing changed, or a page rewritten with the same bytes: the index is kept.
    (site / "a" / "index.html").write_bytes((site / "a" / "index.html").read_bytes())
    report = build_index(site, "pagefind", cache)
    assert (report.ran, report.pages) == (False, 2)
    assert reuse.bundle_manifest(bundle) == first

    # A page edited: Pagefind runs again and the new word is in the index.
    (site / "a" / "index.html").write_text(page("A", "fromagers"), encoding="utf-8")
    assert build_index(site, "pagefind", cache).ran
    assert reuse.bundle_manifest(bundle) != first

    # A page closed (noindex): it leaves the index.
    (site / "b" / "index.html").write_text(page("B", "maraîchers", noindex=True), encoding="utf-8")
    report = build_index(site, "pagefind", cache)
    assert (report.ran, report.pages) == (True, 1)
    assert len(fragments(bundle)) == 1
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["fr-be"]["page_count"] == 1


def many_pages(output, count):
    for number in range(count):
        path = output / f"{2010 + number % 10}" / f"article-{number}" / "index.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page(f"Article {number}", f"mot{number} coopérative"), encoding="utf-8")


def part_manifests(bundle):
    return {part.name: reuse.bundle_manifest(part) for part in bundle.iterdir() if part.is_dir()}


def test_an_edited_page_reindexes_only_its_part(tmp_path):
    output, cache = tmp_path / "output", tmp_path / "cache"
    many_pages(output, 24)
    report = build_index(output, "pagefind", cache, per_shard=6)
    assert (report.pages, report.parts, report.rebuilt) == (24, 4, 4)
    shards = json.loads((output / "pagefind" / "shards.json").read_text(encoding="utf-8"))["shards"]
    assert sorted(shards) == sorted(f"{name}/" for name in part_manifests(output / "pagefind"))
    counts = [json.loads((output / "pagefind" / name / "pagefind-entry.json").read_text(encoding="utf-8"))
              ["languages"]["fr-be"]["page_count"] for name in shards]
    assert sum(counts) == 24  # every page in exactly one part
    before = part_manifests(output / "pagefind")

    edited = output / "2013" / "article-3" / "index.html"
    edited.write_text(page("Article 3", "mot3 corrigé"), encoding="utf-8")
    report = build_index(output, "pagefind", cache, per_shard=6)
    assert (report.parts, report.rebuilt) == (4, 1)
    after = part_manifests(output / "pagefind")
    changed = [name for name in before if before[name] != after[name]]
    assert changed == [str(shard_of("2013/article-3/index.html", 4))]

    # Fewer pages, fewer parts: the split changes, every part is redone, none is left over.
    for number in range(6, 24):
        shutil.rmtree(output / f"{2010 + number % 10}" / f"article-{number}")
    report = build_index(output, "pagefind", cache, per_shard=6)
    assert (report.pages, report.parts) == (6, 1)
    assert sorted(path.name for path in (output / "pagefind").iterdir()) == ["0", "shards.json"]


@pytest.mark.parametrize("damage", ["delete bundle", "delete file", "edit file", "extra file"])
def test_a_damaged_bundle_is_rebuilt(site, tmp_path, damage):
    cache = tmp_path / "cache"
    bundle = site / "pagefind" / "0"
    build_index(site, "pagefind", cache)
    intact = reuse.bundle_manifest(bundle)
    fragment = sorted((bundle / "fragment").iterdir())[0]
    if damage == "delete bundle":
        shutil.rmtree(bundle)
    elif damage == "delete file":
        fragment.unlink()
    elif damage == "edit file":
        fragment.write_bytes(b"abime")
    else:
        (bundle / "fragment" / "autre.pf_fragment").write_bytes(b"x")
    assert build_index(site, "pagefind", cache).ran
    assert set(reuse.bundle_manifest(bundle)) == set(intact)
    assert not build_index(site, "pagefind", cache).ran


def test_a_failed_run_leaves_no_record_of_its_part(site, tmp_path, monkeypatch):
    from transfo_search import indexing

    cache = tmp_path / "cache"
    build_index(site, "pagefind", cache)
    (site / "a" / "index.html").write_text(page("A", "fromagers"), encoding="utf-8")
    monkeypatch.setattr(indexing, "pagefind_command", lambda site, bundle: ["false"])
    with pytest.raises(indexing.IndexingError):
        build_index(site, "pagefind", cache)
    assert reuse.load_record(reuse.record_path(cache, site)) == {}
    monkeypatch.undo()
    (site / "a" / "index.html").write_text(page("A", "boulangers"), encoding="utf-8")  # back as indexed
    assert build_index(site, "pagefind", cache).ran  # never trusts a bundle it did not finish


def test_pages_are_linked_not_read(tmp_path):
    from transfo_search.indexing import link_or_copy

    source = tmp_path / "a.html"
    source.write_text("x", encoding="utf-8")
    link_or_copy(source, tmp_path / "copy" / "a.html")
    assert (tmp_path / "copy" / "a.html").read_text(encoding="utf-8") == "x"
    assert source.stat().st_nlink == 2


def test_records_of_removed_output_folders_are_pruned(site, tmp_path):
    cache = tmp_path / "cache"
    other = tmp_path / "other"
    shutil.copytree(site, other)
    build_index(other, "pagefind", cache)
    shutil.rmtree(other)
    build_index(site, "pagefind", cache)  # each run drops the records of folders gone since
    record = reuse.record_path(cache, site)
    assert sorted(path.name for path in cache.iterdir()) == sorted([record.name, record.with_suffix(".for").name])


def test_the_index_is_made_in_the_background_and_its_failure_fails_the_build(site, tmp_path, monkeypatch):
    from types import SimpleNamespace

    from transfo_common import background
    from transfo_search import indexing, plugin

    pelican = SimpleNamespace(output_path=str(site), settings={"CACHE_PATH": str(tmp_path / "cache")})
    plugin.index_site(pelican)
    plugin.finish_index(pelican)
    assert (site / "pagefind" / "shards.json").is_file()

    (site / "a" / "index.html").write_text(page("A", "fromagers"), encoding="utf-8")
    monkeypatch.setattr(indexing, "pagefind_command", lambda site, bundle: ["false"])
    plugin.index_site(pelican)
    with pytest.raises(indexing.IndexingError):
        plugin.finish_index(pelican)
    background.wait()  # nothing left for the next build


def test_an_index_a_failed_build_left_does_not_fail_the_next_build(site, tmp_path, monkeypatch, caplog):
    from types import SimpleNamespace

    from transfo_search import indexing, plugin

    pelican = SimpleNamespace(output_path=str(site), settings={"CACHE_PATH": str(tmp_path / "cache")})
    monkeypatch.setattr(indexing, "pagefind_command", lambda site, bundle: ["false"])
    plugin.index_site(pelican)  # the build then fails elsewhere, before anyone waits for the index
    plugin.start_clean(pelican)  # the next build
    assert "n'a pas abouti" in caplog.text
    monkeypatch.undo()
    plugin.index_site(pelican)
    plugin.finish_index(pelican)
    assert (site / "pagefind" / "shards.json").is_file()
