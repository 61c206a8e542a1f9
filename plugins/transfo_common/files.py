"""The one filesystem module: atomic writes, content fingerprints, the stat-keyed memo, and the
content-addressed store the caches keep their results in.

- Writing: a file is replaced by a complete new one or not at all (`write_atomically`); a file
  whose bytes are already right keeps its mtime (`write_if_changed`); a copy is a file of its
  own, a reflink where the file system shares blocks (`copy_data`).
- Fingerprints: the sha256 of a file's bytes, of every file of a tree (`file_digests`,
  `tree_fingerprint`), or of their names, sizes and mtimes only (`times_fingerprint`).
- Stat-keyed memo: a process that stays (the resident preview) reads the same thousands of
  files at every build to find the few that changed; `memo_by_stat` reuses a result while the
  file's identity (inode, size, modification and change times) is unchanged and the file had
  settled (not changed for a second) when it was read: a rewrite within the file system's
  clock tick could keep the same times, but the change time of a later one moves, and no
  program can set it back. `KeptStatMemo` keeps such results in one file, for the next process.
- Content-addressed store: a result is kept under the sha256 of everything it depends on
  (`ContentStore`), so the preview, the build and the publish, whatever their folders, share
  what they computed from the same inputs.
- Owner notes: a cache file that belongs to one folder (an output's record) has a note naming
  it, and `prune_orphans` removes the files of folders gone since.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from transfo_common import tree, written

TEMPORARY_SUFFIX = ".tmp"  # a file being written; never part of a finished output
SKIPPED_DIRS = frozenset({"__pycache__", ".git", ".pytest_cache"})
# Files up to this size (text: content, templates, code) are fingerprinted by their bytes;
# larger ones (photos) by size and mtime, which every editor and tool changes on a write.
HASHED_MAX_BYTES = 64 << 10
SETTLED_NS = 1_000_000_000
NOTE_SUFFIX = ".for"


# --- Writing -------------------------------------------------------------------------------

def copy_data(source: Path, target: Path) -> None:
    """Copy the bytes; a reflink where the filesystem shares blocks on copy (Btrfs, XFS), a plain
    copy elsewhere. Never a hard link: the target is a file of its own."""
    with open(source, "rb") as reading, open(target, "xb") as writing:
        remaining = os.fstat(reading.fileno()).st_size
        try:
            while remaining > 0:
                copied = os.copy_file_range(reading.fileno(), writing.fileno(), remaining)
                if copied == 0:
                    break
                remaining -= copied
        except (AttributeError, OSError):  # no copy_file_range here (other system, old kernel)
            remaining = -1
        if remaining:
            reading.seek(0)
            writing.seek(0)
            writing.truncate()
            shutil.copyfileobj(reading, writing, 1 << 20)


def write_atomically(path: Path | str, data: bytes) -> None:
    """Write `data` as a new file replacing `path`: never into the old file, which another name
    may share (hard links), never seen half-written, and no temporary file left when the
    write fails (a full disk): the error names `path`."""
    # A name of its own: processes rendering pages side by side may write the same file.
    temporary = f"{path}.{os.getpid()}{TEMPORARY_SUFFIX}"
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except OSError as error:
        _remove(temporary)
        raise OSError(error.errno, error.strerror, str(path)) from error
    except BaseException:
        _remove(temporary)
        raise


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def write_if_changed(path: Path | str, data: bytes) -> bool:
    """Write `data` unless the file already holds exactly these bytes; True when written.

    Untouched files keep their mtime, so rsync, caches and browsers see only real changes.
    Either way the file is one of the build's when it is below the output of a build under
    way (`written`: the next build removes it if it no longer writes it).
    """
    path = Path(path)
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            written.note(str(path))
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, data)
    written.note(str(path))
    return True


def copy_if_changed(source: Path, target: Path) -> bool:
    """Copy `source` unless `target` has its size and is not older; True when copied. Either
    way `target` is one of the build's files, as with `write_if_changed`."""
    try:
        found, wanted = target.stat(), source.stat()
        copy = not (found.st_size == wanted.st_size and found.st_mtime >= wanted.st_mtime)
    except FileNotFoundError:
        copy = True
    if copy:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    written.note(str(target))
    return copy


def remove_leftovers(output: Path) -> int:
    """Delete the temporary files a build killed half-way left in `output`; how many.

    Only call it while holding the output's lock (`locking.output_lock`): then
    no other build is writing there.
    """
    removed = 0
    pending = [os.fspath(output)]
    while pending:
        try:
            entries = list(os.scandir(pending.pop()))
        except OSError:  # no output yet
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                pending.append(entry.path)
            elif entry.name.endswith(TEMPORARY_SUFFIX):
                _remove(entry.path)
                removed += 1
    return removed


