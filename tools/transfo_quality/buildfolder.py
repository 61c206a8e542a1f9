"""The build folder a publish keeps between runs (`<root>/build/`), and when it must start empty.

A kept folder lets the build skip what did not change (transfo_perf: nothing to
do, or only the pages that showed an edited text), and each build there removes
what the one before wrote and it no longer writes (transfo_output: the pages of
content deleted or moved, images no page shows any more, lists a date emptied).
So the folder is kept whatever the content, the theme and the date: the daily
rebuild, a header edit and a template edit start from it too (each page's view
holds its templates' sources; the theme's static files are in the list of what
a build wrote). It starts empty when that removal cannot be trusted: the last
build there failed, the list of what it wrote is gone (the cache was cleared),
or the code that builds changed (settings, plugins, Python). The build is then
a full one, whose output is exactly what a build from nothing gives.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

from transfo_common.files import sha256_of_file, write_atomically

STATE = "build-state.json"


def code_key(code: list[Path], extra: str = "") -> str:
    """A digest of the code that builds: the files and folders of `code`, and Python's version."""
    sha = hashlib.sha256(f"{sys.version}\0{extra}".encode())
    for folder in code:
        files = [folder] if folder.is_file() else sorted(p for p in folder.rglob("*")
                                                           if p.is_file() and "__pycache__" not in p.parts)
        for path in files:
            sha.update(str(path).encode() + b"\0" + bytes.fromhex(sha256_of_file(path)))
    return sha.hexdigest()


def prepare(build: Path, state_file: Path, key: str, listed: bool) -> bool:
    """Empty `build` unless the last successful build there had this `key` and left the list of
    what it wrote (`listed`); True when kept.

    The key is forgotten until the build succeeds (`remember`): a failed build
    leaves a folder the next publish does not trust.
    """
    try:
        kept = listed and json.loads(state_file.read_text(encoding="utf-8")).get("code") == key
    except (OSError, ValueError, AttributeError):
        kept = False
    state_file.unlink(missing_ok=True)
    if not kept and build.exists():
        shutil.rmtree(build)
    build.mkdir(parents=True, exist_ok=True)
    return kept


def remember(state_file: Path, key: str) -> None:
    write_atomically(state_file, json.dumps({"code": key}).encode())
