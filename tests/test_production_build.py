"""The production configuration: absolute URLs under the site's path, no warning."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from tests.support import ROOT, html_files, invoke

pytestmark = pytest.mark.publish

SITE = "https://www.economiesociale.be/transfo"


def test_production_links_stay_under_the_site_path(tmp_path):
    output = tmp_path / "prod"
    # preview = the publish configuration with warnings fatal, into a folder of our choice
    invoke("preview", "--output", str(output), "--now", "2019-11-30")
    offenders = []
    for path in html_files(output):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for tag, attr in (("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"),
                          ("source", "srcset"), ("img", "srcset"), ("form", "action")):
            for element in page.find_all(tag):
                value = element.get(attr)
                if value and value.startswith("/") and not value.startswith("//"):
                    offenders.append(f"{path.relative_to(output)}: <{tag} {attr}={value}>")
    assert offenders == []
    home = BeautifulSoup((output / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.select_one('link[rel="canonical"]')["href"] == SITE + "/"
    assert home.select_one('link[rel="stylesheet"]')["href"].startswith(SITE + "/")
    assert (ROOT / "publishconf.py").read_text().count("TRANSFO_NOW = None") == 1
