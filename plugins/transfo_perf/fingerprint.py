"""Stable fingerprints of settings and values, equal only when nothing changed (those of files
and trees: `transfo_common.files`).

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
from collections.abc import Callable
from pathlib import Path

from transfo_common.config import DATE_SETTINGS

PRIVATE_PREFIX = "_TRANSFO_PERF"  # this plugin's own per-build state in the settings
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def canonical(value: object, _depth: int = 0,
              reference: Callable[[object], str | None] | None = None) -> str:
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

    def inner(item: object) -> str:
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
            closure: tuple[types.CellType, ...] = getattr(value, "__closure__", None) or ()
            cells = [cell.cell_contents for cell in closure if _filled(cell)]
            defaults = getattr(value, "__defaults__", None)
            body = hashlib.sha256(code.co_code + canonical([code.co_consts, cells, defaults],
                                                           deeper).encode()).hexdigest()[:12]
        return f"<{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', value.__name__)}{body}>"
    if hasattr(value, "__dict__"):
        return f"<{type(value).__qualname__}{inner(vars(value))}>"
    return _ADDRESS.sub("", repr(value))


def _filled(cell: types.CellType) -> bool:
    try:
        _ = cell.cell_contents  # raises ValueError while the cell is empty
    except ValueError:
        return False
    return True


def settings_fingerprint(settings: dict[str, object]) -> str:
    """The settings but this plugin's own state and the build date (`DATE_SETTINGS`): Markdown
    parses the same whatever the day, and pages see the date only through their context
    (`affected.page_views`); the no-op check adds the date on its own (`incremental.combined`)."""
    public = {k: v for k, v in settings.items() if not k.startswith(PRIVATE_PREFIX) and k not in DATE_SETTINGS}
    return hashlib.sha256(canonical(public).encode()).hexdigest()


def installed_packages() -> str:
    """Name and version of every installed distribution (its *.dist-info / *.egg-info
    folder names on sys.path): a library upgrade changes it. Folders are resolved and
    counted once, so the same installation gives the same answer however it is on sys.path."""
    import sys

    names: set[str] = set()
    for folder in {os.path.realpath(entry or ".") for entry in sys.path}:
        try:
            names.update(f"{folder}/{n}" for n in os.listdir(folder)
                         if n.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
    return hashlib.sha256("\n".join(sorted(names)).encode()).hexdigest()
