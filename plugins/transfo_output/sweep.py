"""Which files an earlier build wrote that this one did not, and removing them safely.

The list of a build's files (`transfo_common.written`) holds the paths
Pelican's writer reported with `content_written` (pages) and `feed_written`
(feeds), the files plugins wrote through `transfo_common.files` (calendars,
feeds, the admin), the images pages showed, and the static files Pelican
copied (`statics`). The search index is not in it (transfo_search keeps it
whole), nor is a file put in the output by hand: neither is ever removed
here. A build that finds no list from the last one removes nothing, and says how
many files it left that it did not write (`unlisted`).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

from transfo_common.files import note_owner, write_atomically


def record_path(cache: Path, output: Path) -> Path:
    """Where the list of the files written into `output` is kept, in the cache folder `cache`."""
    name = hashlib.sha256(str(Path(output).resolve()).encode()).hexdigest()[:16]
    return Path(cache) / f"written-{name}.json"


def load(record: Path) -> set[str] | None:
    """The files the last build listed; None when there is no readable list."""
    try:
        names = json.loads(Path(record).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        return None
    return set(names)


def save(record: Path, names: Iterable[str], output: Path) -> None:
    """Keep the list of this build's files; `transfo_common.files.prune_orphans` removes it
    once `output` is gone."""
    Path(record).parent.mkdir(parents=True, exist_ok=True)
    write_atomically(record, json.dumps(sorted(names), ensure_ascii=False, indent=0).encode("utf-8"))
    note_owner(Path(record), Path(output))


def stale(previous: set[str], current: set[str]) -> list[str]:
    """The files the last build wrote and this one did not, in order."""
    return sorted(previous - current)


def unlisted(output: Path, current: set[str], kept_whole: Iterable[str] = ()) -> list[str]:
    """The files of `output` this build did not write, in order; folders a plugin keeps whole
    (`kept_whole`, relative to `output`) aside."""
    skipped = tuple(folder.strip("/") + "/" for folder in kept_whole)
    found = (path.relative_to(output).as_posix() for path in Path(output).rglob("*") if path.is_file())
    return sorted(name for name in found if name not in current and not name.startswith(skipped))


def remove(output: Path, names: Iterable[str]) -> list[str]:
    """Delete these files of `output` (never a folder, nothing outside it), then the folders
    they leave empty, or that one already gone left empty, up to `output` itself; the files
    deleted."""
    root = os.path.abspath(output)
    removed = []
    for name in names:
        path = os.path.abspath(os.path.join(root, name))
        if not path.startswith(root + os.sep) or os.path.isdir(path) and not os.path.islink(path):
            continue
        try:
            os.unlink(path)
            removed.append(name)
        except (FileNotFoundError, NotADirectoryError):  # taken away before (the preview shows a
            pass  # deletion first), or its folder's name is now a file of this build
        folder = os.path.dirname(path)
        while folder != root and folder.startswith(root + os.sep):
            try:
                os.rmdir(folder)
            except OSError:  # not empty (or gone): the folders above are not empty either
                break
            folder = os.path.dirname(folder)
    return removed
