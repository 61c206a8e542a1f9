"""Which pages of a built site are searchable, and the Pagefind index of them.

Drafts and scheduled articles are never written, so they are never indexed;
pages marked `<meta name="robots" content="noindex">` (closed offers, the 404
page, the search page itself) are left out here, and so are pages without a
`data-pagefind-body` part (listings, the home page, menus): Pagefind would
ignore them anyway once any page has one.

The index is split into parts (shards): each page belongs to one part by a
hash of its path, and each part is a Pagefind bundle of its own under
`<bundle>/<n>/`, listed in `<bundle>/shards.json`. The search page loads the
first and merges the others (Pagefind's `mergeIndex`), so readers search
one index. A changed page costs Pagefind only its part: an edited article
re-indexes a few hundred pages instead of the whole archive, and Pagefind's
memory follows the part, not the site.

Pages are read once, in chunks, never whole: one pass hashes the bytes, looks
for the noindex tag in the `<head>` only and for the body mark. The hashes
make a fingerprint of what Pagefind would index in each part; when it matches
that part's last run and its bundle on disk is the one that run wrote,
Pagefind is not run for it (see `reuse.py`).
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from transfo_common import tree
from transfo_common.files import memo_by_stat, note_owner, prune_orphans

from . import fragments, reuse

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


def html_files(output: Path, bundle: str) -> list[tuple[str, os.stat_result]]:
    """(relative path, stat) of every HTML file of the site, bundle excluded, sorted."""
    return sorted((name, found) for name, found in tree.files(output).items()
                  if name.endswith(".html") and stat.S_ISREG(found.st_mode) and not name.startswith(bundle + "/"))


def scan_site(output: Path, bundle: str) -> list[ScannedPage]:
    """Every HTML page of the built site, scanned; in a process that stays, a page written
    before its last scan and not since is not read again (`transfo_common.files.memo_by_stat`)."""
    files = [(os.path.join(output, relative), relative, found) for relative, found in html_files(output, bundle)]
    relative_of = {path: relative for path, relative, _found in files}
    scanned = memo_by_stat("search-scan", str(output), ((path, found) for path, _relative, found in files),
                                lambda path: scan_page(Path(path), relative_of[path]))
    return list(scanned.values())


def searchable_pages(output: Path, bundle: str) -> list[ScannedPage]:
    """The pages Pagefind is given: HTML files with a body mark and not marked noindex."""
    return [page for page in scan_site(output, bundle) if page.searchable and page.has_body]


def shard_count(pages: int, per_shard: int, most: int) -> int:
    """How many parts: about `per_shard` pages each, at most `most` (each is a download for readers)."""
    return max(1, min(most, -(-pages // per_shard)))


def shard_of(path: str, count: int) -> int:
    """The part of a page: the same on every build and machine while the number of parts holds."""
    return int(hashlib.sha256(path.encode("utf-8")).hexdigest()[:8], 16) % count


def partition(pages: list[ScannedPage], count: int) -> dict[str, list[ScannedPage]]:
    """{part folder name: its pages}, parts without pages left out."""
    parts: dict[str, list[ScannedPage]] = {}
    for page in pages:
        parts.setdefault(str(shard_of(page.path, count)), []).append(page)
    return dict(sorted(parts.items(), key=lambda item: int(item[0])))


def base_url(siteurl: str) -> str:
    """Where result URLs start: SITEURL's path (`/transfo/`), `/` in development.

    The index stores site-relative URLs; the search page hands this to
    Pagefind's `baseUrl` option.
    """
    return urlsplit(siteurl or "").path.rstrip("/") + "/"


@functools.cache
def pagefind_executable() -> str:
    """The Pagefind binary of the `pagefind[bin]` PyPI packages (`python -m pagefind` would start a
    Python only to find and exec it: 50 ms per part)."""
    from pagefind.service import get_executable

    found = get_executable()
    return str(found) if found is not None else ""


PAGEFIND_OPTIONS = ("--silent",)  # besides the folders; part of what a part's reuse depends on


def pagefind_command(site: Path, bundle_path: Path) -> list[str]:
    """The Pagefind CLI: its binary, else `python -m pagefind`, which reports what is missing."""
    program = [pagefind_executable()] if pagefind_executable() else [sys.executable, "-m", "pagefind"]
    return program + ["--site", str(site), "--output-path", str(bundle_path), *PAGEFIND_OPTIONS]




GLOB_SPECIAL = frozenset("*?[]{},!\\")
GLOB_MAX_BYTES = 100_000  # one command-line argument may not exceed 128 KiB on Linux


def pages_glob(pages: list[ScannedPage]) -> str | None:
    """A Pagefind `--glob` naming exactly these pages; None when it cannot (a path with a
    glob character, or a list too long for one argument)."""
    if any(GLOB_SPECIAL.intersection(page.path) for page in pages):
        return None
    glob = "{" + ",".join(page.path for page in pages) + "}"
    return glob if len(glob.encode("utf-8")) <= GLOB_MAX_BYTES else None


class IndexingError(RuntimeError):
    """Pagefind failed: the build must not go on without its search."""


def link_or_copy(source: Path, target: Path) -> None:
    """Hard-link `source` to `target` (same disk), else copy it; never read it into memory."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def run_pagefind(output: Path, target: Path, pages: list[ScannedPage], workspace: Path | None = None,
                 keep_fragments: bool = False) -> None:
    """Replace the bundle folder `target` with Pagefind's index of `pages`, and of nothing else.

    Pagefind reads the output folder itself, told by `--glob` which pages to
    read. When no glob can name them, they are linked into a temporary folder
    first (in `workspace`, ideally on the output's disk) and Pagefind reads
    that. Either way what is not listed cannot leak into the index. (The CLI
    takes a fraction of a second; Pagefind's Python service answers one file
    per 0.1 s, too slow for a magazine's archive.)

    `keep_fragments`: `target` is intact from Pagefind's last run; the
    fragments of its unchanged pages are kept instead of written again
    (`fragments.py`).
    """
    output, target = Path(output), Path(target)
    previous = target.with_name(f".{target.name}.previous")
    if previous.exists():
        shutil.rmtree(previous)
    if target.exists():
        if keep_fragments:
            target.rename(previous)
        else:
            shutil.rmtree(target)  # stale fragments of removed pages must not linger
    try:
        linked = fragments.link_previous(previous, target) if previous.exists() else set()
        _pagefind(output, target, pages, workspace)
        if linked and not fragments.prune(target, linked, [page.path for page in pages]):
            shutil.rmtree(target)
            _pagefind(output, target, pages, workspace)
    finally:
        if previous.exists():
            shutil.rmtree(previous)
    for name in UNUSED_UI_FILES:
        (target / name).unlink(missing_ok=True)


