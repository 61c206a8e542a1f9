"""The files of a folder with their `stat`, walked, or kept up to date by the kernel.

Several steps list the output folder: the record of the last build and the
check that nothing touched it since, the search index, the leak check. Each
walk of 15,000 files costs a tenth of a second, five times per preview at
2,000 articles. A process that stays (`transfo_perf.resident`) can instead
`watch` the folder: Linux's inotify reports every name created, written,
changed, moved or deleted below it, and `files` then looks again only at
those names. The answer is the walk's answer, only cheaper: a folder that
appears is watched before it is listed, so nothing created in it can be
missed; an event queue that overflowed, or a folder that can no longer be
watched, means a full walk.

The walk's rules: folders are entered, symbolic links to folders are not;
a file (or any other name) is given with the `stat` of what it points to,
and left out when that cannot be read (a broken link).

What events cannot tell, and how a watch still answers as the walk would:
- A symbolic link's target may change anywhere: links are looked at again
  at every call.
- A file with several names in the folder (hard links) is written through
  one of them: the others are looked at again with it. A name that came and
  went between two calls may have been such a name: everything is listed
  again.
- A file that also has a name the watch does not see (outside the folder,
  or in a folder made and not yet listed) and is written through that
  name: no event says so. The output has such files, the images linked
  from their cache, which is never written in place (`transfo_images`: a
  new file is renamed over the old). That is the one case where a watch's
  sizes and times could lag behind a walk; the change time and link count
  of a file linked or unlinked there can lag too, its bytes unchanged.
  Builds in a new process (`invoke build`, `invoke publish`) always walk.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import itertools
import os
import stat as stat_module
import struct
import threading
from collections.abc import Iterable

_EVENT = struct.Struct("iIII")  # wd, mask, cookie, length of the name that follows
_IN_MODIFY, _IN_ATTRIB = 0x2, 0x4
_IN_MOVED_FROM, _IN_MOVED_TO, _IN_CREATE, _IN_DELETE = 0x40, 0x80, 0x100, 0x200
_IN_DELETE_SELF, _IN_MOVE_SELF = 0x400, 0x800
_IN_Q_OVERFLOW, _IN_IGNORED, _IN_ISDIR = 0x4000, 0x8000, 0x40000000
_IN_ONLYDIR, _IN_DONT_FOLLOW = 0x01000000, 0x02000000
_WATCHED = (_IN_MODIFY | _IN_ATTRIB | _IN_MOVED_FROM | _IN_MOVED_TO | _IN_CREATE
            | _IN_DELETE | _IN_DELETE_SELF | _IN_MOVE_SELF | _IN_ONLYDIR | _IN_DONT_FOLLOW)

Listing = dict[str, os.stat_result]  # relative path ("a/b.html") -> stat


def _special(mode: int) -> bool:
    """A pipe, socket or device: not a file to fingerprint (reading a pipe would wait forever)."""
    return stat_module.S_ISFIFO(mode) or stat_module.S_ISSOCK(mode) or stat_module.S_ISCHR(mode) \
        or stat_module.S_ISBLK(mode)


def walk(root: str, skipped_dirs: Iterable[str] = (), on_folder=None, links: set | None = None) -> Listing:
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


def files(root, skipped_dirs: Iterable[str] = ()) -> Listing:
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


def watch(root) -> bool:
    """Keep the listing of `root` in this process from now on; False when the system cannot."""
    root = os.path.abspath(root)
    with _lock:
        unwatch(root)
        try:
            _watches[root] = Watch(root)
        except OSError:
            return False
        return True


def watching(root) -> bool:
    return os.path.abspath(root) in _watches


def version(root) -> int | None:
    """A number that changes whenever the watched listing of `root` changes (unique across watches;
    None when `root` is not watched): what is computed from a listing can be kept with it."""
    kept = _watches.get(os.path.abspath(root))
    return kept.version if kept is not None else None


def unwatch(root) -> None:
    with _lock:
        kept = _watches.pop(os.path.abspath(root), None)
        if kept is not None:
            kept.close()


_watches: dict[str, Watch] = {}
_versions = itertools.count()
_lock = threading.RLock()


class Watch:
    """A folder's listing, with an inotify instance telling which names to look at again."""

    ROUNDS = 100  # events still coming after this many rounds: someone keeps writing, list it all

    def __init__(self, root: str):
        self.root = root
        self.fd = _inotify_init()
        self.folders: dict[int, str] = {}  # watch descriptor -> relative folder ("" for the root)
        self.listing: Listing = {}
        self.links: set[str] = set()  # symbolic links, broken ones included
        self.dirs: set[str] = set()  # the folders listed, but the root
        self.version = next(_versions)
        self._outside: dict[frozenset[str], tuple[int, Listing]] = {}
        self.stale: set[str] = set()  # names to look at again
        # Since the last look: files created or moved in; files deleted (None) or moved out (the
        # move's cookie); those of the first that left by the second way, and not to a name here.
        self.arrived: set[str] = set()
        self.departed: dict[str, int | None] = {}
        self.vanished: set[str] = set()
        try:
            self._relist("")
        except OSError:
            self.close()
            raise

    def files(self) -> Listing:
        """The listing as it is now on disk."""
        if "" not in self.folders.values():  # the root was deleted: nothing tells when it is back
            self.stale.add("")
            self._look_again()
        for _round in range(self.ROUNDS):
            if not self._read_events():
                break
            self._look_again()
        else:
            self._drop_below("")
            self._relist("")
        for name in list(self.links):
            known = self.listing.get(name)
            self._restat(name)
            if self.listing.get(name) != known:
                self.version = next(_versions)
        return self.listing

    def outside(self, skipped: frozenset[str]) -> Listing:
        """The listing without the names below a folder named in `skipped`, kept while it holds."""
        kept = self._outside.get(skipped)
        if kept is None or kept[0] != self.version:
            kept = self._outside[skipped] = (self.version, _outside(self.listing, skipped))
        return kept[1]

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def _read_events(self) -> bool:
        """Note the names every pending event points at; False when there were none."""
        chunks = []
        while True:
            try:
                chunks.append(os.read(self.fd, 1 << 16))
            except BlockingIOError:
                break
        data = b"".join(chunks)
        moved_in = {0}  # cookies of the moves to a name here (0: a creation)
        offset = 0
        while offset < len(data):
            wd, mask, cookie, length = _EVENT.unpack_from(data, offset)
            offset += _EVENT.size
            name = os.fsdecode(data[offset:offset + length].rstrip(b"\0"))
            offset += length
            if mask & _IN_Q_OVERFLOW:
                self.stale.add("")  # events were lost: look at everything again
                continue
            folder = self.folders.get(wd)
            if mask & _IN_IGNORED:
                self.folders.pop(wd, None)
            if folder is None:
                continue
            if not name:  # about the watched folder itself: its parent's event names it
                if folder == "" and mask & (_IN_DELETE_SELF | _IN_MOVE_SELF):
                    self.stale.add("")
                continue
            path = f"{folder}/{name}" if folder else name
            self.stale.add(path)
            if mask & _IN_ISDIR:
                continue
            if mask & (_IN_CREATE | _IN_MOVED_TO):
                self.arrived.add(path)
                moved_in.add(cookie)
            elif mask & (_IN_DELETE | _IN_MOVED_FROM):
                self.departed[path] = cookie if mask & _IN_MOVED_FROM else None
        self.vanished.update(path for path in self.arrived if self.departed.get(path, 0) not in moved_in)
        return bool(data)

    def _look_again(self) -> None:
        """Bring the listing of every stale name up to date, folders above first."""
        self.version = next(_versions)
        relisted: list[str] = []
        looked: Listing = {}  # what this look found
        before: list[os.stat_result] = []  # what the listing held for the names looked at
        for name in sorted(self.stale, key=len):
            if any(folder == "" or name == folder or name.startswith(folder + "/") for folder in relisted):
                continue
            try:
                found = os.lstat(os.path.join(self.root, name) if name else self.root)
            except OSError:
                found = None
            if found is None and name in self.vanished:
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
        self.departed.clear()
        self.vanished.clear()
        # A file with several names here, changed, linked or unlinked through one: the others
        # changed too (the same bytes, times; another count of links).
        shared = {(f.st_dev, f.st_ino) for f in (*before, *looked.values()) if f.st_nlink > 1}
        if shared:
            for name in [n for n, f in self.listing.items() if (f.st_dev, f.st_ino) in shared and n not in looked]:
                self._restat(name)

    def _relist(self, folder: str) -> Listing:
        """List `folder` (dropped first) again, watching it and each folder in it before it is
        listed; what was found."""
        self.version = next(_versions)
        prefix = folder + "/" if folder else ""
        path = os.path.join(self.root, folder) if folder else self.root
        links: set[str] = set()
        found = walk(path, on_folder=lambda path_, relative: self._watch_folder(path_, prefix + relative),
                     links=links)
        found = {prefix + name: value for name, value in found.items()}
        self.listing.update(found)
        self.links.update(prefix + name for name in links)
        return found

    def _watch_folder(self, path: str, relative: str) -> None:
        wd = _libc().inotify_add_watch(self.fd, os.fsencode(path), ctypes.c_uint32(_WATCHED))
        if wd < 0:
            error = ctypes.get_errno()
            if error in (errno.ENOENT, errno.ENOTDIR):  # gone already: its parent's event says so
                return
            raise OSError(error, f"inotify: {os.strerror(error)}", path)
        self.folders[wd] = relative = relative.rstrip("/")
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


@functools.cache
def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _inotify_init() -> int:
    if not hasattr(_libc(), "inotify_init1"):
        raise OSError("inotify is not available on this system")
    fd = _libc().inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
    if fd < 0:
        error = ctypes.get_errno()
        raise OSError(error, f"inotify: {os.strerror(error)}")
    return fd
