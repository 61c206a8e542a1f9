"""The files of a content folder as Pelican finds them, and the entries it cannot read.

Pelican walks content folders following symbolic links, so a link back to a
parent folder made it read the same files again and again, and a second link
to one folder published its files twice (a traceback either way). A folder
reached twice is reported here and not entered again; broken links, links
that loop, links that leave the content folder (never read: a link to a
secret file would put its lines in the report) and entries that are not
regular files (a pipe would block the build) are reported too, each as one line.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

# Hidden files and folders are never content (.DS_Store, editor swap files, .git), nor the
# lock files Word leaves beside an open document (~$x.md): pelicanconf.py sets Pelican's
# IGNORE_FILES to the same patterns.
DEFAULT_IGNORES = (".*", "~$*")


@dataclass
class Listing:
    files: list[Path] = field(default_factory=list)  # regular files, in walking order
    unreadable: list[tuple[Path, str]] = field(default_factory=list)  # (entry, why, in French)


def _why(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "lien symbolique en boucle ; attendu : un fichier ou un dossier réel (supprimez ce lien)"
    if error.errno == errno.ENOENT:
        return "lien symbolique cassé (sa cible n'existe pas) ; attendu : un fichier réel (supprimez ce lien)"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "illisible (permission refusée) ; attendu : un fichier lisible par la construction"
    return f"illisible ({os.strerror(error.errno or 0)}) ; attendu : un fichier lisible"


def _mode(entry: os.DirEntry) -> int:
    """The entry's type through links, as Pelican reads it; no system call for a plain file or
    folder (the directory listing already says what it is)."""
    if entry.is_symlink():
        return os.stat(entry.path).st_mode
    if entry.is_dir(follow_symlinks=False):
        return stat.S_IFDIR
    if entry.is_file(follow_symlinks=False):
        return stat.S_IFREG
    return entry.stat(follow_symlinks=False).st_mode


def _inside(folder: str, container: str) -> bool:
    return folder == container or folder.startswith(container.rstrip(os.sep) + os.sep)


def outside_message(target: str) -> str:
    return f"lien symbolique vers « {target} », hors du dossier content/ ; attendu : un fichier copié dans content/"


def walk(root: Path, ignores: tuple[str, ...] = DEFAULT_IGNORES, boundary: Path | None = None) -> Listing:
    """Every file below `root`, symbolic links followed as Pelican does, each folder once; a link
    whose target lies outside `boundary` (the content folder; `root` by default) is not followed."""
    listing = Listing()
    limit = os.path.realpath(boundary if boundary is not None else root)
    ignored = re.compile("|".join(fnmatch.translate(pattern) for pattern in ignores) or "(?!)")
    entered: dict[tuple[int, int], Path] = {}  # real folder -> the path it was first entered by
    real_folders: set[tuple[int, int]] = set()  # folders below root not through a link

    def visit(folder: Path) -> None:
        try:
            info = os.stat(folder)
        except OSError as error:
            listing.unreadable.append((folder, _why(error)))
            return
        identity = (info.st_dev, info.st_ino)
        if identity in entered:  # a loop through a mount or a bind is caught here too
            listing.unreadable.append((folder, f"même dossier que « {entered[identity].as_posix()} » "
                                       "(lien symbolique) : ses fichiers seraient lus deux fois ; "
                                       "attendu : supprimer ce lien"))
            return
        entered[identity] = folder
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as error:
            listing.unreadable.append((folder, _why(error)))
            return
        for entry in entries:
            if ignored.match(entry.name):
                continue
            path = Path(entry.path)
            try:
                mode = _mode(entry)
            except OSError as error:
                listing.unreadable.append((path, _why(error)))
                continue
            if entry.is_symlink() and not _inside(os.path.realpath(path), limit):
                listing.unreadable.append((path, outside_message(os.path.realpath(path))))
                continue
            if stat.S_ISDIR(mode):
                if entry.is_symlink():
                    target = os.path.realpath(path)
                    if _inside(os.path.realpath(folder), target):
                        listing.unreadable.append((path, f"lien symbolique en boucle vers « {target} », "
                                                   "qui le contient ; attendu : supprimer ce lien"))
                        continue
                    if _identity(path) in real_folders:  # the link is to blame, not the folder
                        listing.unreadable.append((path, f"lien symbolique vers « {target} », déjà lu "
                                                   "à sa place : ses fichiers seraient lus deux fois ; "
                                                   "attendu : supprimer ce lien"))
                        continue
                visit(path)
            elif stat.S_ISREG(mode):
                listing.files.append(path)
            else:
                listing.unreadable.append((path, "n'est pas un fichier ordinaire (tube, socket ou "
                                           "périphérique) ; attendu : un fichier texte ou une image"))

    if root.is_dir():
        real_folders = {_identity(Path(folder)) for folder, _dirs, _files in os.walk(root)}  # links not followed
        visit(root)
    return listing


def _identity(path: Path) -> tuple[int, int]:
    info = os.stat(path)
    return info.st_dev, info.st_ino
