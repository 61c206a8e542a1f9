"""Stable fingerprints of settings and file trees, equal only when nothing changed.

A fingerprint that differs when nothing changed costs a rebuild; one that
stays equal when something changed would serve a stale site. So these err
on the side of difference: values without a stable text form fall back to
their type and attributes, file contents are hashed (large files by size
and modification time).
"""

from __future__ import annotations

import hashlib
import os
import re
import types
from pathlib import Path

from transfo_common import filememo, tree

PRIVATE_PREFIX = "_TRANSFO_PERF"  # this plugin's own per-build state in the settings
# Files up to this size (text: content, templates, code) are fingerprinted by their bytes;
# larger ones (photos) by size and mtime, which every editor and tool changes on a write.
HASHED_MAX_BYTES = 64 << 10
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
SKIPPED_DIRS = {"__pycache__", ".git", ".pytest_cache"}


def canonical(value, _depth: int = 0, reference=None) -> str:
    """A text form of `value` that is the same in every process.

    `reference(value)` may name an object instead of describing it (a text,
    or None to describe it): objects that point at each other stay short.
    """
    if _depth > 20:
        return "…"
    if value is None or isinstance(value, (str, int, float, bool, bytes, Path)):
        return repr(value)
    named = reference(value) if reference is not None else None
    if named is not None:
        return named
    deeper = _depth + 1

    def inner(item):
        return canonical(item, deeper, reference)

    if isinstance(value, dict):
        items = sorted((inner(k), inner(v)) for k, v in value.items())
        return "{" + ",".join(f"{k}:{v}" for k, v in items) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(inner(v) for v in value) + "]"
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(inner(v) for v in value)) + "}"
    if isinstance(value, (types.FunctionType, types.BuiltinFunctionType, type, types.ModuleType)):
        code = getattr(value, "__code__", None)
        body = ""
        if code is not None:  # the code, its constants and what its closure captured
            cells = [cell.cell_contents for cell in (value.__closure__ or ()) if _filled(cell)]
            body = hashlib.sha256(code.co_code + canonical([code.co_consts, cells, value.__defaults__],
                                                           deeper).encode()).hexdigest()[:12]
        return f"<{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', value.__name__)}{body}>"
    if hasattr(value, "__dict__"):
        return f"<{type(value).__qualname__}{inner(vars(value))}>"
    return _ADDRESS.sub("", repr(value))


def _filled(cell) -> bool:
    try:
        _ = cell.cell_contents  # raises ValueError while the cell is empty
    except ValueError:
        return False
    return True


def settings_fingerprint(settings: dict) -> str:
    public = {k: v for k, v in settings.items() if not k.startswith(PRIVATE_PREFIX)}
    return hashlib.sha256(canonical(public).encode()).hexdigest()


def file_digests(root: Path, exclude_suffixes: tuple[str, ...] = (),
                 only_suffixes: tuple[str, ...] = ()) -> dict[str, str]:
    """{relative name: hash of its bytes (or its size and mtime)} of every file below `root`.

    In a process that stays, a file unchanged since it was last hashed is not
    read again (`transfo_common.filememo`; the resident preview also watches
    the input folders, `transfo_common.tree`).
    """
    digests, small = {}, []
    for name, found in tree.files(root, SKIPPED_DIRS).items():
        if (exclude_suffixes and name.endswith(exclude_suffixes)) or \
                (only_suffixes and not name.endswith(only_suffixes)):
            continue
        digests[name] = f"{found.st_size}:{found.st_mtime_ns}"
        if found.st_size <= HASHED_MAX_BYTES:
            small.append((os.path.join(root, name), found))
    hashed = filememo.read_all(f"digests:{exclude_suffixes}:{only_suffixes}", os.path.abspath(root), small,
                               _sha256_of)
    start = len(os.path.join(root, ""))
    digests.update((path[start:], digest) for path, digest in hashed.items() if digest is not None)
    return digests


def _sha256_of(path: str) -> str | None:
    """None when the file cannot be read: it is then known by its size and time, as a photo is."""
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except OSError:
        return None


def times_fingerprint(root: Path) -> str:
    """Hash of the name, size and mtime of every file below `root`, from this process's watch of
    it when there is one (`transfo_common.tree`), and then kept until the listing changes;
    "absent" when it is not a folder."""
    if not os.path.isdir(root):
        return "absent"
    listing = tree.files(root, SKIPPED_DIRS)
    version, kept = tree.version(root), _times_kept.get(os.path.abspath(root))
    if version is not None and kept is not None and kept[0] == version:
        return kept[1]
    fingerprint = digests_fingerprint({name: f"{found.st_size}:{found.st_mtime_ns}"
                                       for name, found in listing.items()})
    if version is not None:
        _times_kept[os.path.abspath(root)] = (version, fingerprint)
    return fingerprint


_times_kept: dict[str, tuple[int, str]] = {}  # folder -> (listing version, its fingerprint)


def digests_fingerprint(digests: dict[str, str]) -> str:
    return hashlib.sha256("\n".join(f"{name}\0{digest}" for name, digest in sorted(digests.items()))
                          .encode()).hexdigest()


def files_fingerprint(root: Path, exclude_suffixes: tuple[str, ...] = ()) -> str:
    """Hash of every file below `root`: its path, and its bytes (or size and mtime)."""
    if not os.path.isdir(root):
        return "absent"
    return digests_fingerprint(file_digests(root, exclude_suffixes))


def installed_packages() -> str:
    """Name and version of every installed distribution (its *.dist-info / *.egg-info
    folder names on sys.path): a library upgrade changes it. Folders are resolved and
    counted once, so the same installation gives the same answer however it is on sys.path."""
    import sys

    names = set()
    for folder in {os.path.realpath(entry or ".") for entry in sys.path}:
        try:
            names.update(f"{folder}/{n}" for n in os.listdir(folder)
                         if n.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
    return hashlib.sha256("\n".join(sorted(names)).encode()).hexdigest()
