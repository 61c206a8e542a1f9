"""What the image folders of content/ may hold, checked file by file before anything is built.

Only JPEG, PNG and WebP images are accepted, recognised by their first bytes (an extension
proves nothing: a CSV saved as UTF-16 and renamed .jpg is still a CSV). SVG is refused, not
sanitised: it can carry scripts, and a PNG export shows the same drawing. Whether an image
decodes, and its size, are checked where a page uses it (fields.py, planning.py), with the
page's name in the line. Symbolic links anywhere in content/ must stay
inside it and lead somewhere; a loop or a link to another folder of the disk is refused.
Hidden files (`.DS_Store`...) are ignored: nothing of these folders is copied as it is.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from transfo_validation.problems import Problem
from transfo_validation.tree import outside_message

# The only image files content/ may hold; what a Markdown image may name to become <picture>.
ACCEPTED_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
ACCEPTED = "une image JPEG, PNG ou WebP"
HEAD_BYTES = 64

# First bytes of files editors may drop in by mistake, to say what was found.
_KNOWN_OTHERS = (
    (b"\xff\xfe", "du texte UTF-16"),
    (b"\xfe\xff", "du texte UTF-16"),
    (b"\x1f\x8b", "une archive gzip"),
    (b"PK\x03\x04", "une archive ZIP (xlsx, docx, odt…)"),
    (b"%PDF", "un PDF"),
    (b"GIF8", "une image GIF (à exporter en PNG)"),
    (b"II*\x00", "une image TIFF (à exporter en JPEG)"),
    (b"MM\x00*", "une image TIFF (à exporter en JPEG)"),
    (b"BM", "une image BMP (à exporter en PNG)"),
    (b"8BPS", "un fichier Photoshop (à exporter en JPEG)"),
)


def image_type(head: bytes) -> str | None:
    """"jpeg", "png" or "webp" from a file's first bytes; None for anything else."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def what_it_is(head: bytes, name: str) -> str:
    """The kind of a refused file, in French, for the error line."""
    if name.lower().endswith(".svg") or b"<svg" in head.lower():
        return "une image SVG (refusée : elle peut contenir du script ; à exporter en PNG)"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"mif1", b"hevc"):
            return "une photo HEIC (iPhone ; à exporter en JPEG)"
        if brand in (b"avif", b"avis"):
            return "une image AVIF (à exporter en JPEG ou WebP)"
    for magic, kind in _KNOWN_OTHERS:
        if head.startswith(magic):
            return kind
    if not head:
        return "un fichier vide"
    try:
        head.decode("utf-8")
        return "du texte"
    except UnicodeDecodeError:
        return "un fichier d'un type inconnu"


def link_problem(link: Path, content_root: Path, shown: str) -> Problem | None:
    """A symbolic link must lead to an existing file or folder inside content/."""
    try:
        target = link.resolve(strict=True)
    except RuntimeError:  # Python < 3.13: loops
        return Problem(shown, "fichier", "lien symbolique en boucle ; attendu : un vrai fichier")
    except OSError as error:
        if error.errno == errno.ELOOP:
            return Problem(shown, "fichier", "lien symbolique en boucle ; attendu : un vrai fichier")
        return Problem(shown, "fichier", f"lien symbolique vers « {os.readlink(link)} », introuvable ; "
                       "attendu : un vrai fichier")
    if not target.is_relative_to(content_root):
        return Problem(shown, "fichier", outside_message(str(target)))
    return None


def file_problem(path: Path, shown: str) -> Problem | None:
    """An image file of the image folders must be of an accepted type, by content and extension."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError as error:
        return Problem(shown, "fichier", f"illisible ({error.strerror}) ; attendu : {ACCEPTED}")
    found = image_type(head)
    if found is None or path.suffix.lower() not in ACCEPTED_SUFFIXES:
        kind = f"une image {found.upper()} nommée « {path.name} »" if found else what_it_is(head, path.name)
        return Problem(shown, "fichier", f"type refusé : {kind} ; attendu : {ACCEPTED} "
                       f"({', '.join(ACCEPTED_SUFFIXES)}), rien d'autre dans ce dossier")
    return None


def content_links(content_root: Path, display: Callable[[Path], str]) -> list[Problem]:
    """Every symbolic link of content/ that loops, leads nowhere or leaves content/."""
    problems: list[Problem] = []
    for directory, dirs, names in os.walk(content_root):  # links to folders are not entered
        for name in sorted(dirs + names):
            path = Path(directory) / name
            if path.is_symlink():
                problem = link_problem(path, content_root, display(path))
                if problem:
                    problems.append(problem)
    return problems


def image_folder_problems(content_root: Path, folders: Iterable[str],
                          display: Callable[[Path], str]) -> list[Problem]:
    """One line per file of the image folders that is not an accepted image.

    Links were checked by `content_links`; those leading inside content/ are checked as the
    file they lead to. A link to a folder is refused: its files would escape this check.
    """
    problems: list[Problem] = []

    def linked_inside(path: Path) -> bool:
        """A link `content_links` has nothing to say about (it leads somewhere inside content/)."""
        return path.is_symlink() and path.exists() and path.resolve().is_relative_to(content_root)

    folder_link = "lien symbolique vers un dossier ; attendu : un vrai dossier d'images"
    for folder in folders:
        base = content_root / folder
        if linked_inside(base):
            problems.append(Problem(display(base), "fichier", folder_link))
        if base.is_symlink() or not base.is_dir():
            continue
        for directory, dirs, names in os.walk(base):
            problems += [Problem(display(Path(directory) / name), "fichier", folder_link)
                         for name in sorted(dirs) if linked_inside(Path(directory) / name)]
            for name in sorted(names):
                path = Path(directory) / name
                if name.startswith(".") or (path.is_symlink() and not linked_inside(path)):
                    continue  # hidden: never published; other links: content_links names them
                problem = file_problem(path, display(path))
                if problem:
                    problems.append(problem)
    return problems
