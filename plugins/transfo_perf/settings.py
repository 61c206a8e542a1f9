"""The perf plugin's settings, read and validated in one place.

Every speed-up can be switched off on its own; all keep the output
byte-identical to a plain build (tests/test_perf_identical.py checks it).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULTS = {
    # Write a page only when its bytes changed: unchanged files keep their mtime.
    "TRANSFO_PERF_WRITE_CHANGED_ONLY": True,
    # Parse every Markdown file up front in a pool of worker processes.
    "TRANSFO_PERF_PARALLEL_READ": True,
    "TRANSFO_PERF_WORKERS": 0,  # 0: one per CPU
    # Keep parsed Markdown on disk, keyed by the file's bytes and the Markdown setup.
    "TRANSFO_PERF_PARSE_CACHE": True,
    # Keep compiled templates on disk (Jinja's bytecode cache, keyed by source and environment).
    "TRANSFO_PERF_TEMPLATE_CACHE": True,
    # Skip the whole build when no input (content, theme, plugins, settings,
    # libraries) and no output file changed since the last one. Only with a
    # pinned TRANSFO_NOW: with the real clock, scheduled articles may be due.
    "TRANSFO_PERF_SKIP_UNCHANGED": True,
    # Render pages once every generator has asked for them, split between
    # TRANSFO_PERF_WORKERS processes.
    "TRANSFO_PERF_PARALLEL_RENDER": True,
    # Render again only the pages that showed a changed article body, when
    # nothing else changed since the last build (pinned TRANSFO_NOW only).
    "TRANSFO_PERF_RENDER_AFFECTED_ONLY": True,
    "TRANSFO_PERF_CACHE_PATH": None,  # None: <CACHE_PATH>/transfo_perf
}


class PerfSettingsError(ValueError):
    """A perf setting has the wrong shape; the message names the key."""


@dataclass(frozen=True)
class PerfSettings:
    write_changed_only: bool
    parallel_read: bool
    workers: int
    parse_cache: bool
    template_cache: bool
    skip_unchanged: bool
    parallel_render: bool
    render_affected_only: bool
    cache_path: Path


def read_settings(settings: dict) -> PerfSettings:
    merged = {**DEFAULTS, **{k: settings[k] for k in DEFAULTS if k in settings}}
    for key in ("TRANSFO_PERF_WRITE_CHANGED_ONLY", "TRANSFO_PERF_PARALLEL_READ",
                "TRANSFO_PERF_PARSE_CACHE", "TRANSFO_PERF_TEMPLATE_CACHE",
                "TRANSFO_PERF_SKIP_UNCHANGED", "TRANSFO_PERF_PARALLEL_RENDER",
                "TRANSFO_PERF_RENDER_AFFECTED_ONLY"):
        if not isinstance(merged[key], bool):
            raise PerfSettingsError(f"{key}: expected True or False, got {merged[key]!r}")
    workers = merged["TRANSFO_PERF_WORKERS"]
    if not isinstance(workers, int) or isinstance(workers, bool) or workers < 0:
        raise PerfSettingsError(f"TRANSFO_PERF_WORKERS: expected 0 (one per CPU) or a positive "
                                f"integer, got {workers!r}")
    cache = merged["TRANSFO_PERF_CACHE_PATH"] or os.path.join(settings.get("CACHE_PATH", "cache"),
                                                              "transfo_perf")
    return PerfSettings(
        write_changed_only=merged["TRANSFO_PERF_WRITE_CHANGED_ONLY"],
        parallel_read=merged["TRANSFO_PERF_PARALLEL_READ"],
        workers=workers or (os.cpu_count() or 1),
        parse_cache=merged["TRANSFO_PERF_PARSE_CACHE"],
        template_cache=merged["TRANSFO_PERF_TEMPLATE_CACHE"],
        skip_unchanged=merged["TRANSFO_PERF_SKIP_UNCHANGED"],
        parallel_render=merged["TRANSFO_PERF_PARALLEL_RENDER"],
        render_affected_only=merged["TRANSFO_PERF_RENDER_AFFECTED_ONLY"],
        cache_path=Path(cache),
    )
