"""Related reading under every article, checked on a fixture whose order is known."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from tests.support import html_files, soup


def related_titles(path):
    page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    section = page.select_one("section.related:not(.portrait-related)")
    if section is None:
        return []
    return [re.sub(r"[\u00a0\u202f]", " ", h.get_text(strip=True)) for h in section.select(".card__title")]


@pytest.fixture(scope="module")
def site(dossiers_site):
    return dossiers_site


def test_same_dossier_first_then_rarest_shared_tag_then_newest_common_tag(site):
    # alpha-2 (tags: commun, rare): its dossier's part 1 comes first, but a dossier part lists
    # the other parts above and does not repeat them; then the only other article tagged
    # "rare"; then, of the two sharing "commun", the newer.
    page = site / "2019/11/alpha-deuxieme-partie/index.html"
    assert related_titles(page) == [
        "Un article qui partage le sujet rare",
        "Analyse W, sujet commun",
    ]
    assert "Alpha, première partie" in soup(page).get_text()


def test_same_rubric_newest_first_when_nothing_else_is_shared(site):
    assert related_titles(site / "2019/10/analyse-solitaire/index.html") == [
        "Analyse W, sujet commun", "Analyse A2", "Analyse A1",
    ]


def test_scheduled_articles_are_never_related(site):
    titles = [t for path in html_files(site) for t in related_titles(path)]
    assert "Alpha, troisième partie annoncée" not in titles


def test_every_article_gets_at_most_three_never_itself(site):
    articles = [p for p in html_files(site) if re.match(r"\d{4}/\d{2}/", p.relative_to(site).as_posix())]
    assert len(articles) == 15  # the 16th, alpha-3, is scheduled
    for path in articles:
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        title = page.select_one("h1").get_text(strip=True)
        related = related_titles(path)
        assert len(related) <= 3 and title not in related
