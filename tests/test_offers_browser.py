"""Offers in Debian's Chromium: from the listing to an offer, and axe-core on both."""

from __future__ import annotations

import pytest

from tests.support import axe_violations, build, describe, open_menu, serve
from tests.test_offers import offers_content

pytestmark = [pytest.mark.browser, pytest.mark.shared_tab]


@pytest.fixture(scope="module")
def offers_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("offers-browser")
    content = offers_content(root / "content")
    build(root / "out", content=content, now="2019-11-30")
    with serve(root / "out") as url:
        yield url


def test_from_the_menu_to_a_kind_to_an_offer(page, offers_url):
    page.goto(offers_url + "/")
    open_menu(page)
    page.get_by_role("link", name="Emplois & appels").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Offres ouvertes"
    assert page.locator('.site-nav a[aria-current="page"]').inner_text() == "Emplois & appels"
    page.locator(".offer-kinds a", has_text="Emplois").click()
    page.wait_for_load_state()
    assert page.url.endswith("/offres/emploi/")
    assert page.locator("h1").inner_text() == "Emplois"
    first = page.locator(".offer-card").first
    title = first.locator(".offer-card__title").inner_text()
    assert first.locator(".offer-card__deadline").inner_text() == "Clôture dans 3 jours"
    first.locator(".offer-card__title a").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == title
    assert page.get_by_role("heading", name="Comment postuler").is_visible()
    assert page.locator(".offer-banner").count() == 0


def test_a_closed_offer_says_so(page, offers_url):
    page.goto(offers_url + "/offres/emploi-pourvu/")
    banner = page.locator(".offer-banner")
    assert "Offre clôturée" in banner.inner_text()
    banner.get_by_role("link", name="Voir les offres ouvertes").click()
    page.wait_for_load_state()
    assert page.url.endswith("/offres/")


@pytest.mark.parametrize("path", ["/offres/", "/offres/stage/", "/offres/emploi-ouvert/",
                                  "/offres/emploi-expire/", "/"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_reports_no_violation_on_offer_pages(reading_tab, offers_url, path, scheme):
    page = reading_tab(scheme=scheme)
    page.goto(offers_url + path)
    violations = axe_violations(page)
    assert violations == [], describe(violations)
