"""Which pages of a built site are searchable, and the Pagefind index of them.

Drafts and scheduled articles are never written, so they are never indexed;
pages marked `<meta name="robots" content="noindex">` (closed offers, the 404
page, the search page itself) are left out here. Pagefind then indexes only
the parts of a page marked `data-pagefind-body`, so listings, the home page
and menus never show up as results.

Pages are read once, in chunks, never whole: one pass hashes the bytes, looks
for the noindex tag in the `<head>` only and for the body mark. The hashes
make a fingerprint of what Pagefind would index; when it matches the last
run and the bundle on disk is the one that run wrote, Pagefind is not run
again (see `reuse.py`).
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from . import reuse

BODY_MARK = "data-pagefind-body"
_BODY_MARK = BODY_MARK.encode()
_CHUNK = 1 << 16
_HEAD_END = re.compile(rb"</head\s*>", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_META = re.compile(r"<meta\b([^>]*)>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")


def _asks_noindex(head: bytes) -> bool:
    """True when `<meta name="robots">` in this HTML says noindex."""
    if b"noindex" not in head.lower():  # the common case, without decoding anything
        return False
    text = _COMMENT.sub("", head.decode("utf-8", errors="replace"))
    for tag in _META.finditer(text):
        attributes = {name.lower(): html.unescape(value.strip("\"'")) if value else ""
                      for name, value in _ATTRIBUTE.findall(tag.group(1))}
        if attributes.get("name", "").lower() == "robots" and "noindex" in attributes.get("content", "").lower():
            return True
    return False


def _head(data: bytes) -> bytes:
    """The bytes before `</head>`; the whole text when there is none."""
    end = _HEAD_END.search(data)
    return data[:end.start()] if end else data


def is_searchable(page: str | bytes) -> bool:
    """False for pages whose `<head>` asks search engines not to index them."""
    data = page.encode("utf-8") if isinstance(page, str) else page
    return not _asks_noindex(_head(data))


@dataclass(frozen=True)
class ScannedPage:
    path: str          # relative to the output folder, with /
    digest: str        # sha256 of the file's bytes
    searchable: bool   # not marked noindex
    has_body: bool     # holds data-pagefind-body: Pagefind makes a result of it


def scan_page(path: Path, relative: str) -> ScannedPage:
    """One pass over the file in chunks: hash, noindex (head only), body mark."""
    digest = hashlib.sha256()
    head = bytearray()
    head_closed = has_body = False
    tail = b""
    with open(path, "rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
            window = tail + chunk
            has_body = has_body or _BODY_MARK in window
            tail = window[-(len(_BODY_MARK) - 1):]
            if not head_closed:
                head += chunk
                end = _HEAD_END.search(head)
                if end:
                    del head[end.start():]
                    head_closed = True
    return ScannedPage(relative, digest.hexdigest(), not _asks_noindex(bytes(head)), has_body)


def html_files(output: Path, bundle: str) -> list[tuple[str, Path]]:
    """(relative path, path) of every HTML file of the site, bundle excluded, sorted."""
    output = Path(output)
    found = []
    for folder, subfolders, files in os.walk(output):
        here = Path(folder)
        if here == output and bundle in subfolders:
            subfolders.remove(bundle)
        for name in files:
            if name.endswith(".html"):
                path = here / name
                found.append((path.relative_to(output).as_posix(), path))
    return sorted(found)


def scan_site(output: Path, bundle: str) -> list[ScannedPage]:
    """Every HTML page of the built site, scanned."""
    return [scan_page(path, relative) for relative, path in html_files(output, bundle)]


def searchable_pages(output: Path, bundle: str) -> list[ScannedPage]:
    """The pages Pagefind is given: HTML files not marked noindex."""
    return [page for page in scan_site(output, bundle) if page.searchable]


def base_url(siteurl: str) -> str:
    """Where result URLs start: SITEURL's path (`/transfo/`), `/` in development.

    The index stores site-relative URLs; the search page hands this to
    Pagefind's `baseUrl` option.
    """
    return urlsplit(siteurl or "").path.rstrip("/") + "/"


def pagefind_command(site: Path, bundle_path: Path) -> list[str]:
    """The Pagefind CLI shipped by the `pagefind[bin]` PyPI packages, run by this Python."""
    return [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(bundle_path),
            "--silent"]


class IndexingError(RuntimeError):
    """Pagefind failed: the build must not go on without its search."""


def link_or_copy(source: Path, target: Path) -> None:
    """Hard-link `source` to `target` (same disk), else copy it; never read it into memory."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def run_pagefind(output: Path, bundle: str, pages: list[ScannedPage], workspace: Path | None = None) -> None:
    """Replace `<output>/<bundle>/` with Pagefind's index of `pages`.

    Pagefind reads a folder, so the searchable pages are linked into a
    temporary one first (in `workspace`, ideally on the output's disk): what
    is not there cannot leak into the index. (The CLI takes a fraction of a
    second; Pagefind's Python service answers one file per 0.1 s, too slow for
    a magazine's archive.)
    """
    output = Path(output)
    target = output / bundle
    if target.exists():
        shutil.rmtree(target)  # stale fragments of removed pages must not linger
    if workspace is not None:
        Path(workspace).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="transfo-search-", dir=workspace) as folder:
        for page in pages:
            link_or_copy(output / page.path, Path(folder) / page.path)
        result = subprocess.run(pagefind_command(Path(folder), target.resolve()),
                                capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise IndexingError(f"Pagefind a échoué (code {result.returncode}) : "
                            f"{(result.stderr or result.stdout).strip()[:2000]}")


@dataclass(frozen=True)
class IndexReport:
    pages: int  # pages Pagefind makes results of (those with data-pagefind-body)
    ran: bool   # False: the last index was still exact and was kept as is


def build_index(output: Path, bundle: str, cache: Path | None = None) -> IndexReport:
    """Make `<output>/<bundle>/` the index of the site's searchable pages.

    With a `cache` folder, Pagefind is skipped when the pages it would get and
    its setup are those of its last run there and that run's bundle is intact
    (`reuse.py`); without one it always runs.
    """
    output = Path(output)
    pages = searchable_pages(output, bundle)
    count = sum(page.has_body for page in pages)
    if cache is None:
        run_pagefind(output, bundle, pages)
        return IndexReport(count, True)
    options = pagefind_command(Path("SITE"), Path("BUNDLE"))[2:]
    expected = reuse.fingerprint(((page.path, page.digest) for page in pages), bundle, options,
                                 reuse.tool_identity())
    record = reuse.record_path(cache, output)
    if reuse.is_current(reuse.load_record(record), expected, output / bundle):
        return IndexReport(count, False)
    reuse.forget(record)
    run_pagefind(output, bundle, pages, workspace=Path(cache))
    reuse.remember(record, expected, output / bundle, count)
    reuse.note_output(record, output)
    reuse.prune(cache)
    return IndexReport(count, True)
