"""Hostile requests to docs/nginx.conf, served by Debian's nginx on 127.0.0.1.

A small release holds what a careless publication could leave in it (dotfiles,
exports, mails, logs, sources, a file without extension) beside real pages and
an .ics; every request is a real HTTP request, some written by hand on a socket
to forge the Host header or the request line.
"""

from __future__ import annotations

import http.client
import socket

import pytest
from transfo_quality import release

from tests.test_nginx import running_nginx

pytestmark = pytest.mark.publish

SECRET = "SECRET-NE-PAS-PUBLIER"
PAGE_404 = "<!DOCTYPE html><title>Page introuvable</title><p>page-404</p>"
LEFT_BEHIND = [".env", ".git/config", ".git/HEAD", ".htpasswd", ".well-known/security.txt",
               "abonnes.csv", "export/promotions.jsonl", "edition.eml", "publish.log", "notes.md",
               "tasks.py", "rapport-promotions.xlsx", "sauvegarde.tar.gz", "LICENSE",
               "agenda/.DS_Store"]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("nginx-hostile")
    layout = release.Layout(tmp / "srv")
    staging = release.new_staging(layout, "20191130-000000-000000")
    files = {"index.html": "<!DOCTYPE html><title>Transfo</title><p>accueil</p>",
             "404.html": PAGE_404,
             "robots.txt": "User-agent: *\nAllow: /\n\n"
                           "Sitemap: https://www.economiesociale.be/transfo/sitemap.xml\n",
             "agenda/index.html": "<!DOCTYPE html><title>Agenda</title>",
             "agenda/forum/forum.ics": "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Transfo//FR\r\n"
                                       "BEGIN:VEVENT\r\nUID:forum@transfo\r\nSUMMARY:Forum à Liège\r\n"
                                       "DTSTART:20191205T090000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
             **{name: f"{SECRET} {name}\n" for name in LEFT_BEHIND}}
    for name, text in files.items():
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        (staging / name).write_text(text, encoding="utf-8")
    (staging / "index.html.gz").write_bytes(b"\x1f\x8b" + SECRET.encode())
    release.promote(layout, staging, "20191130-000000-000000")
    with running_nginx(layout.root, tmp / "prefix") as origin:
        yield origin.removeprefix("http://")


def request(address: str, path: str, host: str | None = None):
    """One GET, the path sent exactly as written; (status, headers, body)."""
    connection = http.client.HTTPConnection(address, timeout=10)
    connection.request("GET", path, headers={"Host": host} if host else {})
    response = connection.getresponse()
    result = response.status, response.headers, response.read().decode("utf-8", "replace")
    connection.close()
    return result


def raw_request(address: str, head: str) -> str:
    """Bytes on a socket: what no HTTP library would send."""
    host, port = address.split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(head.encode("latin-1"))
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks).decode("latin-1")


@pytest.mark.parametrize("name", LEFT_BEHIND)
def test_files_left_in_a_release_get_the_404_page(hostile_site, name):
    status, headers, body = request(hostile_site, f"/transfo/{name}")
    if "." not in name:  # a name without extension is taken for a folder: "/" added, then 404
        assert status == 301 and headers["Location"] == f"/transfo/{name}/"
        status, headers, body = request(hostile_site, headers["Location"])
    assert status == 404 and SECRET not in body
    assert "page-404" in body and "Content-Security-Policy" in headers


@pytest.mark.parametrize("path", [
    "/transfo/%2eenv", "/transfo/.git%2fconfig", "/transfo/%2Egit/config", "/transfo//.env",
    "/transfo/agenda/../.env", "/transfo/abonnes.csv?format=.html", "/transfo/abonnes.csv/",
    "/transfo/ABONNES.CSV", "/transfo/abonnes.csv%00.html", "/transfo/index.html.gz",
    "/.env", "/.git/config", "/transfo/../srv/transfo/history.jsonl", "/history.jsonl",
])
def test_encoded_and_roundabout_paths_to_hidden_files_fail(hostile_site, path):
    status, _, body = request(hostile_site, path)
    assert status in (400, 404) and SECRET not in body


def test_ics_is_served_as_utf8_text_calendar(hostile_site):
    status, headers, body = request(hostile_site, "/transfo/agenda/forum/forum.ics")
    assert status == 200 and headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "Forum à Liège" in body


@pytest.mark.parametrize("path, location", [
    ("/transfo", "/transfo/"), ("/transfo/agenda", "/transfo/agenda/"), ("/", "/transfo/")])
def test_redirects_never_reflect_a_forged_host(hostile_site, path, location):
    status, headers, _ = request(hostile_site, path, host="evil.example")
    assert status in (301, 302) and headers["Location"] == location


def test_an_absolute_request_line_does_not_steer_the_redirect(hostile_site):
    answer = raw_request(hostile_site, "GET http://evil.example/transfo HTTP/1.1\r\n"
                                       "Host: evil.example\r\nConnection: close\r\n\r\n")
    assert answer.startswith("HTTP/1.1 301")
    assert "\r\nLocation: /transfo/\r\n" in answer and "evil" not in answer


def test_a_header_cannot_be_injected_through_the_path(hostile_site):
    answer = raw_request(hostile_site, "GET /transfo/agenda%0d%0aSet-Cookie:%20x=1 HTTP/1.1\r\n"
                                       "Host: x\r\nConnection: close\r\n\r\n")
    head = answer.split("\r\n\r\n", 1)[0]
    assert "Set-Cookie" not in head and head.startswith("HTTP/1.1 404")


def test_robots_txt_is_served_at_the_domain_root(hostile_site):
    status, headers, body = request(hostile_site, "/robots.txt")
    assert status == 200 and headers["Content-Type"] == "text/plain; charset=utf-8"
    assert "Sitemap: https://www.economiesociale.be/transfo/sitemap.xml" in body


def test_nothing_outside_the_site_is_served(hostile_site):
    assert request(hostile_site, "/autre-chose/")[0] == 404
