"""The quality gate on real builds: the sample site passes it, a damaged copy does not."""

from __future__ import annotations

import re
import shutil

import pytest
from transfo_quality import checks
from transfo_quality.gate import run_gate

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
