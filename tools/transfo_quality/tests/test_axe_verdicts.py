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
