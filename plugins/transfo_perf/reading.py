"""Markdown parsed up front, on every core, and kept on disk between builds.

Pelican reads content files one by one on one core, and Markdown parsing is
the larger half of a build. Before the first file is read, `Preparser`
parses every Markdown file below the content folder, here and in forked
processes (they share the build's settings and plugins), with the very
reader class the build uses (Pelican's, or a plugin's subclass
such as transfo_images' picture reader), and the reader hands Pelican those
results instead of parsing again.

Results are kept in the content-addressed store (`transfo_common.files.ContentStore`,
shared by every build, preview and publish), under the sha256 of:
- the setup: every setting, the Python, Pelican and Markdown versions, the
  source of the reader's and extensions' modules and of every plugin file;
- the file: its path and bytes;
- what the file points to: every local file its text names (images in the
  body or the header, linked files), by content, or "absent".
A change to any of them misses the cache: a result is never reused stale.
The content of the files texts name is known from a memo kept between builds
(`KeptStatMemo`) while each file is as it was when hashed: at 2,000 articles with
600 phone photos (1.5 GB), hashing them again cost every build, a one-line edit's
included, ~0.4 s of processor and ~0.3 s (medians of eight side by side).

Warnings a forked process logs are replayed in the main process when
Pelican reads that file, so `--fatal warnings` behaves as in a sequential
build.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import logging
import os
import pickle
import re
import sys
from pathlib import Path
from typing import Literal

from pelican.readers import MarkdownReader
from pelican.urlwrappers import URLWrapper
from transfo_common import tree
from transfo_common.files import SKIPPED_DIRS, ContentStore, KeptStatMemo, sha256_of_file, tree_fingerprint
from transfo_common.forking import in_processes

from .fingerprint import canonical, settings_fingerprint

logger = logging.getLogger(__name__)

MARKDOWN_SUFFIXES = tuple("." + ext for ext in MarkdownReader.file_extensions)
_WRAPPER = "__transfo_perf_urlwrapper__"
# Anything in a text that may name a local file: markdown targets, header values, src=.
_REFERENCE = re.compile(r"""[\w./{}%-]+\.[A-Za-z0-9]{2,5}\b""")

LoggedWarning = tuple[str, int, str]  # logger name, level, message
Parsed = tuple[str, dict[str, object], list[LoggedWarning]]  # body, packed metadata, warnings logged
ParseResult = tuple[Literal["ok"], Parsed] | tuple[Literal["error"], Exception]


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[LoggedWarning] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def _pack(value: object) -> object:
    """Metadata without its URL wrappers' settings (rebuilt in the main process)."""
    if isinstance(value, URLWrapper):
        return (_WRAPPER, type(value), value.name)
    if isinstance(value, list):
        return [_pack(item) for item in value]
    return value


def _unpack(value: object, settings: dict) -> object:
    if isinstance(value, tuple) and len(value) == 3 and value[0] == _WRAPPER:
        return value[1](value[2], settings)
    if isinstance(value, list):
        return [_unpack(item, settings) for item in value]
    return value


def dropped_field_marker(reader: MarkdownReader) -> object:
    """What Pelican's metadata processors return for "drop this field" (an empty `Slug:` or
    `Tags:` line gives it); Pelican removes such fields once the reader returns.

    The marker is one object compared by identity: a copy sent from a forked process or
    kept in the disk cache is another object, which Pelican would keep as the field's value
    (the traceback of an empty `Tags:` line). Results that leave this process therefore drop
    those fields first, exactly as Pelican would (`_read`). Asked of the reader through its
    public `process_metadata`, so no private name of Pelican is imported.
    """
    return reader.process_metadata("slug", "")


def _read(reader: MarkdownReader, path: str, collector: _Collector) -> ParseResult:
    collector.records = []
    try:
        content, metadata = reader.read(path)
        dropped = dropped_field_marker(reader)
        packed = {key: _pack(value) for key, value in metadata.items() if value is not dropped}
        return ("ok", (content, packed, list(collector.records)))
    except Exception as error:  # re-raised in the main process, when Pelican reads the file
        return ("error", error)


def _module_source(name_or_object: object) -> bytes:
    try:
        module = (importlib.import_module(name_or_object) if isinstance(name_or_object, str)
                  else inspect.getmodule(name_or_object))
        if module is not None and module.__file__ is not None:
            return Path(module.__file__).read_bytes()
    except Exception:
        pass
    return repr(name_or_object).encode()  # unknown source: the name alone (a change of code is then not seen)


