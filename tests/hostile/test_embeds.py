"""Embeds: one allow-list, mirrored in the CSP of docs/nginx.conf, which `invoke serve` sends too."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from contextlib import contextmanager

import pytest
from pelican.settings import read_settings
from transfo_common.markup import embed_hosts
from transfo_quality.headers import csp_directives, security_headers

from tests.support import ROOT
from tests.test_nginx import get

NGINX_CONF = (ROOT / "docs" / "nginx.conf").read_text(encoding="utf-8")
ALLOWED = "https://player.vimeo.com/video/1"
BLOCKED = "https://evil.example/frame"


def test_nginx_frame_src_is_the_embed_allow_list_of_the_settings():
    for config in ("pelicanconf.py", "publishconf.py"):
        hosts = embed_hosts(read_settings(str(ROOT / config)))
        policy = csp_directives(security_headers(NGINX_CONF)["Content-Security-Policy"])
        assert policy["frame-src"] == tuple(f"https://{host}" for host in hosts), config
        assert policy["object-src"] == ("'none'",)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def invoke_serve(site):
    """`invoke serve` of `site` in its own process, as an editor starts it; yields its URL."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "invoke", "serve", "--port", str(port), "--site", str(site)],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert process.poll() is None, process.stderr.read().decode()
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    site = tmp_path_factory.mktemp("serve-site")
    (site / "index.html").write_text(
        '<!doctype html><html lang="fr"><title>Cadres</title>'
        f'<iframe src="{ALLOWED}" title="permis"></iframe><iframe src="{BLOCKED}" title="refusé"></iframe>',
        encoding="utf-8")
    (site / "404.html").write_text("<!doctype html><title>Page introuvable</title>", encoding="utf-8")
    with invoke_serve(site) as url:
        yield url


def test_serve_sends_the_security_headers_of_nginx_conf(preview):
    expected = {name: value for name, value in security_headers(NGINX_CONF).items()
                if name != "Strict-Transport-Security"}
    assert "Content-Security-Policy" in expected and "X-Content-Type-Options" in expected
    for path, status in (("/", 200), ("/nulle-part/", 404)):
        answer_status, headers, body = get(preview + path)
        assert answer_status == status
        assert {name: headers[name] for name in expected} == expected
        assert "Strict-Transport-Security" not in headers  # meaningless over http://127.0.0.1
    assert body == b"<!doctype html><title>Page introuvable</title>"  # the site's 404 page, as nginx


def test_serve_sends_the_admin_its_own_policy_and_the_site_the_strict_one(preview):
    site, admin = (security_headers(NGINX_CONF, path)["Content-Security-Policy"] for path in ("/", "/admin/"))
    assert "'unsafe-eval'" in admin and "'unsafe-eval'" not in site  # Decap CMS needs it, readers' pages never
    _status, headers, _body = get(preview + "/admin/")
    assert headers["Content-Security-Policy"] == admin
    _status, headers, _body = get(preview + "/administration/")  # not the admin: a prefix of the path is not enough
    assert headers["Content-Security-Policy"] == site


def test_the_preview_blocks_frames_production_would_block(preview, browser):
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script("window.violations = [];"
                         "document.addEventListener('securitypolicyviolation', event =>"
                         " window.violations.push([event.effectiveDirective, event.blockedURI]));")
    page.goto(preview + "/")
    page.wait_for_function("window.violations.length > 0")
    page.wait_for_timeout(300)  # let a second violation, if any, arrive
    violations = page.evaluate("window.violations")
    context.close()
    assert violations == [["frame-src", "https://evil.example"]]  # a cross-origin frame: its origin
