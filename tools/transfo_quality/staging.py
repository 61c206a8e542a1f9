"""A new release assembled from the build and the previous release.

The build folder (`<root>/build/`) is kept from one publish to the next, so the
build itself reuses what it can (transfo_perf). A release is then assembled
file by file: a file whose bytes equal the previous release's is copied from
there with its `.gz` and `.br`; any other is copied from the build and
compressed. The manifest of each release (path -> SHA-256 of its bytes, and of
its copies', beside the releases, never inside one) makes the comparison a
dictionary lookup. The result is byte for byte what a publish from nothing
would give: copies are the same bytes, and compression depends on the bytes
alone. A file of the previous release is taken only while it is still as
published (`as_published`): a regular file, of the size just built, with every
copy its manifest records, unchanged since its release was sealed
(`Manifest.sealed`) or, when touched since, still of the manifest's bytes.

Copying the unchanged files is most of an edit's assembly (579 MB at 2,000
articles), and it does not need the build: `Prefill` copies the previous
release's files into the staging folder in a process of its own while the
site builds, on the core the build leaves idle; `assemble` then only replaces
what changed and removes what went. Once releases are pruned, the staging
folder starts as the newest release pruned (`release.SPARE_PREFIX`): only
the files that changed since it went live are copied.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import stat
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.synchronize import Event
from pathlib import Path

from transfo_common import tree
from transfo_common.files import KeptStatMemo, copy_data, sha256_of_file, write_atomically

from .compress import SIGNATURE, compressed_copies, is_compressible

MANIFESTS = "manifests"
COMPRESSED_SUFFIXES = (".gz", ".br")


@dataclass(frozen=True)
class Manifest:
    files: dict[str, str]  # site-relative path -> SHA-256 of the build's bytes
    theme: str = ""  # fingerprint of the theme's templates and static files
    now: str = ""  # the build date the release was built with
    compression: str = SIGNATURE  # how its .gz/.br copies were made
    # When its last file was written (ns, the clock of change times); 0: not known (older releases).
    sealed: int = 0
    # Name of each .gz/.br copy -> SHA-256 of its bytes; None: not known (older releases).
    copies: dict[str, str] | None = None

    def as_json(self) -> dict:
        return {"files": self.files, "theme": self.theme, "now": self.now, "compression": self.compression,
                "sealed": self.sealed, **({"copies": self.copies} if self.copies is not None else {})}

    def expected(self, name: str, relative: str) -> str | None:
        """The SHA-256 the release's file `name` (`relative` or one of its copies) was published
        with; None when it was not published, or is a copy of an older manifest's."""
        if name == relative:
            return self.files.get(relative)
        return self.copies.get(name) if self.copies is not None else None

    def copies_of(self, paths: Iterable[str]) -> dict[str, str] | None:
        """{name: SHA-256} of the compressed copies this manifest records for `paths`; None when
        it records none (an older release)."""
        if self.copies is None:
            return None
        return {name: self.copies[name] for path in paths for name in _published_names(self, path)[1:]}

    def holding(self, paths: Collection[str], sealed: int) -> Manifest:
        """This manifest narrowed to `paths`: that of a folder holding only those of its files, as
        they were published, written until `sealed`."""
        return Manifest({path: self.files[path] for path in paths}, self.theme, self.now, self.compression,
                        sealed, self.copies_of(paths))


def manifest_path(root: Path, release: str) -> Path:
    return Path(root) / MANIFESTS / f"{release}.json"


def read_manifest(root: Path, release: str | None) -> Manifest | None:
    """The manifest of a release, None when it has none (a release older than manifests, or damaged)."""
    if release is None:
        return None
    try:
        data = json.loads(manifest_path(root, release).read_text(encoding="utf-8"))
        sealed, copies = data.get("sealed", 0), data.get("copies")
        return Manifest(dict(data["files"]), data.get("theme", ""), data.get("now", ""),
                        data.get("compression", ""), sealed if isinstance(sealed, int) else 0,
                        dict(copies) if isinstance(copies, dict) else None)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_manifest(root: Path, release: str, manifest: Manifest) -> None:
    path = manifest_path(root, release)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, json.dumps(manifest.as_json(), sort_keys=True).encode())


