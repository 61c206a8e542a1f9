"""Cache files kept for one folder (an output or a content folder), dropped once it is gone.

Builds into temporary folders (tests, releases replaced by newer ones) each
leave records behind; nothing could ever use them again. Each such file
gets a note naming its folder (`<name>.for`), and `prune` removes the files
of folders that no longer exist.
"""

from __future__ import annotations

from pathlib import Path

NOTE_SUFFIX = ".for"


def note_owner(artefact: Path, folder: Path) -> None:
    """Note beside `artefact` that it belongs to `folder`."""
    note = Path(artefact).with_suffix(NOTE_SUFFIX)
    text = str(Path(folder).resolve())
    if not note.is_file() or note.read_text(encoding="utf-8") != text:
        note.write_text(text, encoding="utf-8")


def prune(cache: Path) -> list[Path]:
    """Remove, in `cache`, every noted file whose folder no longer exists; the files removed."""
    removed = []
    for note in sorted(Path(cache).glob("*" + NOTE_SUFFIX)):
        try:
            gone = not Path(note.read_text(encoding="utf-8")).exists()
        except OSError:
            continue
        if gone:
            for artefact in sorted(note.parent.glob(note.stem + ".*")):
                artefact.unlink(missing_ok=True)
                removed.append(artefact)
    return removed
