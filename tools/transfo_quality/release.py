"""Safe publishing: releases side by side, an atomic switch, an instant rollback.

Layout under the publish root (the web server's document root is `current`)::

    <root>/releases/20191130-101500/   one complete site per publication
    <root>/current -> releases/20191130-101500
    <root>/history.jsonl               which release went live when, and which were withdrawn

A new release is built in `<root>/releases/.staging-<stamp>/`, on the same
filesystem, then renamed into place; `current` is switched by creating a new
symlink beside it and `os.replace`-ing it over the old one, which is atomic on
POSIX: a reader sees either the old site or the new one, never a mix.

Rollback follows the history, not the folder names: it goes back to the
release that was live before, skipping every release a rollback withdrew, so
a withdrawn release never comes back. The history is a checksummed log
(transfo_common.ledger) beside `current`, never inside a release: the web
server and `invoke deploy` never see it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from transfo_common import background
from transfo_common.ledger import DamagedLog, append_record, read_log

RELEASES = "releases"
CURRENT = "current"
HISTORY = "history.jsonl"
STAGING_PREFIX = ".staging-"
TRASH_PREFIX = ".pruned-"  # a release taken out by `prune`, being deleted
# The newest release `prune` took out, set aside whole: the next publish recycles it as its staging
# folder (`take_spare`), where most files already hold the bytes it needs (transfo_quality.staging).
SPARE_PREFIX = ".spare-"
_NAME = re.compile(r"\d{8}-\d{6}-\d{6}")


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

    @property
    def history(self) -> Path:
        return self.root / HISTORY


def publish_root_above(path: Path) -> Path | None:
    """The publish root `path` lies in (a folder holding `current` and `releases/`, whatever its
    name: `invoke publish --root`), links resolved; None outside any."""
    for folder in [Path(path).resolve(), *Path(path).resolve().parents]:
        layout = Layout(folder)
        if layout.current.is_symlink() and layout.releases.is_dir():
            return folder
    return None


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
    """The release `current` points to, or None before the first publication, or when that
    release is gone (deleted by hand: the next publication starts from nothing and repairs it)."""
    link = layout.current
    if not link.is_symlink():
        if link.exists():
            raise ReleaseError(f"{link} existe mais n'est pas un lien symbolique : "
                               "déplacez-le avant de publier.")
        return None
    target = (link.parent / os.readlink(link)).resolve()
    return target if target.is_dir() else None


def new_staging(layout: Layout, name: str) -> Path:
    """An empty folder for the next release, beside the others (same filesystem)."""
    layout.releases.mkdir(parents=True, exist_ok=True)
    staging = layout.releases / f"{STAGING_PREFIX}{name}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    return staging


def take_spare(layout: Layout, staging: Path) -> str | None:
    """Move the release `prune` set aside into the empty `staging` folder (one rename, on the same
    filesystem); the name it had as a release (its manifest's), or None when there is none."""
    spares = sorted(layout.releases.glob(f"{SPARE_PREFIX}*"))
    if not spares:
        return None
    os.rename(spares[-1], staging)  # onto an empty folder: replaced, in one step
    return spares[-1].name.removeprefix(SPARE_PREFIX)


def set_aside(layout: Layout, folder: Path, name: str) -> None:
    """Make `folder` the spare release, `name` being its manifest's release name."""
    os.rename(folder, layout.releases / f"{SPARE_PREFIX}{name}")


def spare_names(layout: Layout) -> set[str]:
    """The release names of the spare folders (their manifests are still needed)."""
    return {path.name.removeprefix(SPARE_PREFIX) for path in layout.releases.glob(f"{SPARE_PREFIX}*")}


def _history_problem(record: dict) -> str | None:
    if record.get("event") not in ("live", "rollback"):
        return f"évènement « {record.get('event')} » inconnu ; attendu : live ou rollback"
    names = [record.get("release")] + ([record.get("from")] if record["event"] == "rollback" else [])
    if not all(isinstance(name, str) and _NAME.fullmatch(name) for name in names):
        return "nom de version illisible"
    return None


def read_history(layout: Layout) -> list[dict]:
    """Every activation, oldest first; ReleaseError (one French line) if the log is damaged."""
    try:
        records = read_log(layout.history)
        for number, record in enumerate(records, start=1):
            problem = _history_problem(record)
            if problem:
                raise DamagedLog(layout.history, number, problem)
    except DamagedLog as error:
        raise ReleaseError(
            f"{error.path}:{error.line}: historique des publications endommagé : {error.reason} ; "
            "rien n'a changé en ligne. Restaurez ce fichier d'une sauvegarde, ou supprimez la "
            "ligne si elle n'est pas de type rollback (une telle ligne retire une version)") from None
    return records


def _record(layout: Layout, event: str, release: Path, **fields: object) -> None:
    at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    append_record(layout.history, {"event": event, "release": release.name, "at": at, **fields})


def rollback_target(layout: Layout, live: Path | None) -> Path | None:
    """The release live before `live`, withdrawn ones skipped (None when there is none)."""
    records = read_history(layout)
    withdrawn = {record["from"] for record in records if record["event"] == "rollback"}
    for record in reversed(records):
        candidate = layout.releases / record["release"]
        if live is not None and candidate.name == live.name or candidate.name in withdrawn:
            continue
        if candidate.is_dir():
            return candidate
    return None


def promote(layout: Layout, staging: Path, name: str, **notes: str) -> Path:
    """Rename a checked staging folder into a release, point `current` at it, note it went live
    (with `notes`, e.g. when Lighthouse last ran)."""
    before = current_release(layout)
    if before is not None and not read_history(layout):
        _record(layout, "live", before)  # a root published before the history existed
    release = layout.releases / name
    os.rename(staging, release)
    switch(layout, release)
    # After the switch: a crash before this line only leaves the new release unnoted,
    # and a rollback from it still goes to the release noted before.
    _record(layout, "live", release, **notes)
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
    """Put back the release live before the current one, and withdraw the current one.

    Returns (withdrawn, restored).
    """
    live = current_release(layout)
    if live is None or not live.is_dir():
        raise ReleaseError(f"{layout.current} : aucune publication en ligne ; rien à annuler.")
    previous = rollback_target(layout, live)
    if previous is None:
        raise ReleaseError(
            f"{layout.history} : aucune version précédente à remettre en ligne (une version "
            f"retirée par un rollback ne revient jamais) ; {live.name} reste en ligne.")
    # Noted before the switch: a crash in between leaves `live` withdrawn, never reinstated.
    _record(layout, "rollback", previous, **{"from": live.name})
    switch(layout, previous)
    return live, previous


def prune(layout: Layout, keep: int) -> list[Path]:
    """Take out the releases beyond the `keep` newest, never the live one nor the one rollback
    goes to; set the newest of them aside for the next publish (`take_spare`), and have the others
    deleted by a low-priority process of their own.

    Deleting a release's ~22,000 files takes seconds (2.6 s at 2,000 articles) once the new one
    is live, which the publish would otherwise wait for. Each is first renamed out of the
    releases (`TRASH_PREFIX`, `SPARE_PREFIX`: never listed, never rolled back to); a deletion
    stopped half-way is taken up by the next prune. So is the staging folder a publish stopped by
    a signal left (the publish calling this holds the root: no other one is staging)."""
    keep = max(keep, 1)
    live = current_release(layout)
    releases = list_releases(layout)
    kept = {release.name for release in (*releases[-keep:], live, rollback_target(layout, live))
            if release is not None}
    removed = [release for release in releases if release.name not in kept]
    spares = sorted(layout.releases.glob(f"{SPARE_PREFIX}*")) if layout.releases.is_dir() else []
    if removed:
        spares.append(removed[-1])
    for release in removed[:-1]:
        release.rename(layout.releases / f"{TRASH_PREFIX}{release.name}")
    for older in spares[:-1]:
        older.rename(layout.releases / f"{TRASH_PREFIX}{older.name}")
    if spares and not spares[-1].name.startswith(SPARE_PREFIX):
        set_aside(layout, spares[-1], spares[-1].name)
    for left in sorted(layout.releases.glob(f"{STAGING_PREFIX}*")) if layout.releases.is_dir() else []:
        left.rename(layout.releases / f"{TRASH_PREFIX}{left.name}")
    doomed = sorted(layout.releases.glob(f"{TRASH_PREFIX}*")) if layout.releases.is_dir() else []
    if doomed:
        background.delete_detached(doomed)
    return removed


def last_note(layout: Layout, key: str) -> Any:
    """The latest value of `key` among the history's records (None when never noted)."""
    for record in reversed(read_history(layout)):
        if key in record:
            return record[key]
    return None


def discard(staging: Path) -> None:
    """Remove a failed staging folder; the live release was never touched."""
    if staging.exists():
        shutil.rmtree(staging)
