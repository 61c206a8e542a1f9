"""One build at a time into an output folder.

Two builds writing one folder at once interleave their pages and each may
publish the other's half-written files. A build holds an exclusive `flock`
on a lock file beside the output folder (never inside it: the output is
published, and a clean build empties it) for as long as it writes; a second
build is refused at once with one line instead of waiting.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class OutputBusy(Exception):
    """Another build holds the output folder; the message is one French line."""

    exitcode = 3


def lock_path(output: Path) -> Path:
    output = Path(os.path.abspath(output))
    return output.with_name(f".{output.name}.lock")


@contextmanager
def output_lock(output: Path) -> Iterator[Path]:
    """Hold the output folder for this build; raise OutputBusy when another build holds it."""
    path = lock_path(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        handle = open(path, "a+b")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise OutputBusy(f"{output}: une autre construction écrit déjà dans ce dossier (verrou "
                             f"{path.name}) ; attendu : attendre qu'elle se termine, puis relancer") from None
        try:
            if os.fstat(handle.fileno()).st_ino == os.stat(path).st_ino:
                break  # the lock file that is still in place: ours
        except FileNotFoundError:
            pass
        handle.close()  # removed by the build that just finished: take the new one
    try:
        yield path
    finally:
        try:
            os.unlink(path)  # while still locked: a build waiting on this file then takes a new one
        finally:
            handle.close()
