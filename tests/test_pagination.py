"""Listings paginate with numeric URLs and rel prev/next links."""

from __future__ import annotations

from bs4 import BeautifulSoup

from tests.support import build, copy_content


def test_rubric_tag_and_archive_pages_paginate(tmp_path):
    content = copy_content(tmp_path / "content")
    for number in range(1, 31):
        (content / "articles" / f"serie-{number:02d}.md").write_text(
            f"Title: Brève numéro {number}\nDate: 2018-01-{number:02d} 10:00\n"
            f"Category: Actualités\nTags: brèves\nSummary: La brève {number}.\n\nTexte.\n",
            encoding="utf-8",
        )
    output = tmp_path / "output"
    build(output, content=content)
    rubric_two = output / "rubrique" / "actualites" / "page" / "2" / "index.html"
    assert rubric_two.is_file()
    assert (output / "rubrique" / "actualites" / "page" / "3" / "index.html").is_file()
    assert (output / "sujet" / "breves" / "page" / "3" / "index.html").is_file()
    assert (output / "archives" / "page" / "2" / "index.html").is_file()
    page = BeautifulSoup(rubric_two.read_text(encoding="utf-8"), "html.parser")
    assert page.select_one('.pagination a[rel="prev"]')["href"] == "/rubrique/actualites/"
    assert page.select_one('.pagination a[rel="next"]')["href"] == "/rubrique/actualites/page/3/"
    assert "Page 2 sur 3" in page.select_one(".pagination").get_text()
    assert len(page.select(".card")) == 12