def setup_key(settings: dict, reader_cls: type[MarkdownReader]) -> str:
    """Everything a parsed result may depend on besides its own file and what it names."""
    import markdown
    import pelican

    sha = hashlib.sha256()
    sha.update(canonical([sys.version, markdown.__version__, pelican.__version__]).encode())
    sha.update(settings_fingerprint(settings).encode())
    for cls in reader_cls.__mro__:
        sha.update(_module_source(cls))
    config = settings.get("MARKDOWN", {})
    names = list(config.get("extensions", [])) + list(config.get("extension_configs", {}))
    for name in names:
        sha.update(_module_source(name.split(":")[0]) if isinstance(name, str) else _module_source(name))
    # The plugins' code by its bytes whatever the size: a fresh clone (each publish on a forge's
    # runner, docs/publication.md) gives every file a new time, and the share cards' fonts are
    # larger than what file_digests hashes by default: every parsed text was read again.
    for folder in settings.get("PLUGIN_PATHS", []):
        sha.update(tree_fingerprint(Path(folder), hashed_max_bytes=None).encode())
    return sha.hexdigest()


def references_key(text: str, source: Path, content_root: Path, digests: dict[str, bytes] | None = None) -> bytes:
    """The bytes of every existing local file the text may name (or its absence). `digests`
    keeps the hash of each file read, for the next texts of this build that name it."""
    digests = {} if digests is None else digests
    sha = hashlib.sha256()
    for token in sorted(set(_REFERENCE.findall(text))):
        relative = token
        for prefix in ("{static}", "{filename}", "{attach}"):
            relative = relative.replace(prefix, "")
        relative = relative.lstrip("/")
        if not relative:
            continue
        for base in (source.parent, content_root):
            candidate = base / relative
            try:
                if candidate.is_file():
                    name = str(candidate)
                    if name not in digests:
                        digests[name] = hashlib.sha256(candidate.read_bytes()).digest()
                    sha.update(token.encode() + b"\0" + digests[name])
                    break
            except OSError:
                continue
        else:
            sha.update(token.encode() + b"\0absent")
    return sha.digest()


KEPT_UNUSED_S = 30 * 86400  # parsed results nobody used for this long leave the store
STORE_FOLDER = "objects"  # the content-addressed store, in transfo_perf's cache folder
NAMED_MEMO = "named-files.json"  # the sha256 of the files texts may name, in the same folder


def object_store(cache_dir: Path) -> ContentStore:
    """The store of parsed Markdown and of the templates' analyses (`affected.template_reads`)."""
    return ContentStore(cache_dir / STORE_FOLDER)


