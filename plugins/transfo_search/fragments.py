"""Keep the fragments of unchanged pages when Pagefind indexes a part again.

Pagefind writes one fragment per page (`fragment/<lang>_<hash>.pf_fragment`,
named by the hash of its bytes) and does not write a fragment whose file is
already there. Writing ~300 of them is ~0.15 s of the ~0.45 s a part takes,
and a preview edit changes one page. So the fragments of the part's last
bundle, when that bundle is intact (`reuse.py` knows its bytes), are linked
into the new bundle before Pagefind runs; those of changed or removed pages
are then unlinked. Each fragment names its page's address: what belongs to no
page of the part, or to a page Pagefind wrote a new fragment for, goes. The
result must hold one fragment per page, else the caller indexes the part
again from nothing: a fragment of a removed text is never published.
"""

from __future__ import annotations

import json
import os
import re
import zlib
from pathlib import Path

FOLDER = "fragment"
_SIGNATURE = b"pagefind_dcd"
_URL = re.compile(rb'^\{"url":("(?:[^"\\]|\\.)*")')
_HEAD_BYTES = 2048


def page_url(path: str) -> str:
    """The address Pagefind gives a page of the site: `a/index.html` is `/a/`."""
    return "/" + path.removesuffix("index.html")


def fragment_url(path: Path) -> str | None:
    """The page address a fragment holds (its first field); None when it cannot be read."""
    try:
        head = zlib.decompressobj(wbits=31).decompress(path.read_bytes(), _HEAD_BYTES)
    except (OSError, zlib.error):
        return None
    match = _URL.match(head.removeprefix(_SIGNATURE)) if head.startswith(_SIGNATURE) else None
    return json.loads(match.group(1)) if match else None


def link_previous(previous: Path, target: Path) -> set[str]:
    """Hard-link every fragment of the `previous` bundle into `target`; the names linked."""
    source = previous / FOLDER
    if not source.is_dir():
        return set()
    (target / FOLDER).mkdir(parents=True, exist_ok=True)
    names = set()
    for entry in os.scandir(source):
        if entry.is_file(follow_symlinks=False):
            os.link(entry.path, target / FOLDER / entry.name)
            names.add(entry.name)
    return names


def prune(target: Path, linked: set[str], pages: list[str]) -> bool:
    """Unlink the linked fragments no page of `pages` (paths in the site) still has; True when one
    fragment per page is left."""
    folder = target / FOLDER
    names = set(os.listdir(folder)) if folder.is_dir() else set()
    written = {fragment_url(folder / name) for name in names - linked}
    wanted = {page_url(path) for path in pages}
    for name in names & linked:
        url = fragment_url(folder / name)
        if url not in wanted or url in written:
            (folder / name).unlink()
            names.discard(name)
    return len(names) == len(pages)