# --- Fingerprints --------------------------------------------------------------------------

def sha256_of_file(path: Path | str) -> str:
    """The sha256 of the file's bytes, read in blocks (photos too)."""
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def _sha256_or_none(path: str) -> str | None:
    """None when the file cannot be read: it is then known by its size and time, as a photo is."""
    try:
        return sha256_of_file(path)
    except OSError:
        return None


def file_digests(root: Path | str, exclude_suffixes: tuple[str, ...] = (),
                 only_suffixes: tuple[str, ...] = (), hashed_max_bytes: int | None = HASHED_MAX_BYTES
                 ) -> dict[str, str]:
    """{relative name: sha256 of its bytes (or its size and mtime, above `hashed_max_bytes`; None:
    every file by its bytes)} of every file below `root`. In a process that stays, a file
    unchanged since it was last hashed is not read again (`memo_by_stat`)."""
    digests, small = {}, []
    for name, found in tree.files(root, SKIPPED_DIRS).items():
        if (exclude_suffixes and name.endswith(exclude_suffixes)) or \
                (only_suffixes and not name.endswith(only_suffixes)):
            continue
        digests[name] = f"{found.st_size}:{found.st_mtime_ns}"
        if hashed_max_bytes is None or found.st_size <= hashed_max_bytes:
            small.append((os.path.join(root, name), found))
    hashed = memo_by_stat(f"digests:{exclude_suffixes}:{only_suffixes}:{hashed_max_bytes}", os.path.abspath(root),
                          small, _sha256_or_none)
    start = len(os.path.join(root, ""))
    digests.update((path[start:], digest) for path, digest in hashed.items() if digest is not None)
    return digests


def digests_fingerprint(digests: dict[str, str]) -> str:
    return hashlib.sha256("\n".join(f"{name}\0{digest}" for name, digest in sorted(digests.items()))
                          .encode()).hexdigest()


def tree_fingerprint(root: Path | str, exclude_suffixes: tuple[str, ...] = (),
                     hashed_max_bytes: int | None = HASHED_MAX_BYTES) -> str:
    """Hash of every file below `root`: its path, and its bytes (or size and mtime, see
    `file_digests`); "absent" when it is not a folder."""
    if not os.path.isdir(root):
        return "absent"
    return digests_fingerprint(file_digests(root, exclude_suffixes, hashed_max_bytes=hashed_max_bytes))


_times_kept: dict[str, tuple[int, str]] = {}  # folder -> (listing version, its fingerprint)


def times_fingerprint(root: Path | str) -> str:
    """Hash of the name, size and mtime of every file below `root`, from this process's watch of
    it when there is one (`transfo_common.tree`), and then kept until the listing changes;
    "absent" when it is not a folder."""
    if not os.path.isdir(root):
        return "absent"
    listing = tree.files(root, SKIPPED_DIRS)
    version, kept = tree.version(root), _times_kept.get(os.path.abspath(root))
    if version is not None and kept is not None and kept[0] == version:
        return kept[1]
    fingerprint = digests_fingerprint({name: f"{found.st_size}:{found.st_mtime_ns}"
                                       for name, found in listing.items()})
    if version is not None:
        _times_kept[os.path.abspath(root)] = (version, fingerprint)
    return fingerprint


# --- Stat-keyed memo -----------------------------------------------------------------------

def stat_identity(stat: os.stat_result) -> tuple[int, int, int, int, int, int]:
    """What tells a file apart from its replacement without reading it: the change time moves
    on every write, rename or copy over it, and cannot be set back."""
    return stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev, stat.st_mode


def file_state(path: Path | str) -> tuple | None:
    """`stat_identity` of the file at `path`; None when absent."""
    try:
        return stat_identity(os.stat(path))
    except OSError:
        return None


def settled(stat: os.stat_result, started_ns: int) -> bool:
    """True when the file had not changed for SETTLED_NS at `started_ns` (time.time_ns()): its
    identity then tells any later write apart."""
    return max(stat.st_mtime_ns, stat.st_ctime_ns) < started_ns - SETTLED_NS


_memos: dict[tuple[str, str], dict[str, tuple]] = {}
Result = TypeVar("Result")


def memo_by_stat(kind: str, folder: str, files: Iterable[tuple[str, os.stat_result]],
                 read: Callable[[str], Result]) -> dict[str, Result]:
    """{path: read(path)} for `files` ((path, stat) below `folder`), from this process's memo of
    `kind` results where the file is as it was when read; the memo then holds these files only."""
    started = time.time_ns()
    before = _memos.get((kind, folder), {})
    now: dict[str, tuple] = {}
    for path, stat in files:
        known = before.get(path)
        if known is None or known[0] is None or known[0] != stat_identity(stat):
            known = (stat_identity(stat) if settled(stat, started) else None, read(path))
        now[path] = known
    _memos[(kind, folder)] = now
    return {path: result for path, (_identity, result) in now.items()}


