"""The last Pagefind bundles, each kept under the hash of what it was made from.

An entry `<store>/<input key>/` holds the bundle Pagefind wrote (`bundle/`)
and its record (`record.json`): the pages it was made from ({path: sha256})
and its own files ({path: sha256}). The key covers the pages, not the
output folder, so a publish into a new staging folder, a preview and a test
build of the same site share one entry. An entry is written in a temporary
folder and renamed into place once complete; it is used only while its
files are still those of its record (a damaged entry is made again).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from transfo_common import tree
from transfo_common.files import memo_by_stat

RECORD = "record.json"
BUNDLE = "bundle"
KEEP = 4  # entries kept: the live site, staging, a preview and one spare
_IN_USE_S = 3600  # an entry used since may be in use by another build
_LEFTOVER_S = 3600  # a temporary folder this old belongs to a build that died


def file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 16):
            digest.update(chunk)
    return digest.hexdigest()


def digests(folder: Path, names: dict[str, os.stat_result], kind: str) -> dict[str, str]:
    """{relative path: sha256} of these files of `folder`; a process that stays does not read a
    file again while it is as it was (`transfo_common.files.memo_by_stat`)."""
    root = os.path.abspath(folder)
    found = memo_by_stat(kind, root, ((os.path.join(root, name), info) for name, info in names.items()),
                              file_sha256)
    return {name: str(found[os.path.join(root, name)]) for name in names}


def manifest(folder: Path) -> dict[str, str]:
    """{relative path: sha256} of every file below `folder`; {} when there is none."""
    return digests(folder, tree.files(os.path.abspath(folder)), "search-bundle")


def load(entry: Path) -> dict | None:
    """The record of a complete entry whose bundle is still the one it describes; else None."""
    try:
        record = json.loads((entry / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or not isinstance(record.get("pages"), dict):
        return None
    bundle = record.get("bundle")
    return record if isinstance(bundle, dict) and bundle and manifest(entry / BUNDLE) == bundle else None


def make(store: Path, key: str, pages: dict[str, str], write: Callable[[Path], None]) -> dict:
    """Make the entry `key`: `write(folder)` fills its bundle; the record of the entry (another
    build's, when one beside this made the same entry meanwhile)."""
    store.mkdir(parents=True, exist_ok=True)
    temporary = store / f".{key}.{os.getpid()}.tmp"
    shutil.rmtree(temporary, ignore_errors=True)
    try:
        write(temporary / BUNDLE)
        record = {"pages": pages, "bundle": manifest(temporary / BUNDLE)}
        (temporary / RECORD).write_text(json.dumps(record, indent=0, sort_keys=True), encoding="utf-8")
        for _attempt in range(3):
            try:
                temporary.rename(store / key)  # fails while the key is a folder with files
                return record
            except OSError:
                # A build beside this one may have made the same entry meanwhile, with an index of
                # other bytes (Pagefind's file names vary): keep theirs, which they may have
                # published already. An entry that does not load is damaged: replaced.
                theirs = load(store / key)
                if theirs is not None:
                    return theirs
                shutil.rmtree(store / key, ignore_errors=True)
        raise OSError(f"{store / key} : l'index n'a pas pu être rangé")
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def link_or_copy(source: str, target: str) -> None:
    """A second name for `source` (an entry's files are never written again once in place: a
    damaged entry is made anew, see `load`); a copy across file systems."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def publish(entry: Path, target: Path, files: dict[str, str]) -> bool:
    """Make the folder `target` the entry's bundle (`files`: its manifest), its files linked to the
    entry's (~0.3 s of copying at 2,000 articles); False when it already was, byte for byte (its
    files keep their dates)."""
    if manifest(target) == files:
        return False
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    old = target.with_name(f".{target.name}.{os.getpid()}.old")
    for leftover in (temporary, old):
        shutil.rmtree(leftover, ignore_errors=True)
    shutil.copytree(entry / BUNDLE, temporary, copy_function=link_or_copy)
    if target.exists():
        target.rename(old)
    temporary.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return True


def used(entry: Path) -> None:
    """Note that the entry served a build (`prune` keeps the most recently used)."""
    os.utime(entry / RECORD)


def records(store: Path) -> list[tuple[Path, dict]]:
    """(entry, raw record) of every entry of the store, the most recently used first."""
    found = []
    for entry in Path(store).iterdir() if Path(store).is_dir() else ():
        try:
            found.append(((entry / RECORD).stat().st_mtime, entry,
                          json.loads((entry / RECORD).read_text(encoding="utf-8"))))
        except (OSError, ValueError):
            continue
    return [(entry, record) for _when, entry, record in sorted(found, key=lambda item: -item[0])
            if isinstance(record, dict)]


def prune(store: Path, keep: int = KEEP) -> None:
    """Remove all but the `keep` entries most recently used, and what dead builds left. An entry
    used within the hour stays: a build running beside this one may still publish or check it."""
    for entry, _record in records(store)[keep:]:
        if (entry / RECORD).stat().st_mtime < time.time() - _IN_USE_S:
            shutil.rmtree(entry, ignore_errors=True)
    for leftover in Path(store).glob(".*.tmp"):
        if leftover.stat().st_mtime < time.time() - _LEFTOVER_S:
            shutil.rmtree(leftover, ignore_errors=True)
