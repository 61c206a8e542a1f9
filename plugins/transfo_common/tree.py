"""The files of a folder with their `stat`, walked, or kept up to date by the kernel.

Several steps list the output folder: the record of the last build and the
check that nothing touched it since, the search index, the leak check. Each
walk of 15,000 files costs a tenth of a second, five times per preview at
2,000 articles. A process that stays (`transfo_perf.resident`) can instead
`watch` the folder: the kernel (inotify, through `watchfiles`) reports every
name created, written, changed, moved or deleted below it, and `files` then
looks again only at those names. The answer is the walk's answer, only
cheaper: before answering, `files` writes a token in a folder of its own
watched by the same instance and waits for its event, so every change made
before the call has been reported; a folder that appears is listed only once
the watcher watches it (it does so after reporting it: `Watch._catch_up`),
so nothing created in it can be missed; a watch that fails, or a token that
never comes, means a full walk from then on.

The walk's rules: folders are entered, symbolic links to folders are not;
a file (or any other name) is given with the `stat` of what it points to,
and left out when that cannot be read (a broken link).

What events cannot tell, and how a watch still answers as the walk would:
- A symbolic link's target may change anywhere: links are looked at again
  at every call. A link to a folder ends the watch (the watcher would follow
  it, unlike the walk): such a tree is walked.
- A file with several names in the folder (hard links) is written through
  one of them: the others are looked at again with it. A name that came and
  went between two calls may have been such a name: everything is listed
  again, unless a name that arrived in the same time is still there (the
  temporary file of an atomic write renamed over a page, which keeps its
  inode, and so its other names, with it).
- A file that also has a name the watch does not see (outside the folder,
  or in a folder made and not yet listed) and is written through that
  name: no event says so. The output has such files, the images linked
  from their cache, which is never written in place (`transfo_images`: a
  new file is renamed over the old). That is the one case where a watch's
  sizes and times could lag behind a walk; the change time and link count
  of a file linked or unlinked there can lag too, its bytes unchanged.
  Builds in a new process (`invoke build`, `invoke publish`) always walk.
- A folder moved into one the watcher does not watch yet (one just made or
  moved in): the watcher (notify's inotify backend) keeps its watches by
  name, not by inode; it finds the folder under its new name, then drops
  that watch when it reads that the old name left, and nothing in the
  folder is reported from then on. Its bookkeeping of moved and deleted
  folders can drop others the same way. Events neither say that a name
  that left was a folder nor where it went: when, between two calls, a
  folder arrived and a name that was not a listed file left (a folder moved
  or deleted, a temporary name), the watcher is started again and the tree
  listed whole. That costs a walk when folders move (the search bundle
  replaced, `transfo_search`) or appear as pages are written; rewriting the
  pages of existing folders does not.
- Events the kernel drops: when more than fs.inotify.max_queued_events
  (16,384 here) wait unread, the kernel drops the rest and says so; notify
  passes that on as a rescan, but watchfiles drops it (watchfiles issue
  #348). A refresh that rewrites every page of a 2,000-article site makes
  about that many. `verify` walks a watched tree and compares: a process
  that stays calls it once its work is done (`transfo_perf.resident`, behind
  the page shown), and a difference means a new watch, listed whole.
"""

from __future__ import annotations

import itertools
import os
import shutil
import stat as stat_module
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Iterable

from watchfiles import Change

# The watcher of watchfiles' documented Rust backend (watchfiles.helpmanual.io/api/rust_backend):
# `watchfiles.watch` starts it lazily in a generator, which gives no way to know it is running.
from watchfiles._rust_notify import RustNotify

Listing = dict[str, os.stat_result]  # relative path ("a/b.html") -> stat


def _special(mode: int) -> bool:
    """A pipe, socket or device: not a file to fingerprint (reading a pipe would wait forever)."""
    return stat_module.S_ISFIFO(mode) or stat_module.S_ISSOCK(mode) or stat_module.S_ISCHR(mode) \
        or stat_module.S_ISBLK(mode)


def walk(root: str | os.PathLike[str], skipped_dirs: Iterable[str] = (),
         on_folder: Callable[[str, str], None] | None = None, links: set[str] | None = None) -> Listing:
    """{relative path: stat} of every file below `root` ({} when it is not a folder).

    One `scandir` per folder and plain strings: a Path per file costs more
    than the walk. `on_folder(path, relative)` is called before each folder
    is listed (`Watch` starts watching it there); the names of symbolic
    links, broken ones included, are added to `links`.
    """
    skipped = frozenset(skipped_dirs)
    found: Listing = {}
    pending = [(os.fspath(root), "")]
    while pending:
        folder, prefix = pending.pop()
        if on_folder is not None:
            on_folder(folder, prefix.rstrip("/"))
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name not in skipped:
                    pending.append((entry.path, prefix + entry.name + "/"))
                continue
            if links is not None and entry.is_symlink():
                links.add(prefix + entry.name)
            try:
                info = entry.stat()
            except OSError:  # a broken link
                continue
            if not _special(info.st_mode):
                found[prefix + entry.name] = info
    return found


