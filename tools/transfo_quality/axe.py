"""axe-core on pages of a built site, loaded in Chromium straight from disk.

Requests to the site's absolute base URL are answered from the output folder
(Playwright routing), so the production build, whose links are absolute, is
checked as it will be served, without a server.
"""

from __future__ import annotations

import functools
import mimetypes
import os
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from .pages import resolve_file

if TYPE_CHECKING:  # Playwright is imported when a browser is launched
    from playwright.sync_api import Browser, BrowserContext, Route

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def page_url(base: str, page: str) -> str:
    """`2019/11/x/index.html` -> `https://site/2019/11/x/`."""
    if page == "index.html":
        page = ""
    elif page.endswith("/index.html"):
        page = page[: -len("index.html")]
    return f"{base.rstrip('/')}/{page}"


def route_site(context: BrowserContext, site: Path, base: str) -> None:
    """Answer every request under `base` with the file a web server would send."""
    prefix = base.rstrip("/") + "/"

    def handle(route: Route) -> None:
        url = route.request.url.split("#", 1)[0].split("?", 1)[0]
        target = resolve_file(site, url[len(prefix):]) if url.startswith(prefix) else None
        if target is None:
            route.fulfill(status=404, body="Not found")
            return
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
            kind += "; charset=utf-8"
        route.fulfill(status=200, body=target.read_bytes(), headers={"content-type": kind})

    context.route(prefix + "**", handle)
    context.route(base.rstrip("/"), handle)


@functools.cache
def axe_identity() -> str:
    """The axe-core and the Chromium that judge: a verdict kept holds for these only. Chromium's
    launcher is replaced by every upgrade of Debian's package, so its size and time name the version
    (none yet when it is missing: launching it then says so)."""
    try:
        launcher = os.stat(CHROMIUM)
        chromium = f"{launcher.st_size} {launcher.st_mtime_ns}"
    except OSError:
        chromium = "absent"
    return f"axe-playwright-python {version('axe-playwright-python')}; {CHROMIUM} {chromium}"


def axe_findings(site: Path, base: str, pages: list[str], browser: Browser | None = None) -> dict[str, list[str]]:
    """axe-core's violations on each page (page -> one line per rule, without the page).

    `browser` is an already launched Playwright Chromium (the tests' one);
    without it, Debian's Chromium is launched for the run.
    """
    if browser is not None:
        return _run_axe(browser, Path(site), base, pages)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            return _run_axe(chromium, Path(site), base, pages)
        finally:
            chromium.close()


def _run_axe(browser: Browser, site: Path, base: str, pages: list[str]) -> dict[str, list[str]]:
    from axe_playwright_python.sync_playwright import Axe

    findings: dict[str, list[str]] = {}
    context = browser.new_context(locale="fr-BE")
    try:
        route_site(context, site, base)
        tab = context.new_page()
        axe = Axe()
        for page in pages:
            tab.goto(page_url(base, page))
            findings[page] = []
            for violation in axe.run(tab).response["violations"]:
                targets = "; ".join(str(node["target"][0]) for node in violation["nodes"][:3] if node["target"])
                findings[page].append(f"accessibilité : {violation['id']} ({violation['impact']}) "
                                      f"{violation['help']} -> {targets}")
    finally:
        context.close()
    return findings
