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
        cell.cell_contents
    except ValueError:
        return False
    return True


def settings_fingerprint(settings: dict) -> str:
    public = {k: v for k, v in settings.items() if not k.startswith(PRIVATE_PREFIX)}
    return hashlib.sha256(canonical(public).encode()).hexdigest()


def _entries(folder: str):
    """(relative name, DirEntry) of every file below `folder`, in no set order (callers sort
    or key by name): one `scandir` per folder and plain strings, the cheapest walk."""
    pending = [(folder, "")]
    while pending:
        current, prefix = pending.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name not in SKIPPED_DIRS:
                    pending.append((entry.path, prefix + entry.name + "/"))
            else:
                yield prefix + entry.name, entry


def file_digests(root: Path, exclude_suffixes: tuple[str, ...] = (), by_content: bool = True,
                 only_suffixes: tuple[str, ...] = ()) -> dict[str, str]:
    """{relative name: hash of its bytes (or its size and mtime)} of every file below `root`."""
    digests = {}
    if not os.path.isdir(root):
        return digests
    for name, entry in _entries(str(root)):
        if (exclude_suffixes and name.endswith(exclude_suffixes)) or \
                (only_suffixes and not name.endswith(only_suffixes)):
            continue
        try:
            stat = entry.stat()
        except OSError:
            continue
        if by_content and stat.st_size <= HASHED_MAX_BYTES:
            with open(entry.path, "rb") as handle:
                digests[name] = hashlib.sha256(handle.read()).hexdigest()
        else:
            digests[name] = f"{stat.st_size}:{stat.st_mtime_ns}"
    return digests


def digests_fingerprint(digests: dict[str, str]) -> str:
    return hashlib.sha256("\n".join(f"{name}\0{digest}" for name, digest in sorted(digests.items()))
                          .encode()).hexdigest()


def files_fingerprint(root: Path, exclude_suffixes: tuple[str, ...] = (), by_content: bool = True) -> str:
    """Hash of every file below `root`: its path, and its bytes (or size and mtime)."""
    if not os.path.isdir(root):
        return "absent"
    return digests_fingerprint(file_digests(root, exclude_suffixes, by_content))


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