class KeptStatMemo:
    """`memo_by_stat` kept in one JSON file between processes (a build is a new process).

    A result is reused while its file keeps the identity it had when read, and the file had
    settled by then. Results must be JSON values. `version` names the code that computed them:
    another version starts empty. `save` keeps the files looked up since the memo was loaded,
    and only those; two processes saving at once leave either one's whole memo.
    """

    def __init__(self, path: Path | str, version: str) -> None:
        self.path, self.version = Path(path), version
        self._started = time.time_ns()
        self._before = self._load()
        self._now: dict[str, list] = {}

    def _load(self) -> dict[str, list]:
        try:
            stored = json.loads(Path(self.path).read_bytes())
        except (OSError, ValueError):
            return {}
        if not isinstance(stored, dict) or stored.get("version") != self.version:
            return {}
        entries = stored.get("entries")
        return entries if isinstance(entries, dict) else {}

    def get(self, path: str, stat: os.stat_result, read: Callable[[str], Result]) -> Result:
        """read(path), or its kept result while the file at `path` (whose stat is `stat`) is
        as it was when read."""
        identity = list(stat_identity(stat))
        known = self._before.get(path)
        if isinstance(known, list) and len(known) == 2 and known[0] == identity:
            result = known[1]
        else:
            result = read(path)
        self._now[path] = [identity if settled(stat, self._started) else None, result]
        return result

    def forget(self, path: str) -> None:
        """Do not keep `path`'s result (one the caller found it cannot trust next time)."""
        self._now.pop(path, None)

    def save(self) -> None:
        kept = {path: entry for path, entry in self._now.items() if entry[0] is not None}
        if kept != self._before:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(self.path, json.dumps({"version": self.version, "entries": kept}).encode())
            self._before = kept


# --- Content-addressed store ---------------------------------------------------------------

def content_key(*parts: bytes | str) -> str:
    """The sha256 of `parts`, each length-prefixed (no two lists of parts share a key)."""
    sha = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        sha.update(len(data).to_bytes(8, "big") + data)
    return sha.hexdigest()


PRUNED_MARK = ".pruned"  # in a ContentStore's folder: when it was last walked


class ContentStore:
    """Blobs under the sha256 key of what they were computed from, in `folder/ab/abcdef…`.

    Any process may read and write it at once: a blob is written atomically and, its key being
    its inputs, two writers of one key write the same bytes. A blob read or written is touched,
    and `prune` drops the blobs nobody used for `max_age_s`.
    """

    def __init__(self, folder: Path | str):
        self.folder = Path(folder)

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def has(self, key: str) -> bool:
        return self.path(key).is_file()

    def get(self, key: str) -> bytes | None:
        path = self.path(key)
        try:
            data = path.read_bytes()
            os.utime(path)
        except OSError:
            return None
        return data

    def put(self, key: str, data: bytes) -> None:
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, data)

    def prune(self, max_age_s: float) -> int:
        """Remove the blobs neither read nor written for `max_age_s`; how many. The store is
        walked at most once in `max_age_s / 30` (a day for a month): a blob is dropped a little
        later than its age says, and a build does not stat every blob (6,400 in a test run)."""
        oldest, removed = time.time() - max_age_s, 0
        walked = self.folder / PRUNED_MARK
        try:
            if walked.stat().st_mtime > time.time() - max_age_s / 30:
                return 0
        except FileNotFoundError:
            pass
        for shard in self.folder.glob("??"):
            for blob in shard.iterdir():
                try:
                    if blob.stat().st_mtime < oldest:
                        blob.unlink()
                        removed += 1
                except OSError:
                    continue
        self.folder.mkdir(parents=True, exist_ok=True)
        walked.touch()
        return removed


# --- Owner notes ---------------------------------------------------------------------------

def note_owner(artefact: Path, folder: Path) -> None:
    """Note beside `artefact` that it belongs to `folder`."""
    note = Path(artefact).with_suffix(NOTE_SUFFIX)
    text = str(Path(folder).resolve())
    if not note.is_file() or note.read_text(encoding="utf-8") != text:
        note.write_text(text, encoding="utf-8")


def prune_orphans(cache: Path) -> list[Path]:
    """Remove, in `cache`, every noted file whose folder no longer exists; the files removed."""
    removed = []
    for note in sorted(Path(cache).glob("*" + NOTE_SUFFIX)):
        try:
            gone = not Path(note.read_text(encoding="utf-8")).exists()
        except OSError:
            continue
        if gone:
            for artefact in sorted(note.parent.glob(note.stem + ".*")):
                artefact.unlink(missing_ok=True)
                removed.append(artefact)
    return removed
