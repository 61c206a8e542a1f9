"""Saying in one line why writing the site failed (writing itself: `transfo_common.files`)."""

from __future__ import annotations

import errno
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# What an editor can do about a failed write, by cause.
_WRITE_FAILURES = {
    errno.ENOSPC: "disque plein ; attendu : de la place libre sur le disque",
    errno.EDQUOT: "quota de disque dépassé ; attendu : de la place libre dans votre quota",
    errno.EFBIG: "fichier plus grand que la limite du système ; attendu : une limite de taille plus haute",
    errno.EACCES: "permission refusée ; attendu : un dossier où la construction peut écrire",
    errno.EPERM: "permission refusée ; attendu : un dossier où la construction peut écrire",
    errno.EROFS: "disque en lecture seule ; attendu : un dossier où la construction peut écrire",
}


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
