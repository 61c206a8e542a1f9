"""The guard in front of decap-server: only this machine's names, only the site's pages."""

from __future__ import annotations

import http.client
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from transfo_admin.guard import TOKEN_HEADER, Guard, addresses, refusal

HOSTS, ORIGINS = addresses(8081), frozenset({"http://127.0.0.1:8000", "http://localhost:8000"})
TOKEN = "secret-of-this-run-" + "x" * 24


def test_a_request_passes_only_to_this_machine_and_from_the_site_s_pages():
    assert refusal("127.0.0.1:8081", "http://127.0.0.1:8000", HOSTS, ORIGINS) is None
    assert refusal("localhost:8081", "http://localhost:8000", HOSTS, ORIGINS) is None
    assert refusal("LocalHost:8081", None, HOSTS, ORIGINS) is None  # no Origin: not a page's cross-site call
    assert refusal("pirate.example:8081", "http://pirate.example:8081", HOSTS, ORIGINS) == (
        "Hôte « pirate.example:8081 » refusé ; attendu : 127.0.0.1:8081 ou localhost:8081")
    assert refusal(None, None, HOSTS, ORIGINS).startswith("Hôte «  » refusé")
    assert refusal("127.0.0.1:8081", "http://127.0.0.1:3000", HOSTS, ORIGINS) == (
        "Origine « http://127.0.0.1:3000 » refusée ; attendu : les pages du site "
        "(http://127.0.0.1:8000 ou http://localhost:8000)")
    assert refusal("127.0.0.1:8081", "null", HOSTS, ORIGINS) is not None  # a sandboxed frame, a file:// page


class Recorder(BaseHTTPRequestHandler):
    """A stand-in for decap-server: answers what it received, and remembers it."""

    seen: list[tuple[str, str, bytes, str | None]] = []
    tokens: list[list[str]] = []  # the secret headers of each request, as received

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.seen.append((self.command, self.path, body, self.headers.get("Host")))
        self.tokens.append(self.headers.get_all(TOKEN_HEADER) or [])
        answer = json.dumps({"received": body.decode()}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Access-Control-Allow-Origin", self.headers.get("Origin", ""))
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def guarded(site_port: int) -> Iterator[tuple[int, list]]:
    backend = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=backend.serve_forever, daemon=True).start()
    Recorder.seen, Recorder.tokens = [], []
    port = free_port()
    guard = Guard(port, backend.server_address[1], site_port, TOKEN)
    try:
        yield port, Recorder.seen
    finally:
        guard.close()
        backend.shutdown()
        backend.server_close()


def post(port: int, host: str, origin: str | None, body: bytes,
         extra: dict[str, str] | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Host": host, "Content-Type": "application/json", **({"Origin": origin} if origin else {}),
               **(extra or {})}
    connection.request("POST", "/api/v1", body=body, headers=headers)
    return connection.getresponse()


def test_the_guard_passes_the_site_s_requests_and_nothing_else_reaches_decap_server():
    with guarded(8000) as (port, seen):
        answer = post(port, f"127.0.0.1:{port}", "http://127.0.0.1:8000", b'{"action": "info"}')
        assert answer.status == 201 and json.loads(answer.read()) == {"received": '{"action": "info"}'}
        assert answer.getheader("Access-Control-Allow-Origin") == "http://127.0.0.1:8000"
        assert [(command, path, body) for command, path, body, _host in seen] == [
            ("POST", "/api/v1", b'{"action": "info"}')]
        rebound = post(port, f"pirate.example:{port}", f"http://pirate.example:{port}", b'{"action": "persistEntry"}')
        assert rebound.status == 403 and rebound.read().decode().startswith("Hôte « pirate.example:")
        other_page = post(port, f"localhost:{port}", "http://localhost:3000", b'{"action": "persistEntry"}')
        assert other_page.status == 403
        assert len(seen) == 1  # neither reached decap-server


def test_the_guard_gives_decap_server_the_run_s_secret_and_only_its_own():
    """decap-server refuses a request without the secret (backend_lock.cjs): the guard adds it to
    what it passes on, in place of any a page sent, which cannot have guessed it anyway."""
    with guarded(8000) as (port, _seen):
        plain = post(port, f"127.0.0.1:{port}", "http://127.0.0.1:8000", b"{}")
        forged = post(port, f"127.0.0.1:{port}", "http://127.0.0.1:8000", b"{}", {TOKEN_HEADER: "guessed"})
        assert plain.status == forged.status == 201
        assert Recorder.tokens == [[TOKEN], [TOKEN]]
