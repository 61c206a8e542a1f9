"""Rebuilds reuse the Pagefind index when no searchable page changed, and redo it when one did."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys

import pytest

from tests.support import PAGEFIND_SEARCH, ROOT, copy_content, serve

pytestmark = [pytest.mark.slow, pytest.mark.browser]

RAN = "indexée(s) par Pagefind"  # "… N partie(s) indexée(s) par Pagefind"
KEPT = "index Pagefind conservé sans relancer Pagefind"
NEW_WORD = "zythologuesolidaire"
ARTICLE = "/2019/11/la-cooperative-alpha-ouvre-un-deuxieme-magasin/"


def verbose_build(content, output) -> str:
    """`invoke build --verbose`; its log on one line per record (wide console, no wrapping)."""
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "build", "--content", str(content), "--output", str(output),
         "--now", "2019-11-30", "--verbose"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, env={**os.environ, "COLUMNS": "500"})
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def bundle_files(output):
    return {path.relative_to(output).as_posix(): path.read_bytes()
            for path in (output / "pagefind").rglob("*") if path.is_file()}


def pages_and_words(output) -> dict:
    """The bundle's fragments (one per page) and index chunks (the words), with their bytes."""
    return {name: data for name, data in bundle_files(output).items() if "/fragment/" in name or "/index/" in name}


def indexed_text(output) -> str:
    return "\n".join(gzip.decompress(path.read_bytes()).decode("utf-8")
                     for path in (output / "pagefind").glob("*/fragment/*"))


def test_pagefind_reruns_only_when_a_searchable_page_changes(tmp_path, page):
    content = copy_content(tmp_path / "content")
    output = tmp_path / "output"
    assert RAN in verbose_build(content, output)
    first = bundle_files(output)
    first_pages_and_words = pages_and_words(output)

    # No change at all: Pagefind does not run (transfo_perf may even skip the whole build).
    log = verbose_build(content, output)
    assert RAN not in log
    assert bundle_files(output) == first

    # A draft edited: the site is rebuilt but no written page changes, so the index is kept.
    draft = content / "articles" / "brouillon.md"
    draft.write_text(draft.read_text(encoding="utf-8") + "\nUne phrase de plus.\n", encoding="utf-8")
    log = verbose_build(content, output)
    assert KEPT in log and RAN not in log
    assert bundle_files(output) == first

    # One article edited: Pagefind runs again and the new word is found.
    article = content / "articles" / "cooperative-alpha.md"
    original = article.read_text(encoding="utf-8")
    article.write_text(original + f"\nUn mot neuf : {NEW_WORD}.\n", encoding="utf-8")
    log = verbose_build(content, output)
    assert RAN in log and KEPT not in log
    assert NEW_WORD in indexed_text(output)
    with serve(output) as url:
        page.goto(url + "/recherche/")
        page.wait_for_selector(".search__form", state="visible")
        urls = [data["url"] for data in page.evaluate(PAGEFIND_SEARCH, NEW_WORD)]
    assert urls == [ARTICLE]

    # The word taken out again: the part is indexed again, keeping the fragments of the unchanged
    # pages, and the fragment that held the word is no longer published. Fragments and index
    # chunks are then those of the first build, byte for byte (Pagefind's filter files are not:
    # it writes their entries in another order at each run, even from nothing).
    article.write_text(original, encoding="utf-8")
    assert RAN in verbose_build(content, output)
    assert NEW_WORD not in indexed_text(output)
    assert pages_and_words(output) == first_pages_and_words
