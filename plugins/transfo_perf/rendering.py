"""Pages queued while generators run, then rendered on every core, and only where needed.

Pelican renders each page the moment a generator asks for it, on one core.
`QueueingWriter` does Pelican's part of `write_file` at that moment (the
output name, pagination, the refusal of double writes) but keeps the rendering
for later. Once every generator has queued its pages, `render_queue` renders
them: all, or only those `affected` says may have changed, split between forked
processes that share the build's memory and write their own pages. Only then,
in the build's own process, does each queued page's `content_written` go out:
Pelican's contract is that the file exists with its final bytes when it does.
The other files a page puts in the output as it renders (the images it shows)
are noted there too (`transfo_common.written`), wherever the page rendered.
"""

from __future__ import annotations

import io
import os
import sys
from dataclasses import dataclass
from typing import IO, Any

import jinja2
from pelican import signals
from pelican.contents import Content
from transfo_common import reads as content_reads
from transfo_common import written
from transfo_common.capture import Captures
from transfo_common.files import write_atomically
from transfo_common.forking import in_processes
from transfo_common.output import template_failure
from transfo_common.pelican_compat import object_reads_noted, urls_kept

from .affected import FIELDS_OF, UNKNOWN_BODY, BodyReads
from .writer import ChangedOnlyWriter, write_if_different

MIN_PAGES_PER_PROCESS = 50  # below this, a forked process costs more than it saves


@dataclass
class RenderJob:
    name: str  # the page's path in the output folder
    path: str  # where to write it (os.devnull: Pelican keeps an earlier override)
    written_as: str  # the page's full path, as Pelican's writer names it in content_written
    template: jinja2.Template
    shared: dict  # the shared context as it was when the page was queued (one copy for many pages)
    own: dict  # what the page's context adds to it or changes
    context: dict  # the context shared by content objects (relative URLs)
    generator: int | None = None  # index of the generator that queued it (when traced: affected.BuildReads)
    asked_with: frozenset[str] = frozenset()  # bodies that generator had read before queueing it

    @property
    def localcontext(self) -> dict:
        """The page's context, as Pelican's writer made it."""
        return {**self.shared, **self.own}


_ABSENT = object()


class _SharedContexts:
    """One copy of the shared context per state it was in while pages were queued.

    Pelican gives each page a copy of the whole context (about 150 entries);
    kept for every queued page, the copies took 23 MB at 2,000 articles. A
    queued page keeps instead the copy made for the context's current state
    (made again only when an entry was added or replaced) and its own entries.
    """

    def __init__(self) -> None:
        self._state: tuple[int, tuple[str, ...], tuple[int, ...]] | None = None
        self._copy: dict = {}

    def split(self, context: dict, localcontext: dict) -> tuple[dict, dict]:
        state = (id(context), tuple(context), tuple(map(id, context.values())))
        if state != self._state:
            self._state, self._copy = state, dict(context)
        shared = self._copy
        if not shared.keys() <= localcontext.keys():  # not a copy of this context plus entries
            return {}, localcontext
        return shared, {k: v for k, v in localcontext.items() if shared.get(k, _ABSENT) is not v}


class _Queued:
    """Stands for a template: rendering it queues the page instead."""

    def __init__(self, writer: QueueingWriter, template: jinja2.Template, context: dict) -> None:
        self._writer, self._template, self._context = writer, template, context

    def render(self, localcontext: dict) -> str:
        self._writer._rendering = (self._template, localcontext, self._context)
        return ""


class _Discard(io.StringIO):
    """A text stream that keeps nothing written to it."""

    def write(self, _text: str) -> int:
        return 0


class QueueingWriter(ChangedOnlyWriter):
    def __init__(self, output_path: str, settings: dict | None = None) -> None:
        super().__init__(output_path, settings)
        self.queue: list[RenderJob] = []
        self.queueing = True
        self._rendering: tuple[jinja2.Template, dict, dict] | None = None  # the page being queued
        self._contexts = _SharedContexts()
        self.asker: tuple[int, set[str]] | None = None  # generator asking now, and the bodies it read so far

    def write_file(self, name: str, template: jinja2.Template, context: dict, *args: Any, **kwargs: Any) -> None:
        if not self.queueing:
            return super().write_file(name, template, context, *args, **kwargs)
        # Pelican announces each page once it is written: a queued one is not yet (`announce_written`).
        with signals.content_written.muted():
            return super().write_file(name, _Queued(self, template, context), context, *args, **kwargs)

    def open_output(self, filename: str, target: str, encoding: str) -> IO[str]:
        if self._rendering is None:  # a feed, or a page once the queue is rendered
            return super().open_output(filename, target, encoding)
        template, localcontext, context = self._rendering
        self._rendering = None
        shared, own = self._contexts.split(context, localcontext)
        generator, read = self.asker or (None, ())
        self.queue.append(RenderJob(localcontext["output_file"], target, filename, template, shared, own,
                                    context, generator, frozenset(read)))
        return _Discard()

    def take_queue(self) -> list[RenderJob]:
        """The queued pages; pages asked for from now on are rendered at once."""
        self.queueing = False
        queue, self.queue = self.queue, []
        return queue


