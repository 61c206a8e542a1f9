"""Writing generated files the way every plugin should, and saying in one line why it failed."""

from __future__ import annotations

import errno
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TEMPORARY_SUFFIX = ".tmp"  # a file being written; never part of a finished output

# What an editor can do about a failed write, by cause.
_WRITE_FAILURES = {
    errno.ENOSPC: "disque plein ; attendu : de la place libre sur le disque",
    errno.EDQUOT: "quota de disque dépassé ; attendu : de la place libre dans votre quota",
    errno.EFBIG: "fichier plus grand que la limite du système ; attendu : une limite de taille plus haute",
    errno.EACCES: "permission refusée ; attendu : un dossier où la construction peut écrire",
    errno.EPERM: "permission refusée ; attendu : un dossier où la construction peut écrire",
    errno.EROFS: "disque en lecture seule ; attendu : un dossier où la construction peut écrire",
}


def write_atomically(path: Path | str, data: bytes) -> None:
    """Write `data` as a new file replacing `path`: never into the old file, which another name
    may share (hard links), never seen half-written, and no temporary file left when the
    write fails (a full disk): the error names `path`."""
    # A name of its own: processes rendering pages side by side may write the same file.
    temporary = f"{path}.{os.getpid()}{TEMPORARY_SUFFIX}"
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except OSError as error:
        _remove(temporary)
        raise OSError(error.errno, error.strerror, str(path)) from error
    except BaseException:
        _remove(temporary)
        raise


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write `data` unless the file already holds it; True when written.

    Untouched files keep their mtime, so rsync, caches and browsers see only
    real changes.
    """
    path = Path(path)
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, data)
    return True


def remove_leftovers(output: Path) -> int:
    """Delete the temporary files a build killed half-way left in `output`; how many.

    Only call it while holding the output's lock (`locking.output_lock`): then
    no other build is writing there.
    """
    removed = 0
    pending = [os.fspath(output)]
    while pending:
        try:
            entries = list(os.scandir(pending.pop()))
        except OSError:  # no output yet
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                pending.append(entry.path)
            elif entry.name.endswith(TEMPORARY_SUFFIX):
                _remove(entry.path)
                removed += 1
    return removed


def write_failure(error: OSError, output: Path) -> str:
    """One French line for an OSError met while building into `output`."""
    where = error.filename or output
    if error.errno not in _WRITE_FAILURES:
        return f"{where}: erreur du système ({error.strerror or error}) ; construction arrêtée, rien n'a été publié."
    return (f"{output}: écriture impossible ({error.filename or 'un fichier'}) : "
            f"{_WRITE_FAILURES[error.errno]}, puis relancez la construction (rien n'a été publié).")


@contextmanager
def copy_failures() -> Iterator[list[OSError]]:
    """The OSErrors Pelican meets copying the theme's files, which it only logs as warnings
    (a half-copied site then builds with exit 0): kept instead of logged, for the caller to
    raise once the build ends. Yields the list they go into."""
    errors: list[OSError] = []
    logger = logging.getLogger("pelican.utils")

    def keep(record: logging.LogRecord) -> bool:
        if record.msg.startswith("A problem occurred copying file") and isinstance(record.args, tuple) \
                and record.args and isinstance(record.args[-1], OSError):
            errors.append(record.args[-1])
            return False
        return True

    logger.addFilter(keep)
    try:
        yield errors
    finally:
        logger.removeFilter(keep)
