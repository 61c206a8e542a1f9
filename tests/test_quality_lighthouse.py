"""Lighthouse 12 (package.json) with Debian's Chromium on the home, an article and the agenda."""

from __future__ import annotations

import pytest

from transfo_quality.lighthouse import MINIMUM, format_scores, page_path, run_lighthouse, score_problems

pytestmark = [pytest.mark.publish, pytest.mark.browser]

PAGES = ["index.html", "2019/01/le-fournil-partage-la-boulangerie-qui-appartient-a-ses-clients/index.html",
         "agenda/index.html"]


def test_lighthouse_scores_reach_the_publish_threshold(sample_site, sample_url):
    scores = {page: run_lighthouse(f"{sample_url}/{page_path(page)}") for page in PAGES}
    print(format_scores(scores))  # shown with pytest -s
    assert score_problems(scores) == [], format_scores(scores)
    assert MINIMUM == 0.95


def test_low_scores_are_reported_per_page_and_category():
    scores = {"index.html": {"performance": 0.94, "accessibility": 1.0, "best-practices": None, "seo": 1.0}}
    assert score_problems(scores) == [
        "index.html : Lighthouse performance 0.94 < 0.95",
        "index.html : Lighthouse best-practices absent < 0.95",
    ]
