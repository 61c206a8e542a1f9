"""The quality gate on real builds: the sample site passes it, a damaged copy does not."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from transfo_quality import checks
from transfo_quality.gate import Changes, run_gate
from transfo_quality.verdicts import Verdicts

from tests.support import FIXTURE_CONTENT, ROOT, invoke

pytestmark = pytest.mark.publish

PUBLIC_URL = "http://127.0.0.1:8000"  # pelicanconf.py's PUBLIC_URL: the development build's absolute links


@pytest.mark.browser
def test_the_sample_site_passes_the_whole_gate(sample_site, browser):
    report = run_gate(sample_site, ("", PUBLIC_URL), axe_base=PUBLIC_URL, browser=browser)
    print(report.summary())  # the weight table, shown with pytest -s
    assert report.ok, report.summary()
    families = report.families.values()
    for page in ("index.html", "404.html", "recherche/index.html", "rubrique/actualites/index.html"):
        assert page in families
    assert any(page.startswith("2019/") for page in families)  # an article
    assert all(weight.text_bytes > 0 for _, weight in report.weights)
    home = dict((weight.page, weight) for _, weight in report.weights)["index.html"]
    assert home.scripts == 0
    assert checks.feed_files(sample_site)  # the feeds were there to be parsed back


def test_a_damaged_copy_fails_with_one_line_per_problem(fixture_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(fixture_site, site)
    article = site / "2019/11/la-cooperative-alpha-ouvre-un-deuxieme-magasin/index.html"
    html = article.read_text(encoding="utf-8")
    html = html.replace("</main>", '<a href="/rubrique/inconnue/">x</a><p style="color: red">y</p>'
                                   '<script>alert(1)</script><div><span></div></main>', 1)
    html = html.replace("</head>", '<script type="application/ld+json">{"@type": </script></head>', 1)
    article.write_text(html, encoding="utf-8")
    for folder in ("images", "media"):  # originals, and the image pipeline's variants
        shutil.rmtree(site / folder, ignore_errors=True)
    feed = next(site.rglob("*.atom.xml"))
    feed.write_text(feed.read_text(encoding="utf-8")[:200], encoding="utf-8")
    report = run_gate(site, ("", PUBLIC_URL))
    text = "\n".join(report.problems)
    page = "2019/11/la-cooperative-alpha-ouvre-un-deuxieme-magasin/index.html"
    assert f"{page} : lien cassé vers « /rubrique/inconnue/ »" in text
    assert re.search(r"lien cassé vers « /(images|media)/alpha", text)
    assert f"{page} : 1 script(s) en ligne" in text and f'{page} : 1 attribut(s) style="…"' in text
    assert re.search(rf"{re.escape(page)} : bloc JSON-LD n° \d illisible", text)  # after the page's own NewsArticle
    assert f"{feed.relative_to(site).as_posix()} : XML illisible" in text
    assert f"{page} : charge du JavaScript" in text  # an article must need no script
    assert f"{page}:" in text and "HTML invalide" in text  # vnu


def test_invoke_quality_refuses_what_no_build_lets_through(fixture_site, tmp_path):
    """A folder filled or copied by hand: a PHP file, the promotions' data file (budgets)."""
    site = tmp_path / "site"
    shutil.copytree(fixture_site, site)
    (site / "shell.php").write_text("<?php system($_GET['c']); ?>", encoding="utf-8")
    shutil.copy(ROOT / "content" / "promotions" / "promotions.csv", site / "promotions.csv")
    result = invoke("quality", "--site", str(site), "--content", str(FIXTURE_CONTENT), "--now", "2019-11-30",
                    "--no-axe", check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"{site.as_posix()}/shell.php: type de fichier: « .php » n'est pas un type de fichier web" in result.stdout
    assert f"{site.as_posix()}/promotions.csv: fuite: le fichier interne des promotions" in result.stdout
    assert "Contrôle qualité échoué : 2 problème(s)." in result.stderr


AXE_BASE = "https://www.economiesociale.be/transfo"
PAGE = ('<!DOCTYPE html><html lang="fr-BE"><head><meta charset="utf-8"><title>{title}</title>'
        '<link rel="stylesheet" href="/transfo/static/css/site.css"></head>'
        '<body class="{family}"><main id="main"><h1>{title}</h1><p>Un texte lisible.</p>{extra}</main></body></html>')
READABLE = "body { color: #111; background: #fff }"
PALE = "body { color: #ddd; background: #fff }"  # far below the contrast WCAG asks for


def write_site(site: Path, stylesheet: str) -> Changes:
    """Two pages of two families (one with an image without text alternative), their stylesheet;
    every file changed, as in a publish from nothing."""
    files = {"index.html": PAGE.format(title="Accueil", family="home", extra=""),
             "2019/11/x/index.html": PAGE.format(title="Article", family="article-page",
                                                 extra='<img src="/transfo/static/img/photo.png">'),
             "static/css/site.css": stylesheet}
    for path, text in files.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(text, encoding="utf-8")
    digests = {path: hashlib.sha256((site / path).read_bytes()).hexdigest() for path in files}
    return Changes(digests, frozenset(digests))


def axe_run_and_problems(site: Path, changes: Changes, verdicts: Verdicts, browser) -> tuple[int, list[str]]:
    report = run_gate(site, (AXE_BASE,), validate=False, axe_base=AXE_BASE, changes=changes, verdicts=verdicts,
                      browser=browser)
    return report.axe_run, sorted(problem.split(" -> ")[0] for problem in report.problems if "accessibilité" in problem)


def test_a_page_judged_before_as_it_is_takes_its_verdict_from_the_cache_failures_included(tmp_path, browser):
    site, verdicts = tmp_path / "site", Verdicts(tmp_path / "cache")
    changes = write_site(site, READABLE)
    first = axe_run_and_problems(site, changes, verdicts, browser)
    assert first == (2, ["2019/11/x/index.html : accessibilité : image-alt (critical) "
                         "Images must have alternative text"])
    assert axe_run_and_problems(site, changes, verdicts, browser) == (0, first[1])  # no Chromium, the same failure
    # The same pages under a stylesheet that makes their text pale: judged again, both fail now.
    paler = write_site(site, PALE)
    runs, problems = axe_run_and_problems(site, paler, verdicts, browser)
    assert runs == 2 and sum("color-contrast" in problem for problem in problems) == 2, problems
