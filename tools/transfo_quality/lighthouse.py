"""Lighthouse (npm, pinned in package.json) on a served copy of the site.

Lighthouse needs a real HTTP server. A release, whose links are absolute
(`https://www.economiesociale.be/transfo/…`), is served as it is on
127.0.0.1 (`serve_release`, HTTPS with a certificate made for the run) and
Chromium resolves the production host to that server (`host_flags`): no
second build with local addresses. Scores are 0..1 per category; the gate
wants each at least `MINIMUM`.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import socketserver
import ssl
import subprocess
import tempfile
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from .axe import CHROMIUM, CHROMIUM_ARGS
from .checks import NODE_MODULES

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
MINIMUM = 0.95
# Lighthouse's performance score moves from run to run with the machine's load; its documentation
# ("Lighthouse variability") advises the median of several runs. A page whose performance is below
# the bar is measured this many times in all and the median kept, so a busy shared machine does not
# fail a good page. The other categories audit the markup and do not vary.
RUNS_WHEN_LOW = 3


class LighthouseError(RuntimeError):
    """Lighthouse could not run or gave no scores."""


BATCH_SCRIPT = Path(__file__).with_name("lighthouse_batch.mjs")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # Chromium drops connections it no longer needs: not our problem


@contextmanager
def serving(server: socketserver.TCPServer) -> Iterator[int]:
    """Run `server` in a thread of its own until the block ends; yields its port."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 on a free port (files may be written after start)."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    with serving(_QuietServer(("127.0.0.1", 0), handler)) as port:
        yield f"http://127.0.0.1:{port}"


@contextmanager
def serve_release(folder: Path, site_url: str) -> Iterator[int]:
    """Serve `folder` at the path of `site_url` over HTTPS on 127.0.0.1 and a free port; yields the port.

    The certificate is made for the run (openssl) and names the site's host;
    Chromium is told to accept it (`host_flags`).
    """
    parts = urlsplit(site_url)
    prefix = parts.path.rstrip("/")

    class Handler(_QuietHandler):
        def translate_path(self, path: str) -> str:
            path = urlsplit(path).path
            if prefix and (path == prefix or path.startswith(prefix + "/")):
                path = path[len(prefix):] or "/"
            elif prefix:
                path = "/.no-such-file"  # outside the site: 404
            return super().translate_path(path)

    with tempfile.TemporaryDirectory(prefix="transfo-tls-") as keys:
        certificate, key = Path(keys) / "cert.pem", Path(keys) / "key.pem"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-keyout", str(key), "-out", str(certificate), "-subj", f"/CN={parts.hostname}",
                        "-addext", f"subjectAltName=DNS:{parts.hostname}"],
                       check=True, capture_output=True, timeout=60)
        server = _QuietServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(folder)))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(certificate, key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        with serving(server) as port:
            yield port


def host_flags(site_url: str, port: int) -> list[str]:
    """Chromium flags that send the site's host to the local server and accept its certificate."""
    host = urlsplit(site_url).hostname
    return [f"--host-resolver-rules=MAP {host} 127.0.0.1:{port}", "--ignore-certificate-errors"]


def run_lighthouse(urls: Sequence[str], chrome_flags: Sequence[str] = ()) -> dict[str, dict[str, float | None]]:
    """The four category scores of each page (mobile profile, simulated throttling), in one browser.

    One Node process and one Chromium for all the pages (`lighthouse_batch.mjs`):
    the CLI would start both again for each page, 4-8 s of a 16-20 s run.
    """
    if not (NODE_MODULES / "lighthouse").is_dir():
        raise LighthouseError(f"{NODE_MODULES / 'lighthouse'} manque : lancez `npm ci` à la racine du dépôt.")
    with tempfile.TemporaryDirectory(prefix="transfo-lighthouse-") as profile:
        request = {"urls": list(urls), "categories": list(CATEGORIES), "userDataDir": profile,
                   "chromePath": os.environ.get("CHROME_PATH", CHROMIUM),
                   "chromeFlags": ["--headless=new", *CHROMIUM_ARGS, *chrome_flags]}
        # Chromium's singleton socket folder goes to TMPDIR; chrome-launcher kills the browser before
        # Chromium removes it, so it goes in the profile folder, removed with it.
        scratch = Path(profile) / "tmp"
        scratch.mkdir()
        result = subprocess.run(["node", str(BATCH_SCRIPT)], input=json.dumps(request), capture_output=True,
                                text=True, timeout=120 + 60 * len(request["urls"]),
                                env={**os.environ, "TMPDIR": str(scratch)})
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    failed = [f"{line['url']} : {line['error']}" for line in lines if "error" in line]
    if result.returncode != 0 or failed or len(lines) != len(request["urls"]):
        detail = "; ".join(failed) or result.stderr.strip()[-1500:]
        raise LighthouseError(f"Lighthouse a échoué : {detail}")
    return {line["url"]: line["scores"] for line in lines}


def pages_scores(urls: Sequence[str], chrome_flags: Sequence[str] = (),
                 minimum: float = MINIMUM) -> dict[str, dict[str, float | None]]:
    """Each page's scores: one run when its performance reaches `minimum`, else the median of `RUNS_WHEN_LOW`."""
    runs = {url: [scores] for url, scores in run_lighthouse(urls, chrome_flags).items()}
    low = [url for url, (first,) in runs.items() if (first.get("performance") or 0.0) < minimum]
    for _ in range(RUNS_WHEN_LOW - 1 if low else 0):
        for url, scores in run_lighthouse(low, chrome_flags).items():
            runs[url].append(scores)
    return {url: median_scores(url_runs) for url, url_runs in runs.items()}


def median_scores(runs: Sequence[Mapping[str, float | None]]) -> dict[str, float | None]:
    """Each category's median over the runs (an odd number; one run is its own median); a missing score ranks lowest."""
    def rank(score: float | None) -> float:
        return -1.0 if score is None else score
    return {category: sorted((run.get(category) for run in runs), key=rank)[len(runs) // 2]
            for category in CATEGORIES}


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
