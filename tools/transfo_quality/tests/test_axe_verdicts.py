"""axe-core's verdicts are kept under a key naming all they depend on (the gate's use of it:
tests/test_quality.py, which needs the tests' browser)."""

from __future__ import annotations

from transfo_quality.gate import axe_key
from transfo_quality.pages import page_facts, site_bases

BASE = "https://www.economiesociale.be/transfo"
PAGE = ('<!DOCTYPE html><html lang="fr-BE"><head><meta charset="utf-8"><title>T</title>'
        '<link rel="stylesheet" href="/transfo/static/css/site.css"></head><body><main id="main"><h1>T</h1>'
        '<script src="/transfo/static/js/a.js"></script></main></body></html>')


def test_the_key_holds_the_page_its_stylesheets_and_scripts_and_where_it_is_served():
    bases = site_bases(BASE)
    facts = page_facts(PAGE)
    digests = {"index.html": "1" * 64, "static/css/site.css": "2" * 64, "static/js/a.js": "3" * 64}
    key = axe_key("index.html", facts, BASE, bases, digests)
    assert key is not None and key == axe_key("index.html", facts, BASE, bases, dict(digests))
    for changed in digests:
        assert axe_key("index.html", facts, BASE, bases, {**digests, changed: "4" * 64}) != key
    assert axe_key("index.html", facts, "https://example.org", bases, digests) != key
    # A file it loads that is not in the release: no verdict to keep, the page is judged each time.
    assert axe_key("index.html", facts, BASE, bases, {"index.html": "1" * 64, "static/css/site.css": "2" * 64}) is None


def test_the_judges_identity_names_the_chromium_installed_or_its_absence(monkeypatch, tmp_path):
    from transfo_quality import axe

    monkeypatch.setattr(axe, "CHROMIUM", str(tmp_path / "chromium"))
    axe.axe_identity.cache_clear()
    try:
        missing = axe.axe_identity()  # no error here: launching it says what is missing
        (tmp_path / "chromium").write_bytes(b"#!/bin/sh\n")
        axe.axe_identity.cache_clear()
        other = axe.axe_identity()
    finally:
        axe.axe_identity.cache_clear()
    assert missing.endswith("chromium absent") and other != missing and "absent" not in other


def test_a_verdict_on_pages_that_vanished_while_axe_ran_is_not_kept(tmp_path, monkeypatch):
    """A publish cancelled during axe deletes its staging folder: axe then judges 404 pages. That
    verdict, kept under the page's key, failed every later publish of the page (found by a pass
    sending Ctrl-C to publishes)."""
    from transfo_common.files import sha256_of_file
    from transfo_quality import gate
    from transfo_quality.gate import Report, _accessibility
    from transfo_quality.verdicts import Verdicts

    site = tmp_path / "staging"
    (site / "static" / "css").mkdir(parents=True)
    (site / "static" / "js").mkdir()
    (site / "index.html").write_text(PAGE, encoding="utf-8")
    (site / "static" / "css" / "site.css").write_text("body{}", encoding="utf-8")
    (site / "static" / "js" / "a.js").write_text("", encoding="utf-8")
    digests = {path: sha256_of_file(site / path) for path in ("index.html", "static/css/site.css", "static/js/a.js")}
    bases, facts = site_bases(BASE), {"index.html": page_facts(PAGE)}
    verdicts = Verdicts(tmp_path / "cache")

    def judged_then_gone(_site, _base, pages, browser=None):
        (site / "index.html").unlink()
        return {page: ["accessibilité : document-title (serious) …"] for page in pages}

    monkeypatch.setattr(gate, "axe_findings", judged_then_gone)
    found = _accessibility(site, BASE, ["index.html"], facts, bases, digests, verdicts, None, Report())
    assert found == ["index.html : accessibilité : document-title (serious) …"]  # this run still fails
    assert verdicts.axe_findings(axe_key("index.html", facts["index.html"], BASE, bases, digests)) is None

    (site / "index.html").write_text(PAGE, encoding="utf-8")  # as judged: kept
    monkeypatch.setattr(gate, "axe_findings", lambda _s, _b, pages, browser=None: {p: [] for p in pages})
    _accessibility(site, BASE, ["index.html"], facts, bases, digests, verdicts, None, Report())
    assert verdicts.axe_findings(axe_key("index.html", facts["index.html"], BASE, bases, digests)) == []