def prune_manifests(root: Path, releases: set[str]) -> None:
    """Drop the manifests of releases that no longer exist."""
    folder = Path(root) / MANIFESTS
    if folder.is_dir():
        for path in folder.glob("*.json"):
            if path.stem not in releases:
                path.unlink()


def folder_digests(folder: Path, memo_path: Path | None = None) -> dict[str, str]:
    """{relative path: SHA-256} of every file of `folder`.

    `memo_path` keeps each digest between calls while its file keeps the identity it had then
    (`KeptStatMemo`): a file the build left alone is not read again (the build rewrites only
    changed files).
    """
    memo = KeptStatMemo(memo_path, "sha256") if memo_path is not None else None

    def digest(relative: str) -> str:
        return sha256_of_file(os.path.join(folder, relative))

    digests = {}
    for relative, found in tree.files(folder).items():
        if stat.S_ISREG(found.st_mode):  # not a link to a folder (which the leak check refuses)
            digests[relative] = memo.get(relative, found, digest) if memo is not None else digest(relative)
    if memo is not None:
        memo.save()
    return dict(sorted(digests.items()))


def theme_fingerprint(theme: Path) -> str:
    """One digest of the theme's templates, stylesheets and scripts (what Lighthouse measures)."""
    sha = hashlib.sha256()
    for path in sorted(p for p in Path(theme).rglob("*") if p.is_file()):
        sha.update(path.relative_to(theme).as_posix().encode() + b"\0")
        sha.update(bytes.fromhex(sha256_of_file(path)))
    return sha.hexdigest()


@dataclass
class Assembly:
    """What a staging release took from where."""

    changed: list[str] = field(default_factory=list)  # new or different bytes: from the build
    reused: int = 0  # same bytes as the previous release: copied from it
    removed: list[str] = field(default_factory=list)  # in the previous release, not in this one
    compressed: int = 0  # .gz/.br written for changed files
    compression_seconds: float = 0.0
    copies: dict[str, str] = field(default_factory=dict)  # every .gz/.br placed -> SHA-256 (`Manifest.copies`)

    def plus(self, other: Assembly) -> Assembly:
        """Both parts of one release (assembled in two calls: the site, then its search index)."""
        return Assembly(self.changed + other.changed, self.reused + other.reused, self.removed + other.removed,
                        self.compressed + other.compressed,
                        round(self.compression_seconds + other.compression_seconds, 3), {**self.copies, **other.copies})


def _compress(path: Path) -> tuple[Path, list[tuple[str, bytes]]]:
    return path, compressed_copies(path.read_bytes())


# Below this many files, starting worker processes costs more than it saves.
PARALLEL_FROM = 64


def compress_all(paths: list[Path]) -> dict[Path, str]:
    """Write the .gz/.br copies of `paths`, on every core when there are many; the copies written,
    with the SHA-256 of their bytes."""
    written: dict[Path, str] = {}
    results: Iterator[tuple[Path, list[tuple[str, bytes]]]]
    pool = None
    if len(paths) < PARALLEL_FROM:
        results = map(_compress, paths)
    else:
        pool = ProcessPoolExecutor(os.cpu_count() or 1, mp_context=multiprocessing.get_context("fork"))
        results = pool.map(_compress, paths, chunksize=16)
    try:
        for path, copies in results:
            for suffix, packed in copies:
                write_atomically(path.with_name(path.name + suffix), packed)
                written[path.with_name(path.name + suffix)] = hashlib.sha256(packed).hexdigest()
    finally:
        if pool is not None:
            pool.shutdown()
    return written


# Copying the unchanged files waits on the disk more than on Python (copy_file_range lets go of
# the GIL): at 2,000 articles, assembling a release of 22,003 unchanged files took 17.1-18.0 s one
# at a time and 12.6-14.2 s four at a time (ext4 here, three runs each, alternated).
COPY_THREADS = 4


