"""Safe publishing: releases side by side, an atomic switch, an instant rollback.

Layout under the publish root (the web server's document root is `current`)::

    <root>/releases/20191130-101500/   one complete site per publication
    <root>/current -> releases/20191130-101500

A new release is built in `<root>/releases/.staging-<stamp>/`, on the same
filesystem, then renamed into place; `current` is switched by creating a new
symlink beside it and `os.replace`-ing it over the old one, which is atomic on
POSIX: a reader sees either the old site or the new one, never a mix.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

RELEASES = "releases"
CURRENT = "current"
STAGING_PREFIX = ".staging-"


class ReleaseError(RuntimeError):
    """The publish root is not in a state we can switch safely."""


@dataclass(frozen=True)
class Layout:
    root: Path

    @property
    def releases(self) -> Path:
        return self.root / RELEASES

    @property
    def current(self) -> Path:
        return self.root / CURRENT


def release_name(now: dt.datetime | None = None) -> str:
    """`20191130-101500-123456`: sortable, unique per microsecond, no accents or colons."""
    now = now or dt.datetime.now(dt.timezone.utc)
    return now.strftime("%Y%m%d-%H%M%S-%f")


def list_releases(layout: Layout) -> list[Path]:
    """Finished releases, oldest first (staging folders are not releases)."""
    if not layout.releases.is_dir():
        return []
    return sorted(p for p in layout.releases.iterdir()
                  if p.is_dir() and not p.name.startswith("."))


def current_release(layout: Layout) -> Path | None:
    """The release `current` points to, or None before the first publication."""
    link = layout.current
    if not link.is_symlink():
        if link.exists():
            raise ReleaseError(f"{link} existe mais n'est pas un lien symbolique : "
                               "déplacez-le avant de publier.")
        return None
    return (link.parent / os.readlink(link)).resolve()


def new_staging(layout: Layout, name: str) -> Path:
    """An empty folder for the next release, beside the others (same filesystem)."""
    layout.releases.mkdir(parents=True, exist_ok=True)
    staging = layout.releases / f"{STAGING_PREFIX}{name}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    return staging


def promote(layout: Layout, staging: Path, name: str) -> Path:
    """Rename a checked staging folder into a release and point `current` at it."""
    release = layout.releases / name
    os.rename(staging, release)
    switch(layout, release)
    return release


def switch(layout: Layout, release: Path) -> None:
    """Atomically point `current` at `release` (a relative link: the root can move)."""
    current_release(layout)  # refuses a real folder in the way
    target = os.path.relpath(release, layout.root)
    temporary = layout.root / f".{CURRENT}.{os.getpid()}"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    os.symlink(target, temporary)
    os.replace(temporary, layout.current)


def rollback(layout: Layout) -> tuple[Path, Path]:
    """Point `current` at the release before it; return (from, to)."""
    live = current_release(layout)
    releases = list_releases(layout)
    if live is None or live not in releases:
        raise ReleaseError("Aucune publication en ligne : rien à annuler.")
    index = releases.index(live)
    if index == 0:
        raise ReleaseError(f"{live.name} est la plus ancienne version gardée : "
                           "pas de version précédente.")
    previous = releases[index - 1]
    switch(layout, previous)
    return live, previous


def prune(layout: Layout, keep: int) -> list[Path]:
    """Delete the oldest releases beyond `keep`, never the live one nor the one before it."""
    keep = max(keep, 2)
    live = current_release(layout)
    releases = list_releases(layout)
    removed = []
    for release in releases[: max(len(releases) - keep, 0)]:
        if release != live:
            shutil.rmtree(release)
            removed.append(release)
    return removed


def discard(staging: Path) -> None:
    """Remove a failed staging folder; the live release was never touched."""
    if staging.exists():
        shutil.rmtree(staging)
