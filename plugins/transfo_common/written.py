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
from contextlib import AbstractContextManager

from .capture import Captures

_listings: dict[str, set[str]] = {}  # output folder -> names written there by the build under way
_captures = Captures()  # paths noted while pages render (`captured`)


def start(output: str) -> None:
    """A full build into `output` starts writing: what it writes from now on is its own."""
    _listings[os.path.abspath(output)] = set()


def note(path: str) -> None:
    """`path` holds its final bytes: one of the files of the build writing below it, if any."""
    full = os.path.abspath(path)
    _captures.add(full)
    for output, names in _listings.items():
        name = relative_name(output, full)
        if name is not None:
            names.add(name)


def captured() -> AbstractContextManager[set[str]]:
    """The absolute paths noted while the block runs (pages being rendered), whether or not a
    listing is under way in this process."""
    return _captures.collecting()


def finish(output: str) -> set[str] | None:
    """The names the build into `output` wrote; None when no full build was listing there."""
    return _listings.pop(os.path.abspath(output), None)


def relative_name(output: str, path: str) -> str | None:
    """`path` relative to `output` with forward slashes; None when it is not below `output`.

    A prefix test, not `os.path.relpath`: a build notes each image every time a page shows it
    (~110,000 calls at 2,000 articles), and relpath took 0.4 CPU-s of them."""
    root, full = os.path.abspath(output), os.path.abspath(path)
    prefix = root if root.endswith(os.sep) else root + os.sep
    if not full.startswith(prefix) or full == prefix:
        return None
    return full[len(prefix):].replace(os.sep, "/")