def files(root: str | os.PathLike[str], skipped_dirs: Iterable[str] = ()) -> Listing:
    """`walk(root, skipped_dirs)`, from this process's watch of `root` when it has one (read only).

    Threads may call it at once (`transfo_common.background`): a watch is read by one at a time,
    and each gets a listing of its own, which the next call does not change under it."""
    root = os.path.abspath(root)
    with _lock:
        kept = _watches.get(root)
        if kept is not None:
            try:
                listing = kept.files()
            except OSError:  # a folder that cannot be watched (the system's limit): walk from now on
                unwatch(root)
            else:
                return dict(kept.outside(frozenset(skipped_dirs)) if skipped_dirs else listing)
    return walk(root, skipped_dirs)


def _outside(listing: Listing, skipped: frozenset[str]) -> Listing:
    """The names of `listing` in no folder named in `skipped` (a cheap look for the names first)."""
    return {name: found for name, found in listing.items()
            if not any(folder in name for folder in skipped)
            or not any(part in skipped for part in name.split("/")[:-1])}


def watch(root: str | os.PathLike[str]) -> bool:
    """Keep the listing of `root` in this process from now on; False when the system cannot."""
    root = os.path.abspath(root)
    with _lock:
        unwatch(root)
        try:
            _watches[root] = Watch(root)
        except OSError:
            return False
        return True


def verify(root: str | os.PathLike[str]) -> bool:
    """Whether the watched listing of `root` is the walk's (names, kinds, sizes, modification times:
    what fingerprints read); when it is not, events were lost, and `root` is watched anew. True when
    `root` is not watched. It costs a walk: for work done after the answer."""
    root = os.path.abspath(root)
    with _lock:
        kept = _watches.get(root)
        if kept is None:
            return True
        try:
            # A change made between the listing and the walk differs too, once: look twice.
            agreed = any(_summary(kept.files()) == _summary(walk(root)) for _ in range(2))
        except OSError:
            agreed = False
        if not agreed:
            watch(root)
        return agreed


def _summary(listing: Listing) -> dict[str, tuple[int, int, int]]:
    return {name: (stat_module.S_IFMT(info.st_mode), info.st_size, info.st_mtime_ns) for name, info in listing.items()}


def watching(root: str | os.PathLike[str]) -> bool:
    return os.path.abspath(root) in _watches


def version(root: str | os.PathLike[str]) -> int | None:
    """A number that changes whenever the watched listing of `root` changes (unique across watches;
    None when `root` is not watched): what is computed from a listing can be kept with it."""
    kept = _watches.get(os.path.abspath(root))
    return kept.version if kept is not None else None


def unwatch(root: str | os.PathLike[str]) -> None:
    with _lock:
        kept = _watches.pop(os.path.abspath(root), None)
        if kept is not None:
            kept.close()


_watches: dict[str, Watch] = {}
_versions = itertools.count()
_lock = threading.RLock()
_TOKENS_PREFIX = "transfo-watch-"


def _token_folder() -> str:
    """A new folder for a watch's tokens, named after this process; those of processes that ended
    without closing their watches (a preview stopped by a signal) are removed first."""
    temp = tempfile.gettempdir()
    for entry in os.scandir(temp):
        owner = entry.name[len(_TOKENS_PREFIX):].split("-", 1)[0]
        if entry.name.startswith(_TOKENS_PREFIX) and owner.isdigit() and not _running(int(owner)):
            shutil.rmtree(entry.path, ignore_errors=True)
    return tempfile.mkdtemp(prefix=f"{_TOKENS_PREFIX}{os.getpid()}-", dir=temp)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's
        pass
    return True