class Preparser:
    """Parsed Markdown for one build: from the content-addressed store, else from the worker pool."""

    def __init__(self, settings: dict, workers: int, cache_dir: Path | None) -> None:
        self.settings = settings
        self.workers = workers
        self.cache_dir = cache_dir
        self.store = object_store(cache_dir) if cache_dir else None
        self.content_root = Path(settings["PATH"])
        self.reader_cls: type[MarkdownReader] | None = None
        self.results: dict[str, ParseResult] = {}
        self._fresh: dict[str, Parsed] = {}  # key -> result parsed by this build, stored at `save`
        self._setup = ""
        self._prepared = False
        self.hits = self.misses = 0

    def wrap(self, base: type[MarkdownReader]) -> type[MarkdownReader] | None:
        """A subclass of the build's Markdown reader serving pre-parsed results (one class per build)."""
        if self.reader_cls is None:
            self.reader_cls = base
        elif base is not self.reader_cls:
            return None
        preparser = self

        def read(reader: MarkdownReader, source_path: str) -> tuple[str, dict[str, object]]:
            preparser.prepare(base)
            result = preparser.take(source_path)
            return result if result is not None else base.read(reader, source_path)

        # Named like the base: content metadata records the reader by class name.
        return type(base.__name__, (base,), {"read": read, "__module__": base.__module__})

    def prepare(self, reader_cls: type[MarkdownReader]) -> None:
        """Parse every Markdown file with `reader_cls` (the build's reader, `wrap`'s base), once."""
        if self._prepared:
            return
        self._prepared = True
        files = sorted(str(p) for p in self.content_root.rglob("*")
                       if p.suffix in MARKDOWN_SUFFIXES and p.is_file())
        self._setup = setup_key(self.settings, reader_cls) if self.store else ""
        named = self._named_files(self.cache_dir) if self.cache_dir else {}
        for path, key, result in self._key_and_parse(files, reader_cls, named):
            if result is None:  # its key is in the store
                result = self._stored(key)
                if result is None:  # gone or unreadable since: Pelican parses it
                    continue
                self.hits += 1
            else:
                self.misses += 1
                if result[0] == "ok" and key:
                    self._fresh[key] = result[1]
            self.results[path] = result
        logger.debug("transfo_perf: %d Markdown files from the cache, %d parsed now",
                     self.hits, self.misses)

    def _named_files(self, cache_dir: Path) -> dict[str, bytes]:
        """{path: sha256} of every file of the content folder that is no Markdown (what a text
        may name: photos, attachments), as `references_key` names them; hashed again only when
        a file is no longer as it was when hashed."""
        memo = KeptStatMemo(cache_dir / NAMED_MEMO, "sha256")
        digests: dict[str, bytes] = {}
        for name, stat in tree.files(self.content_root, SKIPPED_DIRS).items():
            if name.endswith(MARKDOWN_SUFFIXES):
                continue
            path = str(self.content_root / name)
            try:
                digests[path] = bytes.fromhex(memo.get(path, stat, sha256_of_file))
            except OSError:  # gone, or unreadable: `references_key` finds it so on its own
                continue
        memo.save()
        return digests

    def _key(self, path: str, image_digests: dict[str, bytes]) -> str:
        """The file's cache key: the setup, its path and bytes, what it names (`references_key`)."""
        data = Path(path).read_bytes()
        sha = hashlib.sha256(self._setup.encode())
        sha.update(os.path.relpath(path, self.content_root).encode() + b"\0" + data)
        sha.update(references_key(data.decode("utf-8", "replace"), Path(path), self.content_root,
                                  image_digests))
        return sha.hexdigest()

    def _key_and_parse(self, paths: list[str], reader_cls: type[MarkdownReader], named_files: dict[str, bytes]
                       ) -> list[tuple[str, str, ParseResult | None]]:
        """(path, store key or "", None when the key is in the store, else the parsed result) for
        every file: here and, with several workers, in forked processes at the same time.
        Hashing the files and what they name is a fifth of a first parse; `named_files` holds
        the digests already known of the files they may name (`_named_files`).

        Warnings of a file parsed here go to the build's log at once; those
        of a forked process come back with its results and are logged when
        Pelican reads the file (`take`).
        """
        parent = os.getpid()
        settings, store = self.settings, self.store

        def work(share: list[str]) -> list[tuple[str, str, ParseResult | None]]:
            collector, root = _Collector(), logging.getLogger()
            here = os.getpid() == parent
            if here:
                root.addHandler(collector)
            else:
                root.handlers = [collector]
            reader: MarkdownReader | None = None
            named = dict(named_files)
            done: list[tuple[str, str, ParseResult | None]] = []
            try:
                for path in share:
                    key = self._key(path, named) if store else ""
                    if key and store is not None and store.has(key):
                        done.append((path, key, None))
                        continue
                    reader = reader or reader_cls(settings)
                    done.append((path, key, _read(reader, path, collector)))
            finally:
                if here:
                    root.removeHandler(collector)
            if here:
                for _path, _key, result in done:  # already in the build's log
                    if result is not None and result[0] == "ok":
                        result[1][2].clear()
            return done

        workers = min(self.workers, max(1, len(paths) // 4))
        return [item for share in in_processes(paths, workers, work) for item in share]

    def take(self, path: str) -> tuple[str, dict[str, object]] | None:
        """(content, metadata) for `path`, or None when it was not parsed up front."""
        result = self.results.pop(os.path.abspath(path), None)
        if result is None:
            return None
        if result[0] == "error":
            raise result[1]
        content, packed, warnings = result[1]
        for name, level, message in warnings:
            logging.getLogger(name).log(level, message)
        return content, {key: _unpack(value, self.settings) for key, value in packed.items()}

    def _stored(self, key: str) -> ParseResult | None:
        data = self.store.get(key) if self.store is not None else None
        try:
            return ("ok", pickle.loads(data)) if data is not None else None
        except Exception:  # a damaged blob is only a miss
            return None

    def save(self) -> None:
        """Store what this build parsed (a build that fails stores nothing), and drop what no
        build used for a month."""
        if self.store is None or not self._prepared:
            return
        for key, result in self._fresh.items():
            self.store.put(key, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
        self._fresh.clear()
        self.store.prune(KEPT_UNUSED_S)