def _pagefind(output: Path, target: Path, pages: list[ScannedPage], workspace: Path | None) -> None:
    """One Pagefind run over `pages` of `output`, into `target`; IndexingError when it fails."""
    glob = pages_glob(pages)
    if glob is not None:
        result = subprocess.run(pagefind_command(output, target.resolve()) + ["--glob", glob],
                                capture_output=True, text=True, timeout=600)
    else:
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


# Pagefind's ready-made interfaces: the theme's search.js uses its API only, so
# they would be published in every part for nothing.
UNUSED_UI_FILES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                   "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")

SHARDS_FILE = "shards.json"


def write_shards_file(bundle_path: Path, names: list[str]) -> None:
    """`shards.json`, the parts the search page loads, first one first; rewritten only when it changes."""
    path = bundle_path / SHARDS_FILE
    text = json.dumps({"shards": [f"{name}/" for name in names]})
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def remove_other_entries(bundle_path: Path, keep: set[str]) -> None:
    """Remove what the bundle folder holds besides `keep`: parts of an earlier split, older layouts."""
    for entry in bundle_path.iterdir() if bundle_path.is_dir() else ():
        if entry.name not in keep:
            shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()


@dataclass(frozen=True)
class IndexReport:
    pages: int  # pages Pagefind makes results of
    parts: int  # parts of the index
    rebuilt: int  # parts Pagefind ran for (the others were still exact and kept)

    @property
    def ran(self) -> bool:
        return self.rebuilt > 0


def build_index(output: Path, bundle: str, cache: Path | None = None, per_shard: int = 300,
                most_shards: int = 16) -> IndexReport:
    """Make `<output>/<bundle>/` the index of the site's searchable pages, in parts.

    With a `cache` folder, Pagefind is skipped for each part whose pages and
    setup are those of its last run there and whose bundle is intact
    (`reuse.py`); without one it runs for every part.
    """
    output = Path(output)
    bundle_path = output / bundle
    pages = searchable_pages(output, bundle)
    count = shard_count(len(pages), per_shard, most_shards)
    parts = partition(pages, count)
    remove_other_entries(bundle_path, set(parts) | {SHARDS_FILE})
    options = [*PAGEFIND_OPTIONS, f"parts={count}"]
    tool = reuse.tool_identity()
    record_file = reuse.record_path(cache, output) if cache is not None else None
    last = (reuse.load_record(record_file) or {}) if record_file is not None else {}
    expected = {name: reuse.fingerprint(((p.path, p.digest) for p in group), f"{bundle}/{name}", options, tool)
                for name, group in parts.items()}
    kept = {name: last[name] for name in parts if reuse.is_current(last.get(name), expected[name],
                                                                    bundle_path / name)}
    intact = {name for name in parts if name not in kept and reuse.is_intact(last.get(name), bundle_path / name)}
    if record_file is not None:
        reuse.remember(record_file, kept)  # a run that fails half-way must not look complete
    done = dict(kept)
    for name, group in parts.items():
        if name in kept:
            continue
        run_pagefind(output, bundle_path / name, group, workspace=Path(cache) if cache is not None else None,
                     keep_fragments=name in intact)
        done[name] = reuse.describe(expected[name], bundle_path / name, len(group))
    bundle_path.mkdir(parents=True, exist_ok=True)
    write_shards_file(bundle_path, list(parts))
    if cache is not None and record_file is not None:
        reuse.remember(record_file, done)
        note_owner(record_file, output)
        prune_orphans(cache)
    return IndexReport(len(pages), len(parts), len(parts) - len(kept))