class Watch:
    """A folder's listing, with a watchfiles watcher telling which names to look at again."""

    TOKEN_WAIT_MS = 5000  # the token's event not back after this: the watch is not working
    CATCH_UP_TRY_MS = 10  # no event for a token in a new folder after this: written before it was watched

    def __init__(self, root: str):
        self.root = root
        self.listing: Listing = {}
        self.links: set[str] = set()  # symbolic links, broken ones included
        self.dirs: set[str] = set()  # the folders listed, but the root
        self.version = next(_versions)
        self._outside: dict[frozenset[str], tuple[int, Listing]] = {}
        self.stale: set[str] = set()  # names to look at again
        self.arrived: set[str] = set()  # names created or moved in since the last look
        self.left: set[str] = set()  # names deleted or moved away since the last look
        self._tokens = _token_folder()
        self._remove_tokens = weakref.finalize(self, shutil.rmtree, self._tokens, True)  # also at exit
        self._counter = itertools.count()
        self._notify: RustNotify | None = None
        self._root_id: tuple[int, int] | None = None
        try:
            self._start()
        except OSError:
            self.close()
            raise

    def files(self) -> Listing:
        """The listing as it is now on disk."""
        if self._root_id != _identity(self.root):  # the root was deleted, replaced or made again
            self._start()
        elif self._notify is not None:
            if self._read_changes() and any(name not in self.listing or name in self.arrived for name in self.left):
                # A folder arrived, and a name that may have been a folder left (not a file listed
                # at the last look): the watcher may have lost folders (module docstring).
                self._start()
            else:
                self._look_again()
        for name in list(self.links):
            known = self.listing.get(name)
            self._restat(name)
            if self.listing.get(name) != known:
                self.version = next(_versions)
            if name in self.listing and stat_module.S_ISDIR(self.listing[name].st_mode):
                # The watcher follows it, and may then report a folder's changes under the link's
                # name, or stop watching that folder when the link goes: walk from now on.
                raise OSError(f"{os.path.join(self.root, name)}: a link to a folder in a watched tree")
        return self.listing

    def outside(self, skipped: frozenset[str]) -> Listing:
        """The listing without the names below a folder named in `skipped`, kept while it holds."""
        kept = self._outside.get(skipped)
        if kept is None or kept[0] != self.version:
            kept = self._outside[skipped] = (self.version, _outside(self.listing, skipped))
        return kept[1]

    def close(self) -> None:
        self._stop()
        self._remove_tokens()

    def _stop(self) -> None:
        if self._notify is not None:
            self._notify.close()
            self._notify = None

    def _start(self) -> None:
        """Watch the root, then list it whole (an absent root: nothing, until it is back)."""
        self._stop()
        self.version = next(_versions)
        self._drop_below("")
        self.stale.clear()
        self.arrived.clear()
        self.left.clear()
        self._root_id = _identity(self.root)
        if self._root_id is None:
            return
        try:
            self._notify = RustNotify([self.root, self._tokens], False, False, 50, True, False)
        except FileNotFoundError:  # gone meanwhile: looked at again at the next call
            self._root_id = None
            return
        except Exception as error:  # the system's limit of watches, or no inotify
            raise OSError(f"watchfiles: {error}") from error
        self._read_changes()  # the watcher runs: what is listed from now on cannot be missed
        self._relist("")

    def _read_changes(self) -> bool:
        """Note the names every change reported so far points at, up to a token written now, and up
        to the watcher watching the folders that arrived (`_catch_up`); whether one did."""
        arrived: set[str] = set()
        token = self._token()
        with open(token, "wb"):
            pass
        try:
            if not self._read_up_to(token, self.TOKEN_WAIT_MS, arrived):
                raise OSError(f"watchfiles: no event for {self.root}")
        finally:
            os.unlink(token)
        folders = False
        while any(os.path.isdir(os.path.join(self.root, name)) for name in arrived):
            folders, arrived = True, self._catch_up()
        return folders

    def _catch_up(self) -> set[str]:
        """Wait until the watcher watches the folders it reported; the names that arrived meanwhile.

        notify's inotify backend starts watching a new folder only after handing out the events it
        read with that folder's, the token's maybe: a folder listed then could miss what is made in
        it before. It watches folders in the order they came, so once a folder made now is watched,
        they all are: a token written in it comes back (one written too early is lost: another is)."""
        arrived: set[str] = set()
        folder = self._token()
        os.mkdir(folder)
        deadline = time.monotonic() + self.TOKEN_WAIT_MS / 1000
        try:
            reported = self._read_up_to(folder, self.TOKEN_WAIT_MS, arrived)
            while reported and time.monotonic() < deadline:
                token = os.path.join(folder, str(next(self._counter)))
                with open(token, "wb"):
                    pass
                if self._read_up_to(token, self.CATCH_UP_TRY_MS, arrived):
                    return arrived
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        raise OSError(f"watchfiles: {folder} not watched")

    def _token(self) -> str:
        return os.path.join(self._tokens, str(next(self._counter)))

    def _read_up_to(self, token: str, wait_ms: int, arrived: set[str]) -> bool:
        """Note the names the changes reported until `token`'s event point at (those created or
        moved in: also in `arrived`); False when it has not come within `wait_ms`."""
        prefix, notify = self.root + os.sep, self._notify
        assert notify is not None, "read only while watching"
        deadline = time.monotonic() + wait_ms / 1000
        while (remaining_ms := round((deadline - time.monotonic()) * 1000)) > 0:
            try:
                changes = notify.watch(remaining_ms, 1, remaining_ms, None)
            except RuntimeError as error:  # the watcher stopped (its thread ended, or closed)
                raise OSError(f"watchfiles: {error}") from error
            if changes == "signal":
                raise KeyboardInterrupt
            if not isinstance(changes, set):  # "timeout"
                return False
            seen = False
            for change, path in changes:
                if path == token:
                    seen = True
                elif path.startswith(prefix):
                    name = path[len(prefix):]
                    self.stale.add(name)
                    if change == Change.added:
                        self.arrived.add(name)
                        arrived.add(name)
                    elif change == Change.deleted:
                        self.left.add(name)
                elif path == self.root:
                    self.stale.add("")
            if seen:
                return True
        return False

    def _look_again(self) -> None:
        """Bring the listing of every stale name up to date, folders above first."""
        if not self.stale:
            return
        self.version = next(_versions)
        relisted: list[str] = []
        looked: Listing = {}  # what this look found
        before: list[os.stat_result] = []  # what the listing held for the names looked at
        moved_here = any(os.path.lexists(os.path.join(self.root, name)) for name in self.arrived)
        for name in sorted(self.stale, key=len):
            if any(folder == "" or name == folder or name.startswith(folder + "/") for folder in relisted):
                continue
            try:
                found = os.lstat(os.path.join(self.root, name) if name else self.root)
            except OSError:
                found = None
            if found is None and name in self.arrived and not moved_here:
                # It may have been another name of a listed file, written through: which file
                # cannot be known now, so list everything again.
                name = ""
            if not name or found is not None and stat_module.S_ISDIR(found.st_mode):
                before.extend(self._drop_below(name))
                looked.update(self._relist(name))
                relisted.append(name)
                continue
            if name in self.dirs:
                before.extend(self._drop_below(name))
            if name in self.listing:
                before.append(self.listing[name])
            self.links.discard(name)
            if found is not None and stat_module.S_ISLNK(found.st_mode):
                self.links.add(name)
            if self._restat(name):
                looked[name] = self.listing[name]
        self.stale.clear()
        self.arrived.clear()
        self.left.clear()
        # A file with several names here, changed, linked or unlinked through one: the others
        # changed too (the same bytes, times; another count of links).
        shared = {(f.st_dev, f.st_ino) for f in (*before, *looked.values()) if f.st_nlink > 1}
        if shared:
            for name in [n for n, f in self.listing.items() if (f.st_dev, f.st_ino) in shared and n not in looked]:
                self._restat(name)

    def _relist(self, folder: str) -> Listing:
        """List `folder` (dropped first) again; what was found."""
        self.version = next(_versions)
        prefix = folder + "/" if folder else ""
        path = os.path.join(self.root, folder) if folder else self.root
        links: set[str] = set()
        found = walk(path, on_folder=lambda _path, relative: self._note_folder(prefix + relative), links=links)
        found = {prefix + name: value for name, value in found.items()}
        self.listing.update(found)
        self.links.update(prefix + name for name in links)
        return found

    def _note_folder(self, relative: str) -> None:
        relative = relative.rstrip("/")
        if relative:
            self.dirs.add(relative)

    def _drop_below(self, folder: str) -> list[os.stat_result]:
        """Forget what `folder` ("": the root) holds, and the name itself; what was forgotten."""
        prefix = folder + "/" if folder else ""
        dropped = [n for n in self.listing if n.startswith(prefix)]
        if folder in self.listing:
            dropped.append(folder)
        self.links = {n for n in self.links if not n.startswith(prefix) and n != folder}
        self.dirs = {d for d in self.dirs if not d.startswith(prefix) and d != folder}
        return [self.listing.pop(n) for n in dropped]

    def _restat(self, name: str) -> bool:
        """Look at one name again; False when it is gone (or a broken link)."""
        try:
            self.listing[name] = os.stat(os.path.join(self.root, name))
        except OSError:
            self.listing.pop(name, None)
            return False
        return True


def _identity(path: str) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_dev, found.st_ino) if stat_module.S_ISDIR(found.st_mode) else None
