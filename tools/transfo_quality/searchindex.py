"""The search index of a publish, written while the release is assembled and gated.

Pagefind reads every page and cannot update an index: at 2,000 articles it
took 12 of the 35 s of a one-article publish's build, and the gate waited for
it. A publish therefore builds without it (TRANSFO_SEARCH_IN_BUILD = False)
and starts it here, in a thread, once the build's pages are written: it reads
them from the build folder and writes the index into a folder of its own
beside it (`<root>/search-index/`, kept between publishes so that unchanged
files keep their digests). In the same thread, as soon as it is written, the
index gets the leak check a build gives its index (made from these pages, no
figure, only web types) and is hashed; once the gate is done, it joins the
release like any other file (`staging.assemble`).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from transfo_common import background
from transfo_promotions.api import check_folder
from transfo_search.api import index_and_report, read_settings

from .staging import folder_digests

FOLDER = "search-index"


def in_bundle(bundle: str, path: str) -> bool:
    """Whether a release path lies in the search index's folder `bundle`."""
    return path.startswith(bundle + "/")


@dataclass(frozen=True)
class IndexBeside:
    """An index being written into `folder/<bundle>/`, then checked and hashed, in a thread."""

    folder: Path
    bundle: str
    running: Future[tuple[dict[str, str], float]]  # the index's digests, seconds its writing took

    def covers(self, path: str) -> bool:
        """Whether a release path is the index's (placed by `finish`'s caller, not the build's)."""
        return in_bundle(self.bundle, path)

    def outside(self, path: str) -> bool:
        """Whether a release path is the build's to place."""
        return not self.covers(path)

    def finish(self) -> tuple[dict[str, str], float]:
        """Wait for the index, checked as a build checks its own: its {release path: SHA-256}
        (below `folder`) and the seconds its writing took. Raises the indexing error, or
        PromotionLeakError naming what the index must not hold."""
        return self.running.result()


def covers(settings: dict) -> Callable[[str], bool]:
    """Whether a release path is the search index's (written beside the build, not by it)."""
    search = read_settings(settings)
    return lambda path: search.enabled and in_bundle(search.bundle, path)


def start(pages: Path, root: Path, settings: dict, files: dict[str, str],
          memo: Path | None = None) -> IndexBeside | None:
    """Start writing the index of the built site `pages` ({path: sha256} of its files: `files`) under
    `<root>/search-index/`, then checking and hashing it (`memo`: see `staging.folder_digests`), all
    while the gate runs; None when the site has no search (TRANSFO_SEARCH_ENABLED)."""
    search = read_settings(settings)
    if not search.enabled:
        return None
    folder = Path(root) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for stray in folder.iterdir():  # only the bundle belongs here (TRANSFO_SEARCH_BUNDLE renamed)
        if stray.name == search.bundle:
            continue
        if stray.is_dir():
            shutil.rmtree(stray)
        else:
            stray.unlink()

    def write() -> tuple[dict[str, str], float]:
        started = time.monotonic()
        index_and_report(str(pages), search, folder / search.bundle, files)
        seconds = round(time.monotonic() - started, 3)
        check_folder(settings, folder, pages)
        return folder_digests(folder, memo), seconds

    return IndexBeside(folder, search.bundle, background.in_thread(write, "search-index"))

