"""The names Pelican's static generator copies into the output, for the list of a build's files.

Pelican copies files without a signal per file. What it copies follows from settings whose
effect its documentation states, so the names are worked out from them: each entry of
THEME_STATIC_PATHS, read in the theme, lands in THEME_STATIC_DIR (a folder's files keep their
path inside it, a file keeps its name), names matching IGNORE_FILES left out; a content static
file is copied to its `save_as`.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable
from pathlib import PurePosixPath


def _ignored(name: str, ignores: Iterable[str]) -> bool:
    return any(fnmatch.fnmatch(name, pattern) for pattern in ignores)


def theme_static_names(theme: str, static_paths: Iterable[str], static_dir: str,
                       ignores: Iterable[str]) -> set[str]:
    """The output names of the theme's static files."""
    ignores = list(ignores)
    names: set[str] = set()
    destination = PurePosixPath(static_dir)
    for entry in static_paths:
        source = os.path.join(theme, entry)
        if _ignored(os.path.basename(source), ignores):
            continue
        if os.path.isfile(source):
            names.add((destination / os.path.basename(entry)).as_posix())
            continue
        for folder, subfolders, files in os.walk(source, followlinks=True):
            subfolders[:] = [name for name in subfolders if not _ignored(name, ignores)]
            inside = PurePosixPath(os.path.relpath(folder, source).replace(os.sep, "/"))
            names.update((destination / inside / name).as_posix() for name in files
                         if not _ignored(name, ignores) and os.path.isfile(os.path.join(folder, name)))
    return {os.path.normpath(name).replace(os.sep, "/") for name in names}
