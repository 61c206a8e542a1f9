"""`invoke serve`'s server answers as nginx does for what production never serves."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request

import pytest
from transfo_quality.lighthouse import serving
from transfo_quality.preview import preview_server


@pytest.fixture
def preview(tmp_path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "sans-index").mkdir()
    (site / "index.html").write_text("<p>accueil</p>", encoding="utf-8")
    (site / "a" / "index.html").write_text("<p>a</p>", encoding="utf-8")
    (site / "404.html").write_text("<p>introuvable</p>", encoding="utf-8")
    (site / "index.html.gz").write_bytes(b"gz")
    (site / ".env").write_text("SECRET=1", encoding="utf-8")
    (tmp_path / "dehors.txt").write_text("root:x:0:0", encoding="utf-8")
    (site / "lien.txt").symlink_to(tmp_path / "dehors.txt")
    with serving(preview_server(site, "127.0.0.1", 0, lambda path: {"X-Content-Type-Options": "nosniff"})) as port:
        yield port


def status(port: int, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_pages_are_served_and_what_production_hides_gets_the_404_page(preview):
    assert status(preview, "/") == (200, "<p>accueil</p>")
    assert status(preview, "/a/") == (200, "<p>a</p>")
    for hidden in ("/.env", "/a/../.env", "/sans-index/", "/index.html.gz", "/lien.txt", "/absent/"):
        assert status(preview, hidden) == (404, "<p>introuvable</p>"), hidden


def test_a_garbled_request_line_gets_an_answer(preview):
    with socket.create_connection(("127.0.0.1", preview), timeout=5) as connection:
        connection.sendall(b"GET /" + b"x" * 70_000 + b" HTTP/1.1\r\n\r\n")
        answer = connection.recv(200)
    assert answer.startswith(b"HTTP/1.0 414") or answer.startswith(b"HTTP/1.1 414"), answer