def announce_written(jobs: list[RenderJob]) -> None:
    """Pelican's `content_written` for each queued page, now that its file holds its final bytes
    (rendered by this build, or kept because its bytes could not have changed)."""
    for job in jobs:
        signals.content_written.send(job.written_as, context=job.localcontext)


@dataclass(frozen=True)
class Rendered:
    """What rendering pages found out."""

    # page name -> the source files of the objects whose body it read, those of the objects whose
    # fields it read (after `affected.FIELDS_OF`), and the content files it read itself
    # (`transfo_common.reads`: the images it shows)
    reads: dict[str, list[str]]
    files: dict[str, tuple[str, ...]]  # page name -> the other files it put in the output (absolute paths)


def render_job(job: RenderJob, reads: BodyReads, changed_only: bool) -> set[str]:
    """Render and write one page; the bodies it read."""
    read: set[str] = set()
    localcontext = job.localcontext
    if localcontext.get("localsiteurl"):
        job.context["localsiteurl"] = localcontext["localsiteurl"]  # as Pelican's writer does
    with reads.page(read):
        try:
            data = job.template.render(localcontext).encode("utf-8")
        except jinja2.TemplateError as error:  # said here, where the traceback still points at the template
            raise template_failure(error, job.name) from None
    if changed_only:
        write_if_different(job.path, data)
    else:
        write_atomically(job.path, data)
    return read


_objects_read = Captures()  # the content objects the page being rendered read (`render_all`)


def _note_object(obj: Content) -> None:
    """Called at every attribute read of a content object while pages render: kept minimal."""
    path = object.__getattribute__(obj, "__dict__").get("source_path")
    _objects_read.add(FIELDS_OF + str(path) if path else UNKNOWN_BODY)


def render_all(jobs: list[RenderJob], workers: int, changed_only: bool) -> Rendered:
    """Render `jobs` on up to `workers` processes; the files each page wrote besides itself are
    noted in this process."""
    reads = BodyReads()

    def work(share: list[RenderJob]) -> dict[str, tuple[list[str], tuple[str, ...]]]:
        found = {}
        for job in share:
            with (written.captured() as files, content_reads.captured() as content_files,
                  _objects_read.collecting() as objects):
                read = render_job(job, reads, changed_only)
            # Interned, each file's name crosses back once per process, not once per page showing it.
            found[job.name] = (sorted(read | objects | set(map(sys.intern, content_files))),
                               tuple(sorted(map(sys.intern, files))))
        return found

    jobs = [job for job in jobs if job.path != os.devnull]  # Pelican keeps an earlier override

    workers = max(1, min(workers, len(jobs) // MIN_PAGES_PER_PROCESS))
    rendered = Rendered({}, {})
    with reads.recording(), urls_kept(), object_reads_noted(_note_object):
        for found in in_processes(jobs, workers, work):
            for name, (read, files) in found.items():
                rendered.reads[name] = read
                rendered.files[name] = tuple(map(sys.intern, files))
    for path in {path for files in rendered.files.values() for path in files}:
        written.note(path)
    return rendered


def relative_files(output: str, files: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Each page's files (`Rendered.files`) as names in `output` (how the record keeps them)."""
    return {page: tuple(name for name in (written.relative_name(output, path) for path in paths) if name)
            for page, paths in files.items()}


def note_files(output: str, files: dict[str, tuple[str, ...]]) -> None:
    """Note as this build's the files (`relative_files`) of pages not rendered again: they are
    still in the output, and still shown."""
    for name in {name for names in files.values() for name in names}:
        written.note(os.path.join(output, name))


def files_record(files: dict[str, tuple[str, ...]]) -> dict:
    """The record's form of each page's files: every file once, and each page's by index."""
    names = sorted({name for names in files.values() for name in names})
    index = {name: number for number, name in enumerate(names)}
    return {"files": names, "page_files": {page: [index[name] for name in own] for page, own in files.items()}}


def files_from_record(record: dict) -> dict[str, tuple[str, ...]] | None:
    """`files_record` read back; None when the record has none (an older one) or is damaged."""
    names, pages = record.get("files"), record.get("page_files")
    if not isinstance(names, list) or not isinstance(pages, dict):
        return None
    try:
        return {page: tuple(sys.intern(names[number]) for number in own) for page, own in pages.items()}
    except (IndexError, TypeError):
        return None
