"""decap-server behind a guard: it answers only requests made to this machine by the site's pages.

decap-server reads and writes any file of the repository (`.git/config` and `tasks.py` too) for
whoever asks, and does not look at the Host header. A web page the editor visits while `invoke cms`
runs can rebind its own name to 127.0.0.1 (DNS rebinding): its requests then reach decap-server as
its own origin, past CORS. Its CORS also lets in a page of any port of 127.0.0.1 or localhost.

So `invoke cms` starts decap-server on a free port of its own and puts this guard on the port
config.yml names. The guard passes a request on only when it is addressed to 127.0.0.1 or
localhost at that port (`Host`) and, when a browser says where it comes from (`Origin`), it comes
from the site's own pages; anything else gets a 403 and never reaches decap-server.

decap-server's own port is found as easily as any other. So each run has a secret: decap-server
starts with `BACKEND_LOCK` loaded (`node --require`), which refuses every request without it, and
the guard adds it to the requests it passes on (`TOKEN_HEADER`).
"""

from __future__ import annotations

import http.client
import secrets
import sys
import threading
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

LOCAL_NAMES = ("127.0.0.1", "localhost")
# Headers about one connection, not the request (RFC 9110 section 7.6.1): never passed on.
HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding",
                        "upgrade", "host", "content-length"})
BACKEND_TIMEOUT_S = 300  # a large upload, a slow disk
# The Node module that makes decap-server refuse a request without the run's secret, and where
# it reads the secret (then removes it from its environment).
BACKEND_LOCK = Path(__file__).with_name("backend_lock.cjs")
TOKEN_VARIABLE = "TRANSFO_GUARD_TOKEN"
TOKEN_HEADER = "X-Transfo-Guard"


def addresses(port: int, names: Iterable[str] = LOCAL_NAMES) -> frozenset[str]:
    """`name:port` for each local name: the Host values a request to this machine carries."""
    return frozenset(f"{name}:{port}" for name in names)


def locked_command(server: Path, token: str) -> tuple[list[str], dict[str, str]]:
    """The command line that starts decap-server (`server`: its index.js) answering only requests
    with the secret `token`, and the environment variable that gives it the secret."""
    return ["node", "--require", str(BACKEND_LOCK), str(server)], {TOKEN_VARIABLE: token}


def new_token() -> str:
    """A secret for one run of `invoke cms`."""
    return secrets.token_urlsafe(32)


def refusal(host: str | None, origin: str | None, hosts: frozenset[str], origins: frozenset[str]) -> str | None:
    """Why a request must not reach decap-server (in French), or None when it may."""
    if (host or "").lower() not in hosts:
        return f"Hôte « {host or ''} » refusé ; attendu : {' ou '.join(sorted(hosts))}"
    if origin is not None and origin.lower() not in origins:
        return f"Origine « {origin} » refusée ; attendu : les pages du site ({' ou '.join(sorted(origins))})"
    return None


class _Guard(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, backend: int, site_port: int, token: str) -> None:
        super().__init__(("127.0.0.1", port), _Forward)
        self.backend = backend
        self.token = token
        self.hosts = addresses(port)
        self.origins = frozenset(f"http://{address}" for address in addresses(site_port))

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that drops a connection (a tab closed) is not worth a traceback in the terminal."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Forward(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Guard

    def log_message(self, *args: object) -> None:
        pass  # decap-server logs what it does

    def _answer(self, status: int, reason: str, headers: list[tuple[str, str]], body: bytes) -> None:
        self.send_response(status, reason)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else None
        refused = refusal(self.headers.get("Host"), self.headers.get("Origin"), self.server.hosts, self.server.origins)
        if refused is not None:
            self._answer(403, "Forbidden", [("Content-Type", "text/plain; charset=utf-8")], refused.encode())
            return
        headers = {name: value for name, value in self.headers.items()
                   if name.lower() not in HOP_BY_HOP and name.lower() != TOKEN_HEADER.lower()}
        headers[TOKEN_HEADER] = self.server.token
        backend = http.client.HTTPConnection("127.0.0.1", self.server.backend, timeout=BACKEND_TIMEOUT_S)
        try:
            backend.request(self.command, self.path, body=body, headers=headers)
            response = backend.getresponse()
            data = response.read()
        except OSError as error:
            self._answer(502, "Bad Gateway", [("Content-Type", "text/plain; charset=utf-8")],
                         f"decap-server ne répond pas : {error}".encode())
            return
        finally:
            backend.close()
        self._answer(response.status, response.reason,
                     [(name, value) for name, value in response.getheaders() if name.lower() not in HOP_BY_HOP], data)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = _forward


class Guard:
    """The guard on 127.0.0.1:`port`, passing allowed requests to decap-server on `backend` with
    the run's secret `token`, in a thread of its own until `close`."""

    def __init__(self, port: int, backend: int, site_port: int, token: str) -> None:
        self._server = _Guard(port, backend, site_port, token)
        self._thread = threading.Thread(target=self._server.serve_forever, name="transfo-cms-guard", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
