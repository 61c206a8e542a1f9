"""Rebuilds take the Pagefind index of the same pages from the store (whatever the output folder) and
make it again when a page changed."""

from __future__ import annotations

import os
import random
import string

import pytest

from tests.support import PAGEFIND_SEARCH, copy_content, invoke, serve

pytestmark = [pytest.mark.slow, pytest.mark.browser]

RAN = "index écrit par Pagefind"
KEPT = "index Pagefind déjà fait de ces pages repris sans relancer Pagefind"
# A word of this run only: the store of indexes outlives test runs, and these pages must be new.
NEW_WORD = "zythologue" + "".join(random.choice(string.ascii_lowercase) for _ in range(10))
ARTICLE = "/2019/11/la-cooperative-alpha-ouvre-un-deuxieme-magasin/"


def verbose_build(content, output) -> str:
    """`invoke build --verbose`; its log on one line per record (wide console, no wrapping)."""
    result = invoke("build", "--content", str(content), "--output", str(output), "--now", "2019-11-30",
                    "--verbose", check=False, env={**os.environ, "COLUMNS": "500"})
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def bundle_files(output):
    return {path.relative_to(output).as_posix(): path.read_bytes()
            for path in (output / "pagefind").rglob("*") if path.is_file()}


def found(page, output, word) -> list[str]:
    """The addresses Pagefind's own JavaScript finds for `word` in the site's index."""
    with serve(output) as url:
        page.goto(url + "/recherche/")
        page.wait_for_selector(".search__form", state="visible")
        return [data["url"] for data in page.evaluate(PAGEFIND_SEARCH, word)]


def test_pagefind_reruns_only_when_a_page_changes_whatever_the_output_folder(tmp_path, page):
    content = copy_content(tmp_path / "content")
    output = tmp_path / "output"
    log = verbose_build(content, output)
    assert RAN in log or KEPT in log  # another test may have indexed these very pages already
    first = bundle_files(output)
    assert found(page, output, "coopérative")

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

    # The same site built into another folder (a publish's new staging folder): the index is
    # taken from the store, not made again.
    staging = tmp_path / "staging"
    log = verbose_build(content, staging)
    assert KEPT in log and RAN not in log
    assert bundle_files(staging) == first

    # One article edited: Pagefind runs again and the new word is found.
    article = content / "articles" / "cooperative-alpha.md"
    original = article.read_text(encoding="utf-8")
    article.write_text(original + f"\nUn mot neuf : {NEW_WORD}.\n", encoding="utf-8")
    log = verbose_build(content, output)
    assert RAN in log and KEPT not in log
    assert found(page, output, NEW_WORD) == [ARTICLE]

    # The word taken out again: these pages were indexed before, so that index comes back,
    # byte for byte, and the word is no longer found.
    article.write_text(original, encoding="utf-8")
    log = verbose_build(content, output)
    assert KEPT in log and RAN not in log
    assert bundle_files(output) == first
    assert found(page, output, NEW_WORD) == []
