"""Reuse the parts of the last Pagefind index whose pages have not changed.

The fingerprint of a part covers everything Pagefind's output for it depends
on: the path and the sha256 of the bytes of every page it is given, its
options (the number of parts among them), its version, its configuration
files and PAGEFIND_* environment variables. Content hashes, not mtimes: the
changed-only writer keeps the mtime of a page rewritten with the same bytes,
and a page edited twice within the clock's resolution would keep it too.

A part is reused only when its fingerprint matches the last run AND its
bundle on disk is byte for byte the one that run wrote (its manifest is kept
with the fingerprint): a bundle deleted, truncated or touched by hand is
rebuilt, never served stale. The record lives outside the output, one file
per output folder; before Pagefind runs it is rewritten with only the parts
kept, so a run that fails half-way never looks complete.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path

from transfo_common import files, tree

SCHEME = 2  # bump when what the fingerprint covers changes
CONFIG_FILES = ("pagefind.json", "pagefind.toml", "pagefind.yml", "pagefind.yaml")
DISTRIBUTIONS = ("pagefind", "pagefind_bin", "pagefind_extended_bin")


def tool_identity(cwd: Path | None = None, environ: Mapping[str, str] | None = None) -> list:
    """Pagefind's versions, configuration files (read from the working folder) and PAGEFIND_* variables."""
    versions = []
    for name in DISTRIBUTIONS:
        try:
            versions.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} absent")
    folder = Path(cwd) if cwd is not None else Path.cwd()
    configs = [[name, hashlib.sha256((folder / name).read_bytes()).hexdigest()]
               for name in CONFIG_FILES if (folder / name).is_file()]
    variables = sorted([key, value] for key, value in (os.environ if environ is None else environ).items()
                       if key.upper().startswith("PAGEFIND"))
    return [versions, configs, variables]


def fingerprint(pages: Iterable[tuple[str, str]], bundle: str, options: list[str], tool: list) -> str:
    """sha256 over the sorted (path, content sha256) of the indexed pages and Pagefind's setup."""
    payload = json.dumps([SCHEME, bundle, options, tool, sorted([path, digest] for path, digest in pages)],
                         ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode("ascii")).hexdigest()


def bundle_manifest(bundle_path: Path) -> dict[str, str]:
    """{relative path: sha256} of every file of the bundle; {} when it is missing."""
    root = os.path.abspath(bundle_path)
    listing = tree.files(root)
    digests = files.memo_by_stat("search-bundle", root,
                                ((os.path.join(root, name), found) for name, found in listing.items()), _file_sha256)
    return {name: digests[os.path.join(root, name)] for name in listing}


def _file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 16):
            digest.update(chunk)
    return digest.hexdigest()


def record_path(cache: Path, output: Path) -> Path:
    """Where the last run's record for this output folder is kept."""
    key = hashlib.sha256(str(Path(output).resolve()).encode("utf-8")).hexdigest()[:16]
    return Path(cache) / f"index-{key}.json"


def load_record(path: Path) -> dict | None:
    try:
        record = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def is_current(entry: dict | None, expected: str, bundle_path: Path) -> bool:
    """A part's record entry matches this fingerprint and its bundle on disk is the one it describes."""
    return isinstance(entry, dict) and entry.get("fingerprint") == expected and is_intact(entry, bundle_path)


def is_intact(entry: dict | None, bundle_path: Path) -> bool:
    """The part's bundle on disk is byte for byte the one its record entry describes (whatever its pages)."""
    if not isinstance(entry, dict) or not entry.get("bundle"):
        return False
    return bundle_manifest(bundle_path) == entry["bundle"]


def describe(expected: str, bundle_path: Path, pages: int) -> dict:
    """The record entry of a part Pagefind just wrote."""
    return {"fingerprint": expected, "pages": pages, "bundle": bundle_manifest(bundle_path)}


def remember(path: Path, parts: dict[str, dict]) -> None:
    """Record these parts ({folder name: `describe` entry}) as the last run's."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(parts, indent=0), encoding="utf-8")
    temporary.replace(path)
