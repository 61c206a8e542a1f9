"""A build into a kept output folder removes what it no longer writes (transfo_output): an article
deleted or made a draft is neither reachable nor searchable in the preview or in `output/`, and
its images go with it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from transfo_output import sweep

from tests.support import PAGEFIND_ALL_URLS, ROOT, build, copy_content, serve

NOW = "2019-11-30"
ALPHA = "2019/11/la-cooperative-alpha-ouvre-un-deuxieme-magasin/"
BETA = "2019/10/mesurer-limpact-social-un-debat-ouvert/"


def site_files(output: Path) -> list[str]:
    """Every file of the output but the search index (transfo_search keeps that one whole)."""
    return sorted(path.relative_to(output).as_posix() for path in output.rglob("*")
                  if path.is_file() and "pagefind" not in path.parts)


@pytest.mark.browser
def test_the_pages_of_a_deleted_or_drafted_article_leave_the_output_and_the_index(tmp_path, page):
    content = copy_content(tmp_path / "content")
    output = tmp_path / "output"
    build(output, content, now=NOW)
    assert (output / ALPHA / "index.html").is_file() and (output / BETA / "index.html").is_file()
    foreign = output / "2019" / "notes.html"  # put there by hand, not by a build: never removed
    foreign.write_text("<p>Notes de l’équipe</p>", encoding="utf-8")
    (content / "articles" / "cooperative-alpha.md").unlink()
    beta = content / "articles" / "analyse-beta.md"
    beta.write_text("Status: draft\n" + beta.read_text(encoding="utf-8"), encoding="utf-8")

    build(output, content, now=NOW)

    assert not (output / ALPHA).exists() and not (output / BETA).exists()
    # Their lists went with them: the rubric and the subjects only these articles had.
    for gone in ("rubrique/analyses/index.html", "sujet/impact/index.html", "sujet/cooperative/index.html"):
        assert not (output / gone).exists(), gone
    assert foreign.is_file()
    fresh = tmp_path / "fresh"
    build(fresh, content, now=NOW)
    # As from nothing: pages, feeds, calendars, images, the admin and the theme's files.
    assert site_files(output) == sorted([*site_files(fresh), "2019/notes.html"])
    assert any(name.startswith("media/") for name in site_files(fresh))
    # The build listed every file it wrote: nothing it made is left to stay by mistake.
    listed = sweep.load(sweep.record_path(ROOT / "cache" / "transfo_output", output))
    assert listed == set(site_files(output)) - {"2019/notes.html"}
    with serve(output) as url:
        page.goto(url + "/recherche/")
        indexed = page.evaluate(PAGEFIND_ALL_URLS)
    assert "/" + ALPHA not in indexed and "/" + BETA not in indexed
    assert "/2019/06/portrait-de-la-boulangerie-gamma/" in indexed


@pytest.mark.slow
def test_a_build_without_the_last_list_removes_nothing_and_says_what_it_left(tmp_path):
    """The cache deleted, the output kept: the build cannot tell an older build's files from files put
    there by hand, removes none, and says how many it left and how to start from an empty folder."""
    content = copy_content(tmp_path / "content")
    output = tmp_path / "output"
    build(output, content, now=NOW)
    sweep.record_path(ROOT / "cache" / "transfo_output", output).unlink()  # this folder's list (`invoke build`)
    (content / "articles" / "cooperative-alpha.md").unlink()
    result = build(output, content, now=NOW)
    assert (output / ALPHA / "index.html").is_file()  # left in place
    logged = re.sub(r"\S+\.py:\d+", " ", result.stdout + result.stderr)  # the log's right column
    said = " ".join(logged.split())
    assert re.search(r"Sortie : \d+ fichier\(s\) que cette construction n'a pas écrits restent", said), said
    assert f"{ALPHA}index.html" in said.replace(" ", "") and "invoke rebuild" in said


@pytest.mark.slow
def test_every_file_of_the_sample_site_is_on_its_build_s_list(sample_site):
    """A file a plugin writes around Pelican's writer and `transfo_common.files` is on no list, so no
    later build would ever remove it. The sample site runs every plugin; the search index aside."""
    listed = sweep.load(sweep.record_path(ROOT / "cache" / "transfo_output", sample_site))
    assert listed is not None and "index.html" in listed
    assert sweep.unlisted(sample_site, listed, ("pagefind",)) == []
