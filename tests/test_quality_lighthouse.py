"""Lighthouse 12 (package.json) with Debian's Chromium on every template of the site."""

from __future__ import annotations

import json

import pytest
from transfo_quality.lighthouse import (
    MINIMUM,
    LighthouseError,
    format_scores,
    median_scores,
    page_path,
    pages_scores,
    run_lighthouse,
    score_problems,
    serve_folder,
)

from tests.support import ROOT, copy_content, invoke

pytestmark = [pytest.mark.publish, pytest.mark.browser]

# Every template of the site (issue 23): home, article, dossier, part, portraits, portrait,
# agenda, event, offers, offer, search, 404.
PAGES = ["index.html", "2019/01/le-fournil-partage-la-boulangerie-qui-appartient-a-ses-clients/index.html",
         "dossiers/ce-que-cachent-nos-vetements/index.html",
         "2019/05/ce-que-cachent-nos-vetements-2-la-seconde-vie-des-textiles/index.html",
         "portraits/index.html",
         "2019/08/samira-haddouche-cheffe-et-formatrice-en-cuisine-on-apprend-a-se-relever/index.html",
         "agenda/index.html", "agenda/marche-de-noel-solidaire-mons-2019/index.html",
         "offres/index.html", "offres/developpeur-web-cooperative-codeco/index.html",
         "recherche/index.html", "404.html"]


@pytest.mark.quiet
def test_lighthouse_scores_reach_the_publish_threshold(sample_site, sample_url):
    urls = {page: f"{sample_url}/{page_path(page)}" for page in PAGES}
    by_url = pages_scores(list(urls.values()))
    scores = {page: by_url[url] for page, url in urls.items()}
    print(format_scores(scores))  # shown with pytest -s
    # The 404 page says noindex on purpose: Lighthouse's SEO category counts that against it.
    assert score_problems(scores) == [f"404.html : Lighthouse seo {scores['404.html']['seo']} < 0.95"], \
        format_scores(scores)
    assert MINIMUM == 0.95


def test_a_page_that_does_not_load_fails_by_its_address(tmp_path, monkeypatch):
    (tmp_path / "site").mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    with serve_folder(tmp_path / "site") as base, pytest.raises(LighthouseError, match=rf"{base}/absente/ : .*404"):
        run_lighthouse([f"{base}/absente/"])
    assert list((tmp_path / "tmp").iterdir()) == []  # Chromium's singleton folder left nothing behind


def test_a_page_measured_again_keeps_each_category_median():
    runs = [{"performance": 0.89, "accessibility": 1.0, "best-practices": None, "seo": 0.66},
            {"performance": 0.99, "accessibility": 1.0, "best-practices": 1.0, "seo": 0.66},
            {"performance": 0.96, "accessibility": 0.98, "best-practices": None, "seo": 0.66}]
    assert median_scores(runs) == {"performance": 0.96, "accessibility": 1.0, "best-practices": None, "seo": 0.66}


def test_low_scores_are_reported_per_page_and_category():
    scores = {"index.html": {"performance": 0.94, "accessibility": 1.0, "best-practices": None, "seo": 1.0}}
    assert score_problems(scores) == [
        "index.html : Lighthouse performance 0.94 < 0.95",
        "index.html : Lighthouse best-practices absent < 0.95",
    ]


# Its publish is gated on Lighthouse's performance score, which follows the machine's load: beside
# the other worker's builds, on a slow machine, the home page scored 0.91 (threshold 0.95; 5 December 2026).
@pytest.mark.quiet
def test_publish_measures_the_staging_release_itself_and_only_when_the_theme_changed(tmp_path):
    """No second build with local addresses: the release's own https links reach 127.0.0.1."""
    content = copy_content(tmp_path / "content", ROOT / "tests" / "fixtures" / "publish" / "content")
    root = tmp_path / "public"
    first = invoke("publish", "--root", str(root), "--content", str(content), "--report", str(tmp_path / "1.json"))
    assert json.loads((tmp_path / "1.json").read_text(encoding="utf-8"))["lighthouse"]  # never ran before
    assert "Lighthouse (performance" in first.stdout and "index.html" in first.stdout
    assert 'href="https://www.economiesociale.be/transfo/' in (root / "current" / "index.html").read_text(
        encoding="utf-8")
    assert any("lighthouse" in json.loads(line) for line in (root / "history.jsonl").read_text().splitlines())
    article = content / "articles" / "analyse-epsilon.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nUne phrase de plus.\n", encoding="utf-8")
    second = invoke("publish", "--root", str(root), "--content", str(content), "--report", str(tmp_path / "2.json"))
    assert json.loads((tmp_path / "2.json").read_text(encoding="utf-8"))["lighthouse"] is None  # theme unchanged
    assert "Lighthouse (performance" not in second.stdout

