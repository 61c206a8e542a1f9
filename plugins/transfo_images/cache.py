"""Encoded files kept between builds, checked before use and copied (never linked) into an output.

Each cache file gets a note beside it (`<name>.sum`: SHA-256, size, modification time), written
once the file is complete. A file whose size or time differs from its note is hashed again; one
whose bytes no longer match, or that has no note, is damaged: the library encodes it again.
Every copy into an output is hashed once written, so a file damaged without its time changing
is caught before it reaches a page, and a release shares nothing with the cache (a later damage
to the cache cannot reach a live site or a rollback).
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

from transfo_common.files import copy_data, sha256_of_file, write_atomically

NOTE_SUFFIX = ".sum"


class DamagedCacheFile(Exception):
    """A cache file whose bytes are not those recorded when it was written."""


def note_of(path: Path) -> Path:
    return path.with_name(path.name + NOTE_SUFFIX)


def _write_note(path: Path, sha: str) -> None:
    stat = os.stat(path)
    write_atomically(note_of(path), f"{sha} {stat.st_size} {stat.st_mtime_ns}\n".encode())


def store(path: Path, data: bytes) -> None:
    """Write a cache file and its note, each atomically: a crashed build never leaves half a file,
    and a file without its note is never trusted."""
    path.parent.mkdir(parents=True, exist_ok=True)
    note_of(path).unlink(missing_ok=True)
    write_atomically(path, data)
    _write_note(path, hashlib.sha256(data).hexdigest())


def recorded(path: Path) -> tuple[str, int, int] | None:
    """(sha256, size, mtime_ns) noted when `path` was written; None without a readable note."""
    try:
        sha, size, mtime = note_of(path).read_text(encoding="ascii").split()
        return sha, int(size), int(mtime)
    except (OSError, ValueError, UnicodeDecodeError):
        return None


def state(path: Path) -> str:
    """"missing", "intact" or "damaged". A file unchanged since its note (size and time) is
    intact without being read; any other is hashed."""
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return "missing"
    note = recorded(path)
    if note is None or note[1] != stat.st_size:
        return "damaged"
    if note[2] == stat.st_mtime_ns:
        return "intact"
    if sha256_of_file(path) != note[0]:
        return "damaged"
    _write_note(path, note[0])  # touched, not changed
    return "intact"


def same_file(first: os.stat_result, second: os.stat_result) -> bool:
    return (first.st_dev, first.st_ino) == (second.st_dev, second.st_ino)


def publish_file(cache_file: Path, target: Path) -> bool:
    """Put a copy of a cache file at `target` in the output; True when the output changed.

    The copy is written under a name of its own beside the target, hashed, given the cache
    file's time and renamed over the target: nothing is written into an existing file, and
    processes of one build (forked renderers) may publish the same file at the same time.
    A target already copied from this cache file (same size and time, another inode) is left
    alone; one that *is* the cache file (a hard link of older builds) is replaced by a copy.
    DamagedCacheFile when the bytes are not those noted when the cache file was written.
    """
    target = Path(target)
    note = recorded(cache_file)
    if note is None:
        raise DamagedCacheFile(cache_file)
    cached = os.stat(cache_file)
    try:
        existing = os.stat(target)
        if (existing.st_size == cached.st_size and existing.st_mtime_ns == cached.st_mtime_ns
                and not same_file(existing, cached)):
            return False
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f"{target.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    try:
        copy_data(cache_file, temporary)
        if sha256_of_file(temporary) != note[0]:
            raise DamagedCacheFile(cache_file)
        os.utime(temporary, ns=(cached.st_atime_ns, cached.st_mtime_ns))
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return True
