"""Shared fixtures: the sample site built once, served on 127.0.0.1, and Chromium."""

from __future__ import annotations

import fcntl
from collections import Counter
from pathlib import Path

import pytest

from tests.support import CHROMIUM, CHROMIUM_ARGS, DOSSIERS_CONTENT, ROOT, build, serve

# The modules that take longest (`pytest --durations` over make test, 5 December 2026), in that
# order. pytest-xdist hands whole modules to the workers (`--dist loadfile`); its own order (most
# tests first) sent these late: test_perf_builds (20 tests, ~5 min) started half-way through and
# test_perf_bench (one test, over a minute) ran last, alone.
# Dispatched first, they run while the many short modules fill the other worker. A module that
# is missing here or no longer slow only changes when it runs.
LONGEST_FIRST = ("tests/test_perf_builds.py", "tests/test_design_browser.py", "tests/test_publish.py",
                 "tests/test_perf_bench.py", "tests/test_quality_lighthouse.py", "tests/test_cms_browser.py",
                 "tests/test_quality.py", "tests/hostile/test_sending.py", "tests/hostile/test_images.py")


def module_of(item: pytest.Item) -> str:
    return item.nodeid.split("::", 1)[0]


def pytest_collection_modifyitems(items):
    """A test that drives Chromium is a browser test, whether or not its module says so.
    Then the longest modules first, the others by decreasing number of tests (xdist's rule,
    turned off in the Makefile so that this order holds); a module's tests keep their order."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
    tests_in = Counter(module_of(item) for item in items)

    def rank(item: pytest.Item) -> tuple[int, int]:
        module = module_of(item)
        first = LONGEST_FIRST.index(module) if module in LONGEST_FIRST else len(LONGEST_FIRST)
        return first, -tests_in[module]

    items.sort(key=rank)


def built_once(tmp_path_factory, worker_id: str, name: str, make) -> Path:
    """A site that every pytest-xdist worker shares: the first one to ask builds it
    (the others wait on a lock), so a parallel run builds it once, as a serial one does."""
    shared = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        shared = shared.parent  # the run's folder, above each worker's own
    output, done = shared / name, shared / f"{name}.built"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            make(output)
            done.touch()
    return output


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory, worker_id) -> Path:
    """The small fixture site of tests/fixtures/site, built at 2019-11-30."""
    return built_once(tmp_path_factory, worker_id, "fixture-site",
                      lambda output: build(output, now="2019-11-30"))


@pytest.fixture(scope="session")
def dossiers_site(tmp_path_factory, worker_id) -> Path:
    """The dossiers fixture site (dossiers, portraits, related articles) built at 2019-11-30."""
    return built_once(tmp_path_factory, worker_id, "dossiers-site",
                      lambda output: build(output, content=DOSSIERS_CONTENT, now="2019-11-30"))


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory, worker_id) -> Path:
    """The real sample content of content/, built with the development settings."""
    return built_once(tmp_path_factory, worker_id, "sample-site",
                      lambda output: build(output, content=ROOT / "content"))


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


@pytest.fixture(scope="session")
def _reading_tab(browser):
    context = browser.new_context(locale="fr-BE")
    yield context.new_page()
    context.close()


@pytest.fixture
def reading_tab(_reading_tab):
    """The test process's one tab for tests that only load pages and read or click in them (no
    routes, listeners, dialogs, downloads or storage), at the size and colour scheme asked.

    A new browser context and its page cost Chromium ~0.55 s of CPU (a renderer process and
    Playwright's setup of the target): 0.72 s against 0.16 s for a page loaded in a tab already
    open, measured here; the browser tests made ~200. Each navigation starts a new document;
    the tab is left on about:blank after each test."""

    def at(width: int = 390, height: int = 844, scheme: str = "light"):
        _reading_tab.set_viewport_size({"width": width, "height": height})
        _reading_tab.emulate_media(color_scheme=scheme)
        return _reading_tab

    yield at
    _reading_tab.goto("about:blank")


@pytest.fixture
def page(request, browser):
    """A phone-sized page in a browser context of its own; in a module marked `shared_tab`, the
    reading tab at that size."""
    if request.node.get_closest_marker("shared_tab"):
        yield request.getfixturevalue("reading_tab")()
        return
    context = browser.new_context(locale="fr-BE", viewport={"width": 390, "height": 844})
    page = context.new_page()
    yield page
    context.close()
