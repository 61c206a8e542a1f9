"""Which pages of a built site are searchable, and the Pagefind index of them.

Drafts and scheduled articles are never written, so they are never indexed;
pages marked `<meta name="robots" content="noindex">` (closed offers, the 404
page, the search page itself) are left out here. Pagefind then indexes only
the parts of a page marked `data-pagefind-body`, so listings, the home page
and menus never show up as results.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit


BODY_MARK = "data-pagefind-body"


class _RobotsReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.noindex = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "meta" and (attributes.get("name") or "").lower() == "robots":
            self.noindex = self.noindex or "noindex" in (attributes.get("content") or "").lower()


def is_searchable(html: str) -> bool:
    """False for pages that ask search engines not to index them."""
    reader = _RobotsReader()
    reader.feed(html)
    return not reader.noindex


def base_url(siteurl: str) -> str:
    """Where result URLs start: SITEURL's path (`/transfo/`), `/` in development.

    The index stores site-relative URLs; the search page hands this to
    Pagefind's `baseUrl` option.
    """
    return urlsplit(siteurl or "").path.rstrip("/") + "/"


def searchable_pages(output: Path, bundle: str) -> list[tuple[str, str]]:
    """(relative path, HTML) of every indexable page of the built site."""
    pages = []
    for path in sorted(Path(output).rglob("*.html")):
        relative = path.relative_to(output).as_posix()
        if relative.split("/", 1)[0] == bundle:
            continue
        html = path.read_text(encoding="utf-8")
        if is_searchable(html):
            pages.append((relative, html))
    return pages


def pagefind_command(site: Path, bundle_path: Path) -> list[str]:
    """The Pagefind CLI shipped by the `pagefind[bin]` PyPI packages, run by this Python."""
    return [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(bundle_path),
            "--silent"]


class IndexingError(RuntimeError):
    """Pagefind failed: the build must not go on without its search."""


def build_index(output: Path, bundle: str) -> int:
    """Replace `<output>/<bundle>/` with a fresh index; return the number of pages offered.

    Pagefind reads a folder, so the searchable pages are copied to a
    temporary one first: what is not there cannot leak into the index.
    (The CLI takes a fraction of a second; Pagefind's Python service answers
    one file per 0.1 s, too slow for a magazine's archive.)
    """
    output = Path(output)
    target = output / bundle
    if target.exists():
        shutil.rmtree(target)  # stale fragments of removed pages must not linger
    pages = searchable_pages(output, bundle)
    with tempfile.TemporaryDirectory(prefix="transfo-search-") as folder:
        for relative, html in pages:
            copy = Path(folder) / relative
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_text(html, encoding="utf-8")
        result = subprocess.run(pagefind_command(Path(folder), target.resolve()),
                                capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise IndexingError(f"Pagefind a échoué (code {result.returncode}) : "
                            f"{(result.stderr or result.stdout).strip()[:2000]}")
    return sum(1 for _, html in pages if BODY_MARK in html)
