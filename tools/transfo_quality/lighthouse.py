"""Lighthouse (npm, pinned in package.json) on a served copy of the site.

Lighthouse needs a real HTTP server and the pages' links must point at it, so
callers serve a build whose SITEURL is the local address (`serve_folder`).
Scores are 0..1 per category; the gate wants each at least `MINIMUM`.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import subprocess
import tempfile
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from .axe import CHROMIUM, CHROMIUM_ARGS
from .checks import NODE_MODULES

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
MINIMUM = 0.95


class LighthouseError(RuntimeError):
    """Lighthouse could not run or gave no scores."""


def lighthouse_bin() -> Path:
    return NODE_MODULES / ".bin" / "lighthouse"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # Chromium drops connections it no longer needs: not our problem


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 on a free port (files may be written after start)."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def run_lighthouse(url: str) -> dict[str, float]:
    """The four category scores of one page (mobile profile, simulated throttling)."""
    binary = lighthouse_bin()
    if not binary.exists():
        raise LighthouseError(f"{binary} manque : lancez `npm ci` à la racine du dépôt.")
    with tempfile.TemporaryDirectory(prefix="transfo-lighthouse-") as folder:
        report = Path(folder) / "report.json"
        flags = " ".join(["--headless=new", *CHROMIUM_ARGS, f"--user-data-dir={folder}/profile"])
        result = subprocess.run(
            [str(binary), url, "--output=json", f"--output-path={report}", "--quiet",
             f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={flags}"],
            capture_output=True, text=True, timeout=300,
            env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", CHROMIUM)},
        )
        if result.returncode != 0 or not report.exists():
            raise LighthouseError(f"Lighthouse a échoué sur {url} : {result.stderr.strip()[-1500:]}")
        data = json.loads(report.read_text(encoding="utf-8"))
    return {name: data["categories"][name]["score"] for name in CATEGORIES}


def score_problems(scores: Mapping[str, Mapping[str, float | None]], minimum: float = MINIMUM) -> list[str]:
    """One line per page and category below `minimum` (a missing score counts as 0)."""
    return [f"{page} : Lighthouse {category} {score if score is not None else 'absent'} < {minimum}"
            for page, by_category in scores.items()
            for category, score in by_category.items()
            if score is None or score < minimum]


def format_scores(scores: Mapping[str, Mapping[str, float | None]]) -> str:
    lines = ["Lighthouse (" + ", ".join(CATEGORIES) + ") :"]
    for page, by_category in scores.items():
        values = "  ".join(f"{category} {by_category[category]:.2f}" if by_category[category] is not None
                           else f"{category} -" for category in CATEGORIES)
        lines.append(f"  {page:<50} {values}")
    return "\n".join(lines)


def lighthouse_pages(site: Path, families: dict[str, str]) -> list[str]:
    """The pages the issue names: the home, an article and the agenda (when they exist)."""
    pages = ["index.html"]
    articles = sorted(page for family, page in families.items() if family.startswith("article-page"))
    pages += articles[:1]
    if (Path(site) / "agenda" / "index.html").is_file():
        pages.append("agenda/index.html")
    return pages


def page_path(page: str) -> str:
    return "" if page == "index.html" else page.removesuffix("index.html")
