"""The preview server of `invoke serve`: Pelican's, answering as production does.

It adds the security headers of docs/nginx.conf (transfo_quality.headers) to
every answer and, like nginx's `error_page 404`, answers a missing page with
the site's 404.html (Pelican's handler closes the connection without a word).
"""

from __future__ import annotations

from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer

NOT_FOUND_PAGE = "404.html"


def preview_handler(headers: Callable[[str], dict[str, str]]) -> type[ComplexHTTPRequestHandler]:
    class PreviewHandler(ComplexHTTPRequestHandler):
        path: str  # the request's, set by BaseHTTPRequestHandler (Pelican's subclass is untyped)
        def end_headers(self) -> None:
            for name, value in headers(self.path).items():
                self.send_header(name, value)
            super().end_headers()

        def do_GET(self) -> None:
            found = self.get_path_that_exists(self.path.split("?", 1)[0])
            if found is None:
                self.not_found()
                return
            self.path = found
            SimpleHTTPRequestHandler.do_GET(self)

        def not_found(self) -> None:
            page = Path(self.base_path) / NOT_FOUND_PAGE
            if not page.is_file():
                self.send_error(404)
                return
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return PreviewHandler


def preview_server(site: Path, host: str, port: int,
                   headers: Callable[[str], dict[str, str]]) -> RootedHTTPServer:
    return RootedHTTPServer(str(site), (host, port), preview_handler(headers))