def copy_files(pairs: list[tuple[Path, Path]], stop: Event | None = None) -> None:
    """Copy each (source, target), `COPY_THREADS` at a time; the first failed copy's error is raised.
    Once `stop` is set, the copies not yet started are skipped."""
    def copy(pair: tuple[Path, Path]) -> None:
        if stop is None or not stop.is_set():
            try:
                copy_data(*pair)
            except OSError as error:  # copy_file_range's errors name no file (a full disk)
                raise OSError(error.errno, error.strerror, error.filename or str(pair[1])) from error

    with ThreadPoolExecutor(COPY_THREADS, thread_name_prefix="transfo-staging") as pool:
        for _ in pool.map(copy, pairs, chunksize=64):
            pass


def with_compressed(relative: str) -> list[str]:
    """A release path and the names of its `.gz`/`.br` copies."""
    return [relative] + [relative + suffix for suffix in COMPRESSED_SUFFIXES]


_stop_prefill: Event | None = None  # in the prefill's process: set when the publish no longer needs it


def _prefill_process(stop: Event) -> None:
    global _stop_prefill
    _stop_prefill = stop  # an Event reaches a process only as it starts, not with a task
    os.nice(19)


def _prefill(previous: Path | None, manifest: Manifest, staging: Path,
             spare: Manifest | None) -> tuple[list[str], list[str]]:
    """In the prefill's process: make `staging` hold the files of `previous` (its `manifest`'s)
    still as published (`as_published`), with their compressed copies; the paths it holds: those
    found there, those copied.

    `staging` may be a release set aside by `prune` (`spare`: its manifest; None when `staging` is
    empty). Its files with the bytes `previous` has stay where they are, if still as published;
    everything else in it goes, and only the rest is copied from `previous`."""
    stop = _stop_prefill
    held: list[str] = []
    before = manifest.files
    if spare is not None:
        same = [path for path, digest in spare.files.items() if before.get(path) == digest] \
            if spare.compression == SIGNATURE and spare.sealed else []
        removed = _keep_only(staging, {name for path in same for name in with_compressed(path)})
        for relative in same:
            # A compressed copy just removed (a link put there): the rest would look too small to have one.
            found = None if not removed.isdisjoint(with_compressed(relative)) else \
                as_published(staging, relative, spare)
            if found is None or manifest.copies is not None and found != _published_names(manifest, relative):
                _remove(staging, relative)
                _remove_empty_folders(staging, (staging / relative).parent)
            else:
                held.append(relative)
    copied = _copy_published(previous, sorted(set(before) - set(held)), staging, manifest) if previous else []
    return ([], []) if stop is not None and stop.is_set() else (held, copied)


def _copy_published(previous: Path, paths: list[str], staging: Path, manifest: Manifest) -> list[str]:
    """Copy `paths` of `previous` still as published, with their compressed copies, into `staging`;
    the paths copied (none once the prefill is stopped)."""
    stop = _stop_prefill
    copied, pairs, made = [], [], set()
    for relative in paths:
        if stop is not None and stop.is_set():
            return []
        names = as_published(previous, relative, manifest)
        if names is None:
            continue
        target = staging / relative
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        pairs += [(previous / name, staging / name) for name in names]
        copied.append(relative)
    copy_files(pairs, stop)
    return copied


def _keep_only(root: Path, wanted: set[str]) -> set[str]:
    """Remove from `root` all but the regular files named in `wanted` (relative paths), and the
    folders left empty: a link, a file added by hand, a leftover of any kind never stays. The names
    removed."""
    removed: set[str] = set()

    def clear(folder: str, prefix: str) -> bool:  # whether `folder` is now empty
        empty = True
        with os.scandir(folder) as entries:
            for entry in entries:
                relative = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    if clear(entry.path, relative + "/"):
                        os.rmdir(entry.path)
                        continue
                elif relative not in wanted or not entry.is_file(follow_symlinks=False):
                    os.unlink(entry.path)
                    removed.add(relative)
                    continue
                empty = False
        return empty

    clear(os.fspath(root), "")
    return removed


