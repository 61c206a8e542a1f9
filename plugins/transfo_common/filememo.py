"""What this process read from files, reused while each file stays as it was.

A process that stays (previews rebuild in `invoke livereload`) reads the
same thousands of output files at every build to find the few that
changed. A `FileMemo` keeps, for one folder, a result per file with the
file's identity: inode, size, modification and change times. A result is
reused only when the identity is unchanged and the file had not changed for
a second when it was read: a rewrite within the file system's clock tick
could keep the same times, but the change time of a later one moves, and
no program can set it back.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from typing import TypeVar

SETTLED_NS = 1_000_000_000

_memos: dict[tuple[str, str], dict[str, tuple]] = {}
Result = TypeVar("Result")


def identity(stat: os.stat_result) -> tuple[int, int, int, int]:
    return stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns


def read_all(kind: str, folder: str, files: Iterable[tuple[str, os.stat_result]],
             read: Callable[[str], Result]) -> dict[str, Result]:
    """{path: read(path)} for `files` ((path, stat) below `folder`), from this process's memo of
    `kind` results where the file is as it was when read; the memo then holds these files only."""
    started = time.time_ns()
    before = _memos.get((kind, folder), {})
    now: dict[str, tuple] = {}
    for path, stat in files:
        known = before.get(path)
        if known is None or known[0] is None or known[0] != identity(stat):
            settled = max(stat.st_mtime_ns, stat.st_ctime_ns) < started - SETTLED_NS
            known = (identity(stat) if settled else None, read(path))
        now[path] = known
    _memos[(kind, folder)] = now
    return {path: result for path, (_identity, result) in now.items()}
