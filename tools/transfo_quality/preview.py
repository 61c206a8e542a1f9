"""The preview server of `invoke serve`: Pelican's, answering as production does.

It adds the security headers of docs/nginx.conf (transfo_quality.headers) to
every answer and, like nginx's `error_page 404`, answers a missing page with
the site's 404.html (Pelican's handler closes the connection without a word).
Like nginx, it gives that page for what production never serves: a path with
a part starting with a dot (.env, .git), a folder without index.html (no
listing), the .gz/.br copies asked for by name, and a file a link leads to
outside the site.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from urllib.parse import unquote

from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer

NOT_FOUND_PAGE = "404.html"
COMPRESSED_COPIES = (".gz", ".br")


def served(site: Path, request_path: str, file: Path) -> bool:
    """Whether production serves `file`, found for `request_path` below `site`."""
    parts = unquote(request_path.split("?", 1)[0]).split("/")
    if any(part.startswith(".") for part in parts) or file.suffix in COMPRESSED_COPIES:
        return False
    if file.is_dir() and not (file / "index.html").is_file():
        return False
    real, root = os.path.realpath(file), os.path.realpath(site)
    return real == root or real.startswith(root + os.sep)


def preview_handler(headers: Callable[[str], dict[str, str]]) -> type[ComplexHTTPRequestHandler]:
    class PreviewHandler(ComplexHTTPRequestHandler):
        path: str  # the request's, set by BaseHTTPRequestHandler (Pelican's subclass is untyped)

        def end_headers(self) -> None:
            # A request line too long or garbled is answered before any path is read.
            for name, value in headers(getattr(self, "path", "/")).items():
                self.send_header(name, value)
            super().end_headers()

        def do_GET(self) -> None:
            found = self.get_path_that_exists(self.path.split("?", 1)[0])
            if found is None or not served(Path(self.base_path), found, Path(self.translate_path(found))):
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
