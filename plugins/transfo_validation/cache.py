"""Per-file validation results kept on disk between builds.

A clean file's typed values are reused only when nothing they depend on
changed. Two keys say so:

- the setup key (`setup_key`): the merged schema (every field and rule, with
  the settings and values their declarations captured), every setting but the
  build date (no check depends on the day: one that would must capture the
  date in its declaration, which the schema's text then holds), the source of
  the plugins, the Python version and installed packages, the
  working folder (problems name files relative to it). Any change drops the
  whole cache. A long-running process (`invoke regenerate`) whose plugins
  changed on disk since it started uses no cache: its code is not theirs.
- the file key (`file_key`): the kind, the file's path and its bytes. Each
  entry also lists the other files its checks looked at (images named by the
  file, present or not; see `ParseContext.depends_on`) with their state
  (`file_state`: size, times, inode); a different state misses.

Files with problems are never stored: they are checked again at every build,
so their messages are those of a fresh check. Pure functions, no Pelican.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import sys
import time
import types
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from transfo_common.config import DATE_SETTINGS
from transfo_common.files import file_state, write_atomically

from .schema import ContentKind

FORMAT = 1  # bump when the stored shape or the meaning of a key changes
KEEP = 16  # content folders whose results are kept (one file each)
LOADED_AT = time.time()  # code changed after this is not the code this process runs
_SKIPPED_DIRS = {"__pycache__", ".git", ".pytest_cache"}


class Unstable(ValueError):
    """A value without a text form that is the same in every process: no cache this build."""


def canonical(value: object, _depth: int = 0) -> str:
    """A text form of `value` equal across processes, and different when the value differs."""
    if _depth > 30:
        raise Unstable("value nested too deeply")
    deeper = functools.partial(canonical, _depth=_depth + 1)
    if value is None or isinstance(value, (str, int, float, bool, bytes, Path)):
        return repr(value)
    if isinstance(value, dict):
        return "{" + ",".join(sorted(f"{deeper(k)}:{deeper(v)}" for k, v in value.items())) + "}"
    if isinstance(value, (list, tuple)):
        return f"{type(value).__name__}[" + ",".join(map(deeper, value)) + "]"
    if isinstance(value, (set, frozenset)):
        return "set{" + ",".join(sorted(map(deeper, value))) + "}"
    if isinstance(value, functools.partial):
        return f"partial({deeper(value.func)},{deeper(value.args)},{deeper(value.keywords)})"
    if isinstance(value, types.MethodType):
        return f"method({deeper(value.__self__)},{deeper(value.__func__)})"
    if isinstance(value, types.FunctionType):  # the code, and what it captured
        cells = [_contents(cell) for cell in value.__closure__ or ()]
        return (f"function {value.__module__}.{value.__qualname__}({deeper(value.__code__)},"
                f"{deeper(cells)},{deeper(value.__defaults__)},{deeper(value.__kwdefaults__)})")
    if isinstance(value, types.CodeType):
        return f"code({value.co_code.hex()},{deeper(value.co_consts)},{deeper(value.co_names)})"
    if isinstance(value, (type, types.ModuleType, types.BuiltinFunctionType)):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', value.__name__)}"
    if hasattr(value, "__dict__"):
        return f"{type(value).__module__}.{type(value).__qualname__}{deeper(vars(value))}"
    text = repr(value)
    if " at 0x" in text or text.startswith("<"):
        raise Unstable(f"no stable text form for {type(value).__qualname__}")
    return f"{type(value).__qualname__}:{text}"


def _contents(cell: types.CellType) -> object:
    try:
        return cell.cell_contents
    except ValueError:  # a cell not filled yet
        return "<empty cell>"


def source_files(folders: Iterable[Path]) -> list[Path]:
    """Every Python file below `folders`, once each, in a stable order."""
    found: set[Path] = set()
    for folder in folders:
        for directory, dirs, names in os.walk(folder):
            dirs[:] = [d for d in dirs if d not in _SKIPPED_DIRS]
            found.update(Path(directory, n).resolve() for n in names if n.endswith(".py"))
    return sorted(found)


def installed_packages() -> list[str]:
    """The name and version of every installed distribution, as their metadata folders say."""
    names = []
    for folder in sys.path:
        try:
            names += [n for n in os.listdir(folder or ".") if n.endswith((".dist-info", ".egg-info"))]
        except OSError:
            continue
    return sorted(names)


def setup_key(settings: dict, schema: Mapping[str, ContentKind], code_folders: Iterable[Path]) -> str:
    """Everything every result depends on besides its own file (see the module docstring).

    Keys starting with `_` are other plugins' per-build state, not settings; the build date is
    left out (a new day would otherwise check every file again).
    Raises `Unstable` when a setting or a declaration has no stable text form.
    """
    public = {k: v for k, v in settings.items() if not str(k).startswith("_") and k not in DATE_SETTINGS}
    sha = hashlib.sha256()
    for part in (FORMAT, sys.version, installed_packages(), os.getcwd(), public, schema):
        sha.update(canonical(part).encode() + b"\0")
    for path in source_files(code_folders):
        if path.stat().st_mtime > LOADED_AT:  # the code running may not be the code on disk
            raise Unstable(f"{path} changed since this process started")
        sha.update(str(path).encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return sha.hexdigest()


def file_key(kind: str, shown: str, path: Path, data: bytes) -> str:
    parts = (kind, shown, os.path.abspath(path))
    return hashlib.sha256("\0".join(parts).encode() + b"\0" + data).hexdigest()


@dataclass(frozen=True)
class Entry:
    """A clean file's typed values, and the state of the other files its checks read."""

    values: dict[str, Any]
    depends: tuple[tuple[str, tuple | None], ...]

    @classmethod
    def of(cls, values: dict, files: Iterable[str]) -> Entry:
        return cls(dict(values), tuple((f, file_state(f)) for f in sorted(files)))

    def fresh(self) -> bool:
        return all(file_state(f) == state for f, state in self.depends)


def load(path: Path, setup: str) -> dict[str, Entry]:
    """The stored entries when they were made with this setup, else none."""
    try:
        with open(path, "rb") as handle:
            stored_setup, entries = pickle.load(handle)
    except Exception:  # absent, truncated, or from another version: start afresh
        return {}
    return entries if stored_setup == setup else {}


def save(path: Path, setup: str, entries: dict[str, Entry]) -> None:
    """Write atomically: a build that stops half-way leaves the previous file whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, pickle.dumps((setup, entries), protocol=pickle.HIGHEST_PROTOCOL))
    prune(path.parent)


def touch(path: Path) -> None:
    """Mark a cache file as used (`prune` keeps the most recently used)."""
    with contextlib.suppress(OSError):
        os.utime(path)


def prune(folder: Path, keep: int = KEEP) -> None:
    """Keep the cache files of the `keep` most recently used content folders (tests make many)."""
    def used(path: Path) -> float:
        with contextlib.suppress(OSError):
            return path.stat().st_mtime
        return 0.0

    for path in sorted(folder.glob("*.pickle"), key=used, reverse=True)[keep:]:
        path.unlink(missing_ok=True)
