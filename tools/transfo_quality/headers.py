"""The security headers of docs/nginx.conf, read from that file: one definition for
production and for `invoke serve`, so the preview blocks what production blocks.

Each `location` block of the site sends its own headers (the admin's CSP allows
what Decap CMS needs, the site's does not): a path gets those of the most
specific location holding it, as nginx does.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# `add_header Name "value" always;` with a literal value (not a $variable such as Cache-Control).
_ADD_HEADER = re.compile(r'^\s*add_header\s+([A-Za-z-]+)\s+"([^"$]*)"\s+always;', re.MULTILINE)
_LOCATION = re.compile(r"^\s*location\s+(/\S*)\s*\{", re.MULTILINE)
# Where docs/nginx.conf serves the site; the preview serves it at /.
SITE_LOCATION = "/transfo/"
# Meaningless, or harmful, on the plain-HTTP preview server.
PRODUCTION_ONLY = {"Strict-Transport-Security"}


def _block(text: str, opening: int) -> str:
    """The body of the block whose `{` is at `opening`, without its nested blocks."""
    depth, body = 0, []
    for index in range(opening, len(text)):
        char = text[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                break
        elif depth == 1:
            body.append(char)
    return "".join(body)


def location_headers(nginx_conf: str) -> dict[str, dict[str, str]]:
    """{location prefix: the headers it adds to every answer, in the file's order}."""
    found = {}
    for match in _LOCATION.finditer(nginx_conf):
        headers = dict(_ADD_HEADER.findall(_block(nginx_conf, match.end() - 1)))
        if headers:
            found[match.group(1)] = headers
    return found


def security_headers(nginx_conf: str, path: str = "/") -> dict[str, str]:
    """The headers nginx adds to the answer for the site's `path` (`/` is the site's root)."""
    wanted = SITE_LOCATION + path.lstrip("/")
    locations = location_headers(nginx_conf)
    matching = [prefix for prefix in locations if wanted.startswith(prefix)]
    return locations[max(matching, key=len)] if matching else {}


def preview_headers(nginx_conf: str) -> Callable[[str], dict[str, str]]:
    """For `invoke serve`: the headers of a path of the site, production-only ones left out."""
    def headers(path: str) -> dict[str, str]:
        return {name: value for name, value in security_headers(nginx_conf, path).items()
                if name not in PRODUCTION_ONLY}
    return headers


def csp_directives(policy: str) -> dict[str, tuple[str, ...]]:
    """`default-src 'self'; frame-src https://a` -> {"default-src": ("'self'",), ...}."""
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = tuple(words[1:])
    return directives
