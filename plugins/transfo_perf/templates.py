"""Compiled templates kept on disk between builds (Jinja's bytecode cache).

Pelican compiles every template again in every generator of every build.
Jinja can keep the compiled code on disk; its own key is the template's
name and file, and a bucket is reused only when the template source is
unchanged. Compiled code also depends on the environment (its extensions,
gettext style, delimiters, whitespace options), so the key here adds a
fingerprint of those: a changed template or environment never reuses old code.
"""

from __future__ import annotations

import hashlib

import jinja2
from jinja2.bccache import Bucket, FileSystemBytecodeCache

from .fingerprint import canonical

_ENV_ATTRIBUTES = (
    "block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
    "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
    "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "optimized",
    "autoescape", "finalize", "undefined", "is_async", "newstyle_gettext",
)


def environment_fingerprint(environment: jinja2.Environment) -> str:
    parts: list[object] = [jinja2.__version__, sorted(environment.extensions)]
    parts += [getattr(environment, name, None) for name in _ENV_ATTRIBUTES]
    parts.append(sorted(environment.policies.items(), key=lambda item: item[0]))
    return hashlib.sha256(canonical(parts).encode()).hexdigest()[:16]


class EnvironmentAwareBytecodeCache(FileSystemBytecodeCache):
    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None,
                   source: str) -> Bucket:
        return super().get_bucket(environment, f"{name}|{environment_fingerprint(environment)}",
                                  filename, source)