class Prefill:
    """The previous release's files (those of its manifest, with their `.gz`/`.br`) put into the
    staging folder by a process of its own, started before the build: copied into an empty folder,
    or mostly there already in a spare release (`release.take_spare`).

    A process of its own, at the lowest priority (nice 19): the copy takes only the CPU the build
    leaves idle, and none of this process's interpreter lock. `wait` gives the paths in place, for
    `assemble`; `recycled` then says how many were found in the spare release."""

    recycled = 0

    def __init__(self, previous: Path | None, manifest: Manifest | None, staging: Path,
                 spare: Manifest | None) -> None:
        context = multiprocessing.get_context("spawn")  # the publish may run threads: no fork
        self._stop = context.Event()
        self._pool = ProcessPoolExecutor(1, mp_context=context, initializer=_prefill_process,
                                         initargs=(self._stop,))
        self._copied = self._pool.submit(_prefill, previous, manifest or Manifest({}), staging, spare)

    def wait(self) -> frozenset[str]:
        """The paths now in the staging folder as they are in the previous release; raises the
        copy's error (a full disk)."""
        try:
            held, copied = self._copied.result()
            self.recycled = len(held)
            return frozenset(held + copied)
        finally:
            self._pool.shutdown()

    def cancel(self) -> None:
        """Stop copying (the publish failed or has nothing to publish), once the copies under way end."""
        self._stop.set()
        self._pool.shutdown(cancel_futures=True)


def prefill(previous: Path | None, manifest: Manifest | None, staging: Path,
            spare: Manifest | None = None) -> Prefill | None:
    """Start putting the previous release into `staging`; None when `staging` is empty and there is
    no release `assemble` could take files from (no previous release, no manifest, or copies
    compressed another way). `spare`: the manifest of the spare release `staging` is (an empty one
    when it has none: nothing of it is kept)."""
    if previous is None or manifest is None or manifest.compression != SIGNATURE:
        if spare is None:
            return None
        previous = manifest = None  # the spare is emptied, nothing copied
    return Prefill(previous, manifest, staging, spare)


def same_site(digests: dict[str, str], manifest: Manifest | None, theme: str,
              apart: Callable[[str], bool], build: Path, live: Path | None) -> bool:
    """Whether the build's files (`digests`, in `build`) are byte for byte those of the release
    `manifest` describes, with the same theme and compression, and the `live` release still holds
    them as published (one changed by hand is then replaced); its files for which `apart(path)`
    holds (the search index, made beside the build from the same pages) are left out."""
    if manifest is None or manifest.theme != theme or manifest.compression != SIGNATURE or live is None:
        return False
    if digests != {path: sha for path, sha in manifest.files.items() if not apart(path)}:
        return False
    return all(_same_size(live / path, build / path) and as_published(live, path, manifest) is not None
               for path in digests)


def everything(_path: str) -> bool:
    return True


