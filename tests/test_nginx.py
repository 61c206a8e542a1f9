"""The built site behind nginx, configured by docs/nginx.conf, browsed by Chromium.

nginx is Debian's (scripts/ensure-web-tools.sh installs it); the test starts
its own master on 127.0.0.1 with a temporary prefix and stops it at the end.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from transfo_quality import release
from transfo_quality.compress import precompress
from transfo_quality.pages import html_pages, page_facts, site_bases, site_path

from tests.support import ROOT, python

pytestmark = [pytest.mark.publish, pytest.mark.browser]

NGINX = "/usr/sbin/nginx"
DOC = ROOT / "docs" / "nginx.conf"
CONTENT = ROOT / "tests" / "fixtures" / "publish" / "content"
ARTICLE = "transfo/2019/11/la-cooperative-delta-faconne-son-pain-avec-ses-clients/"

MAIN = """\
{user}
daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
load_module /usr/lib/nginx/modules/ngx_http_brotli_static_module.so;
events {{ worker_connections 128; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/transfo.conf;
}}
"""


def server_config(doc: str, publish_root: Path, port: int) -> str:
    """docs/nginx.conf with the test's paths and port, TLS and the HTTP redirect left out."""
    lines = []
    for line in doc.splitlines():
        if "# test: removed" in line or "# test: block removed" in line:
            continue
        if "# test: replaced" in line:
            line = f"    listen 127.0.0.1:{port};"
        lines.append(line.replace("/srv/transfo/", f"{publish_root}/"))
    return "\n".join(lines) + "\n"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, process: subprocess.Popen, prefix: Path) -> None:
    for _ in range(100):
        if process.poll() is not None:
            raise AssertionError((prefix / "error.log").read_text())
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("nginx did not start")


@contextmanager
def running_nginx(publish_root: Path, prefix: Path, port: int | None = None):
    """nginx on 127.0.0.1 serving `publish_root`/current with docs/nginx.conf; yields the origin."""
    if not Path(NGINX).exists():
        pytest.fail("This test needs Debian's nginx: run scripts/ensure-web-tools.sh (make test does).")
    port = port or free_port()
    prefix.mkdir()
    (prefix / "transfo.conf").write_text(server_config(DOC.read_text(), publish_root, port))
    user = "user root;" if os.geteuid() == 0 else ""
    (prefix / "nginx.conf").write_text(MAIN.format(prefix=prefix, user=user))
    command = [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "error.log")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(port, process, prefix)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(prefix, ignore_errors=True)


@pytest.fixture(scope="module")
def nginx_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("nginx")
    port = free_port()
    base = f"http://127.0.0.1:{port}/transfo"
    layout = release.Layout(tmp / "srv")
    staging = release.new_staging(layout, "20191130-000000-000000")
    build = python("-m", "pelican", str(CONTENT), "-s", str(ROOT / "publishconf.py"),
                   "-o", str(staging), "-e", f"SITEURL={json.dumps(base)}", f"PUBLIC_URL={json.dumps(base)}",
                   'TRANSFO_NOW="2019-11-30"', timeout=300)
    assert build.returncode == 0, build.stdout + build.stderr
    precompress(staging)
    release.promote(layout, staging, "20191130-000000-000000")
    with running_nginx(layout.root, tmp / "prefix", port) as origin:
        yield origin, layout.current.resolve(), base


def get(url: str, **headers):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_pages_come_pre_compressed_with_security_and_cache_headers(nginx_site):
    origin, site, _ = nginx_site
    status, headers, body = get(f"{origin}/{ARTICLE}", **{"Accept-Encoding": "br"})
    assert status == 200 and headers["Content-Encoding"] == "br"
    assert body == (site / ARTICLE.removeprefix("transfo/") / "index.html.br").read_bytes()
    status, headers, _ = get(f"{origin}/{ARTICLE}", **{"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in headers["Vary"]
    assert "script-src 'self' 'wasm-unsafe-eval'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cache-Control"] == "no-cache"
    status, headers, _ = get(f"{origin}/transfo/static/css/site.css")
    assert status == 200 and headers["Cache-Control"] == "public, max-age=604800"
    assert headers["Content-Type"].startswith("text/css")


def test_missing_pages_get_the_404_page_with_its_headers(nginx_site):
    origin, site, _ = nginx_site
    status, headers, body = get(f"{origin}/transfo/nulle-part/")
    assert status == 404
    assert body == (site / "404.html").read_bytes()
    assert "Content-Security-Policy" in headers


def test_no_broken_link_on_the_served_site(nginx_site):
    """The link checker, over HTTP: every internal URL of every page answers 200."""
    origin, site, base = nginx_site
    bases = site_bases(base)
    urls = set()
    for path in html_pages(site):
        page = path.relative_to(site).as_posix()
        urls.add(f"{base}/{page}")
        for link in page_facts(path.read_text(encoding="utf-8")).links:
            target = site_path(link, bases, page)
            if target is not None:
                urls.add(f"{base}/{target}")
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = dict(zip(sorted(urls), pool.map(lambda url: get(url)[0], sorted(urls)), strict=True))
    assert len(urls) > 20
    assert {url: status for url, status in statuses.items() if status != 200} == {}


def test_chromium_browses_home_article_search_and_404_without_csp_violation(nginx_site, browser):
    origin, _, base = nginx_site
    context = browser.new_context(locale="fr-BE")
    page = context.new_page()
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    for path in ("/", f"/{ARTICLE}", "/transfo/nulle-part/"):
        page.goto(f"{origin}/transfo{path}" if path == "/" else f"{origin}{path}")
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgba(0, 0, 0, 0)"
    page.goto(f"{base}/recherche/")
    page.wait_for_selector(".search__form", state="visible")
    page.fill("#search-query", "façonner")
    page.wait_for_function("() => document.querySelector('.search__status').textContent.includes('résultat')")
    links = page.eval_on_selector_all(".search-result__title a", "links => links.map(a => a.pathname)")
    assert f"/{ARTICLE}" in links, (links, problems, page.inner_text(".search__status"))
    # A 404 logs "Failed to load resource" for the page itself: that one is expected.
    problems = [p for p in problems if "404" not in p]
    assert problems == []
    context.close()


def test_every_file_the_site_writes_is_served_and_nothing_else(nginx_site):
    """The allow-list of docs/nginx.conf covers every type the build writes (fonts, Pagefind…)."""
    origin, site, _ = nginx_site
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*")
                   if p.is_file() and p.suffix not in {".gz", ".br"})
    assert any(f.startswith("pagefind/") and f.endswith(".pf_fragment") for f in files)
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = dict(zip(files, pool.map(lambda f: get(f"{origin}/transfo/{f}")[0], files), strict=True))
    assert {f: status for f, status in statuses.items() if status != 200} == {}
    compressed = next(p for p in site.rglob("*.html.gz"))
    assert get(f"{origin}/transfo/{compressed.relative_to(site).as_posix()}")[0] == 404


def test_robots_txt_at_the_domain_root_points_to_the_sitemap(nginx_site):
    origin, site, base = nginx_site
    status, headers, body = get(f"{origin}/robots.txt")
    assert status == 200 and body == (site / "robots.txt").read_bytes()
    assert f"Sitemap: {base}/sitemap.xml" in body.decode()
