"""Writing generated files the way every plugin should."""

from __future__ import annotations

import os
from pathlib import Path


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write `data` unless the file already holds it; True when written.

    Untouched files keep their mtime, so rsync, caches and browsers see only
    real changes.
    """
    path = Path(path)
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    # A name of its own: processes rendering pages side by side may write the same file.
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)
    return True
