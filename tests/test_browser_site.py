"""The sample site in Debian's Chromium: reader paths and accessibility."""

from __future__ import annotations

import pytest

from tests.support import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.shared_tab]


def test_home_article_rubric_tag_navigation(page, sample_url):
    page.goto(sample_url + "/")
    assert page.locator("html").get_attribute("lang") == "fr-BE"
    page.locator(".home-lead__more .teaser__title a").first.click()  # a plain article (the lead is a dossier part)
    page.wait_for_load_state()
    title = page.locator("h1.article__title").inner_text()
    assert title
    rubric = page.locator(".article__rubric a").text_content().strip()
    page.locator(".article__rubric a").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == rubric
    assert page.locator('.site-nav a[aria-current="page"]').inner_text() == rubric
    page.locator(".card__title a").first.click()
    page.wait_for_load_state()
    tag = page.locator(".tags a").first
    tag_name = tag.inner_text()
    tag.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == tag_name
    assert page.locator(".card").count() >= 1


def test_skip_link_moves_focus_to_main(page, sample_url):
    page.goto(sample_url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Aller au contenu"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_every_menu_link_leads_to_a_page(page, sample_url):
    page.goto(sample_url + "/")
    hrefs = page.locator(".site-nav a").evaluate_all("links => links.map(a => a.href)")
    assert hrefs
    for href in hrefs:
        response = page.goto(href)
        assert response.status == 200, href


# The home and article pages, among others, are checked by test_design_browser.py.
@pytest.mark.parametrize("path", ["/rubrique/analyses/", "/sujet/jours-fous/"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_reports_no_violation(reading_tab, sample_url, path, scheme):
    page = reading_tab(scheme=scheme)
    page.goto(sample_url + path)
    violations = axe_violations(page)
    assert violations == [], describe(violations)
