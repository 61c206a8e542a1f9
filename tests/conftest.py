"""Shared fixtures: the sample site built once, served on 127.0.0.1, and Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import CHROMIUM, CHROMIUM_ARGS, ROOT, build, serve


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Path:
    """The small fixture site of tests/fixtures/site, built at 2019-11-30."""
    output = tmp_path_factory.mktemp("fixture-site")
    build(output, now="2019-11-30")
    return output


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The real sample content of content/, built with the development settings."""
    output = tmp_path_factory.mktemp("sample-site")
    build(output, content=ROOT / "content")
    return output


@pytest.fixture(scope="session")
def sample_url(sample_site):
    with serve(sample_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Browser tests need {CHROMIUM}: run 'make test', which installs it.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-BE", viewport={"width": 390, "height": 844})
    page = context.new_page()
    yield page
    context.close()
