"""The files a full build writes into its output folder, noted as they are written.

`transfo_output` starts a listing once every generator has its context and
ends it at `finalized`, then removes what the last build wrote and this one
did not. Pages and feeds written by Pelican's writer are noted from its
signals; files plugins write themselves through `files.write_if_changed` and
`files.copy_if_changed` (feeds, calendars, the admin) are noted there, and the
images a page shows each time the page uses them. A write outside any listing
(a preview's refresh, a cache file, another output folder) is not noted.

A page rendered in a forked process notes into that process's memory: the
renderer `captures` what its pages noted and hands it back to the build's
process, which notes it there (transfo_perf keeps it for the pages it does
not render again).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

_listings: dict[str, set[str]] = {}  # output folder -> names written there by the build under way
_captures: list[set[str]] = []  # paths noted while pages render (`captured`)


def start(output: str) -> None:
    """A full build into `output` starts writing: what it writes from now on is its own."""
    _listings[os.path.abspath(output)] = set()


def note(path: str) -> None:
    """`path` holds its final bytes: one of the files of the build writing below it, if any."""
    for captured_paths in _captures:
        captured_paths.add(os.path.abspath(path))
    for output, names in _listings.items():
        name = relative_name(output, path)
        if name is not None:
            names.add(name)


@contextmanager
def captured() -> Iterator[set[str]]:
    """The absolute paths noted while the block runs (pages being rendered), whether or not a
    listing is under way in this process."""
    paths: set[str] = set()
    _captures.append(paths)
    try:
        yield paths
    finally:
        _captures.pop()


def finish(output: str) -> set[str] | None:
    """The names the build into `output` wrote; None when no full build was listing there."""
    return _listings.pop(os.path.abspath(output), None)


def relative_name(output: str, path: str) -> str | None:
    """`path` relative to `output` with forward slashes; None when it is not below `output`."""
    relative = os.path.relpath(os.path.abspath(path), os.path.abspath(output))
    if relative == os.curdir or relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return None
    return relative.replace(os.sep, "/")