def assemble(build: Path, digests: dict[str, str], staging: Path,
             previous: Path | None, previous_manifest: Manifest | None,
             covers: Callable[[str], bool] = everything, prefilled: Collection[str] = frozenset()) -> Assembly:
    """Fill `staging` with the build's files, from the previous release when the bytes are the same.

    `covers(path)`: whether a path of the release is this call's to place; the previous release's
    files it covers and `digests` lacks are the removed ones (a release assembled in two calls).
    `prefilled`: the previous release's paths already copied into `staging` (`Prefill`), with their
    compressed copies; those the build changed are replaced, those it removed are taken away."""
    trusted = previous_manifest if previous is not None and previous_manifest is not None \
        and previous_manifest.compression == SIGNATURE else Manifest({})
    before = trusted.files
    result = Assembly(removed=sorted(path for path in before if path not in digests and covers(path)))
    for relative in result.removed:
        if relative in prefilled:
            _remove(staging, relative)
            _remove_empty_folders(staging, (staging / relative).parent)
    made: set[Path] = set()
    copies: list[tuple[Path, Path]] = []  # (source, target)
    reused: list[str] = []
    for relative, digest in digests.items():
        target = staging / relative
        if relative in prefilled:
            # There already, with its compressed copies; the previous release's manifest vouches
            # for its bytes, its size for its having stayed so (a file damaged in the live release).
            if before.get(relative) == digest and _same_size(target, build / relative):
                reused.append(relative)
                continue
            _remove(staging, relative)
        kept = as_published(previous, relative, trusted) if previous is not None and before.get(relative) == digest \
            and _same_size(previous / relative, build / relative) else None
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        if previous is not None and kept is not None:
            copies += [(previous / name, staging / name) for name in kept]
            reused.append(relative)
            continue
        copies.append((build / relative, target))
        result.changed.append(relative)
    copy_files(copies)
    result.reused = len(reused)
    result.copies = _reused_copies(staging, reused, trusted)
    started = time.monotonic()
    written = compress_all([staging / name for name in result.changed if is_compressible(staging / name)])
    result.compressed = len(written)
    result.copies.update({path.relative_to(staging).as_posix(): sha for path, sha in written.items()})
    result.compression_seconds = round(time.monotonic() - started, 3)
    return result


def _reused_copies(staging: Path, reused: list[str], manifest: Manifest) -> dict[str, str]:
    """{name: SHA-256} of the compressed copies of the `reused` paths now in `staging`: those the
    previous release's `manifest` records, or, when it records none (an older release), hashed."""
    recorded = manifest.copies_of(reused)
    if recorded is not None:
        return recorded
    return {name: sha256_of_file(staging / name) for relative in reused for name in with_compressed(relative)[1:]
            if (staging / name).is_file()}


def as_published(release: Path, relative: str, manifest: Manifest) -> list[str] | None:
    """The names of `relative` and of its compressed copies in `release`, or None when one of them
    is no longer as published (`manifest`): not a regular file (a link put there, followed by no
    copy), a copy the manifest records gone, or other bytes.

    A file unchanged since the release was sealed (its change time: a rewrite moves it, whatever
    size and modification time it is given back) is taken at once; one changed since (restored
    from an archive, which gives every file a new change time, or touched by hand) is hashed and
    compared with the manifest. A release sealed before this check (0) is judged by its files'
    size alone (`_same_size`)."""
    names = []
    for name in with_compressed(relative):
        expected = manifest.expected(name, relative)
        try:
            found = os.lstat(release / name)
        except FileNotFoundError:
            if name == relative or expected is not None:
                return None
            continue  # too small to be compressed
        except OSError:
            return None
        if not stat.S_ISREG(found.st_mode):
            return None
        if manifest.sealed and found.st_ctime_ns > manifest.sealed and (
                expected is None or not _holds(release / name, expected)):
            return None
        names.append(name)
    return names


def _holds(path: Path, digest: str) -> bool:
    """Whether the file at `path` has the SHA-256 `digest`; False when it cannot be read (its
    permissions changed since its release was sealed): the build's copy is taken instead."""
    try:
        return sha256_of_file(path) == digest
    except OSError:
        return False


def _published_names(manifest: Manifest, relative: str) -> list[str]:
    """`relative` and the compressed copies `manifest` records for it (it must record them)."""
    return [name for name in with_compressed(relative) if name == relative or name in (manifest.copies or {})]


def _same_size(kept: Path, built: Path) -> bool:
    """Whether a file kept from the previous release still has the size of the one just built
    with the same digest: a file truncated or rewritten in the live release is not carried on."""
    try:
        return kept.stat().st_size == built.stat().st_size
    except OSError:
        return False


def _remove(staging: Path, relative: str) -> None:
    """Take a prefilled path and its compressed copies out of `staging`."""
    for name in with_compressed(relative):
        (staging / name).unlink(missing_ok=True)


def _remove_empty_folders(staging: Path, folder: Path) -> None:
    """Remove `folder` and its parents below `staging` while they are empty (a removed page's)."""
    while folder != staging and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
