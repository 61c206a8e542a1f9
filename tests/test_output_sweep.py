"""A build into a kept output folder removes what it no longer writes (transfo_output): an article
deleted or made a draft is neither reachable nor searchable in the preview or in `output/`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import PAGEFIND_ALL_URLS, build, copy_content, serve

pytestmark = pytest.mark.browser

NOW = "2019-11-30"
ALPHA = "2019/11/la-cooperative-alpha-ouvre-un-deuxieme-magasin/"
BETA = "2019/10/mesurer-limpact-social-un-debat-ouvert/"
WRITER_SUFFIXES = (".html", ".xml", ".ics")  # pages, feeds and calendars: what Pelican's writer writes


def written_files(output: Path) -> list[str]:
    return sorted(path.relative_to(output).as_posix() for path in output.rglob("*")
                  if path.suffix in WRITER_SUFFIXES and "pagefind" not in path.parts)


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
    assert written_files(output) == sorted([*written_files(fresh), "2019/notes.html"])  # as from nothing
    with serve(output) as url:
        page.goto(url + "/recherche/")
        indexed = page.evaluate(PAGEFIND_ALL_URLS)
    assert "/" + ALPHA not in indexed and "/" + BETA not in indexed
    assert "/2019/06/portrait-de-la-boulangerie-gamma/" in indexed
