"""Content files a plugin reads itself while pages render, noted per page.

Pelican reads the Markdown files; a plugin may read other files of the content
folder (transfo_images reads the images a page shows, to plan their derivatives).
A plugin that reads every file of some suffixes only through `note` declares those
suffixes (`declare`): transfo_perf then keeps such files out of the key every page
depends on, and renders again only the pages whose rendering noted a changed one.
A read of such a file before pages render (encoding derivatives ahead) reaches a
page only through what the page's rendering reads again, so it is not noted.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from contextlib import AbstractContextManager

from .capture import Captures

_suffixes: set[str] = set()
_captures = Captures()  # paths noted while pages render (`captured`)


def declare(suffixes: Iterable[str]) -> None:
    """Content files with these suffixes (lowercase, with the dot) reach pages only through `note`."""
    _suffixes.update(suffix.lower() for suffix in suffixes)


def noted_suffixes() -> tuple[str, ...]:
    return tuple(sorted(_suffixes))


def note(path: str | os.PathLike[str]) -> None:
    """The page being rendered, if any, read the content file `path` (or its absence). Absolute,
    not resolved: noted at every use (a build's pages show images ~36,000 times at 2,000 articles)."""
    if _captures:
        _captures.add(os.path.abspath(path))


def captured() -> AbstractContextManager[set[str]]:
    """The absolute paths of the content files noted while the block runs (one page's rendering)."""
    return _captures.collecting()
