"""The security headers of docs/nginx.conf, read from that file: one definition for
production and for `invoke serve`, so the preview blocks what production blocks."""

from __future__ import annotations

import re

# `add_header Name "value" always;` with a literal value (not a $variable such as Cache-Control).
_ADD_HEADER = re.compile(r'^\s*add_header\s+([A-Za-z-]+)\s+"([^"$]*)"\s+always;', re.MULTILINE)
# Meaningless, or harmful, on the plain-HTTP preview server.
PRODUCTION_ONLY = {"Strict-Transport-Security"}


def security_headers(nginx_conf: str) -> dict[str, str]:
    """The headers nginx adds to every answer, by name, in the order of the file."""
    return {name: value for name, value in _ADD_HEADER.findall(nginx_conf)}


def preview_headers(nginx_conf: str) -> dict[str, str]:
    return {name: value for name, value in security_headers(nginx_conf).items()
            if name not in PRODUCTION_ONLY}


def csp_directives(policy: str) -> dict[str, tuple[str, ...]]:
    """`default-src 'self'; frame-src https://a` -> {"default-src": ("'self'",), ...}."""
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = tuple(words[1:])
    return directives
