"""The build folder a publish keeps between runs (`<root>/build/`), and when it must start empty.

A kept folder lets the build skip what did not change (transfo_perf: nothing to
do, or only the pages that showed an edited text). But the build never
deletes a file it no longer writes: a page whose article was renamed would
stay and be published. So the folder is kept only while the *set* of files the
build writes cannot have changed: same settings, theme, plugin code and build
date, same content files, the same headers and the same links and images in
every Markdown body. Any other change empties it first: a full build, whose
output is exactly what a build from nothing gives.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sys
from pathlib import Path

from transfo_common.files import write_atomically

from .schedule import header_lines
from .staging import sha256_file

# What a Markdown body links to: `](target)`, `{filename}…`/`{static}…`/`{attach}…`, `src="…"`.
_TARGETS = re.compile(r"\]\(([^)\s]*)|\{(?:filename|static|attach)\}([^\s)\"']*)|\bsrc=[\"']([^\"']*)")
STATE = "build-state.json"


def _markdown_shape(text: str) -> str:
    header = list(header_lines(text))
    body = text.split("\n", len(header) + 1)[-1] if header else text
    targets = sorted("".join(match) for match in _TARGETS.findall(body))
    return json.dumps([header, targets], ensure_ascii=False)


def structure_key(content: Path, code: list[Path], now: str, extra: str = "") -> str:
    """A digest of everything that decides which files the build writes (not their bodies' text)."""
    sha = hashlib.sha256(f"{sys.version}\0{now}\0{extra}".encode())
    for path in sorted(p for p in Path(content).rglob("*") if p.is_file()):
        sha.update(path.relative_to(content).as_posix().encode() + b"\0")
        if path.suffix == ".md":
            sha.update(_markdown_shape(path.read_text(encoding="utf-8", errors="replace")).encode())
        else:
            sha.update(bytes.fromhex(sha256_file(path)))
    for folder in code:
        files = [folder] if folder.is_file() else sorted(p for p in folder.rglob("*")
                                                           if p.is_file() and "__pycache__" not in p.parts)
        for path in files:
            sha.update(str(path).encode() + b"\0" + bytes.fromhex(sha256_file(path)))
    return sha.hexdigest()


def prepare(build: Path, state_file: Path, key: str) -> bool:
    """Empty `build` unless the last successful build there had this `key`; True when kept.

    The key is forgotten until the build succeeds (`remember`): a failed build
    leaves a folder the next publish does not trust.
    """
    try:
        kept = json.loads(state_file.read_text(encoding="utf-8")).get("structure") == key
    except (OSError, ValueError, AttributeError):
        kept = False
    state_file.unlink(missing_ok=True)
    if not kept and build.exists():
        shutil.rmtree(build)
    build.mkdir(parents=True, exist_ok=True)
    return kept


def remember(state_file: Path, key: str) -> None:
    write_atomically(state_file, json.dumps({"structure": key}).encode())
