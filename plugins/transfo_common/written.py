"""The files a full build writes into its output folder, noted as they are written.

`transfo_output` starts a listing once every generator has its context and
ends it at `finalized`, then removes what the last build wrote and this one
did not. Pages and feeds written by Pelican's writer are noted from its
signals; files plugins write themselves through `files.write_if_changed`
(feeds, calendars) are noted there. A write outside any listing (a preview's
refresh, a cache file, another output folder) is not noted.
"""

from __future__ import annotations

import os

_listings: dict[str, set[str]] = {}  # output folder -> names written there by the build under way


def start(output: str) -> None:
    """A full build into `output` starts writing: what it writes from now on is its own."""
    _listings[os.path.abspath(output)] = set()


def note(path: str) -> None:
    """`path` holds its final bytes: one of the files of the build writing below it, if any."""
    for output, names in _listings.items():
        name = relative_name(output, path)
        if name is not None:
            names.add(name)


def finish(output: str) -> set[str] | None:
    """The names the build into `output` wrote; None when no full build was listing there."""
    return _listings.pop(os.path.abspath(output), None)


def relative_name(output: str, path: str) -> str | None:
    """`path` relative to `output` with forward slashes; None when it is not below `output`."""
    relative = os.path.relpath(os.path.abspath(path), os.path.abspath(output))
    if relative == os.curdir or relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return None
    return relative.replace(os.sep, "/")
