"""Saying in one line why writing the site failed (writing itself: `transfo_common.files`):
a write the system refused, or a theme template that cannot be compiled or rendered."""

from __future__ import annotations

import errno
import logging
import os
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import jinja2

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


class TemplateFailure(Exception):
    """A theme template that cannot be compiled or rendered, said in one line. Plain text, so that
    it crosses back from a render process (`transfo_common.forking` sends exceptions, not their
    tracebacks)."""

    exitcode = 1


def template_failure(error: jinja2.TemplateError, page: str | None = None) -> TemplateFailure:
    """One French line for a template `error`: the template's file and line (where Jinja points,
    or the template code nearest the error), the page being rendered, and Jinja's message."""
    where = "gabarit"
    if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:
        where = f"{_shown(error.filename)}, ligne {error.lineno}"
    else:  # Jinja gives each template's code its file name in the traceback
        frames = [frame for frame in traceback.extract_tb(error.__traceback__)
                  if not frame.filename.endswith(".py") and not frame.filename.startswith("<")]
        if frames:
            where = f"{_shown(frames[-1].filename)}, ligne {frames[-1].lineno}"
    rendering = f" (page {page})" if page else ""
    return TemplateFailure(f"{where} : erreur de gabarit{rendering} : {error.message or error} ; "
                           "construction arrêtée, rien n'a été publié.")


def _shown(path: str) -> str:
    """A path as the editor's console shows it: relative to the folder they work in, when below it."""
    relative = os.path.relpath(path)
    return path if relative.startswith(os.pardir) else relative


@contextmanager
def template_failures_said() -> Iterator[None]:
    """A Jinja error raised in the block comes out as a `TemplateFailure`, its one line."""
    try:
        yield
    except jinja2.TemplateError as error:
        raise template_failure(error) from None
