"""Builds in a process that stays (previews: `invoke livereload`, `invoke regenerate`).

A build in a new process reloads every article and rebuilds every context
before it can tell which pages changed: seconds at 2,000 articles, for one
corrected sentence. A process that stays still holds the last build's
generators, contexts and queued pages (`Memory`, filled by the plugin's
handlers while a full build runs). When the only change since is in the
bodies of content files (articles, pages, events, offers), `ResidentSite`
swaps the new bodies into the objects already built and produces again only
what read them: the pages whose rendering read them, the pages and files of
generators that read them while asking for pages (a feed, an offer's
structured data), then the `finalized` receivers (search index, leak check).

Pagefind rebuilds its index whole (seconds at 2,000 articles, for one page): a
refresh returns once the pages are written, the edit is then visible, and the
`finalized` receivers finish behind it, in a thread that holds the output
(`hold`) until they are done. The next `build()` waits for them first
(`settle`); when they failed, the error is logged and the next build is a full
one, which reports it again.

It does so only when that gives what a full build would give:
- settings, theme, code, every other file and the output folder are as
  the last build left them (the launch key and the fingerprints of `quick`);
- each changed file was read into one content object by that build, and
  reads back the same way with the same header bytes (checks across files
  read the header only), the same state (`affected.object_state`: every field,
  and all that plugins set while it was read) and links to the same files
  (Pelican copies the files that bodies link to);
- no step before the generators' output read its body, except for values
  declared in `transfo_common.derived`, computed again from the new body and
  unchanged.
When a file read into one content object changed in another way (a header
field, a link to an image), a refresh shows its page first: the object takes
the fields read again (`take_fields`), its page is rendered again (well under
a second), and the full build of the rest (lists, feeds, related articles, the
search index) runs behind, in the same thread as a refresh's last steps, rendering
again only the pages that read the edited object (`_full_behind`);
`on_settled` hears when it is done (the live preview reloads the browser
then). Until it is, what other plugins derived from the old fields at
generator time (a dossier's order, a related list) shows the old values on
that page; the full build behind puts them right. When the page's address is
made from a changed field (the title of an article without `Slug`), the page
is rendered at its new address and, until the full build is done, the old
address holds a page that sends the browser there (the reload the preview
asks for lands on the old address); the full build then leaves nothing there,
as a build from nothing would (`transfo_output`), or, when it fails, the old
page is put back as it was.

A file added alone shows its page first too, when the one generator that reads it
can give that page alone (`newpage`): it is rendered with the context of a page of
its kind, without what plugins add once every file is read (a dossier's parts,
related articles), and the full build behind puts the rest right, or takes the page
away when that build does not make it (a date to come, an embargo, a content mistake).

A file deleted alone takes its page away first (the browser's reload lands on
the preview's page for a missing address), and the full build behind removes
the rest of what it gave (`transfo_output`: lists, feeds), or puts the page back
when it fails.

When only the theme's templates or static files changed, the pages whose view
changed (each page's view holds the sources of its templates,
`affected.page_views`) are rendered again with the templates as they are now,
Pelican's static generator copies the theme's static files again, and the
`finalized` receivers finish behind, as for edited bodies.

Every changed file is first checked on its own, header and body, as a full
build checks it (`check_paths`): a mistake is reported as a full build reports
it, nothing is shown, and the next build looks at the file again.

Anything else (a setting, code, another theme file), or any other error, is a
full build in this process, which reports content mistakes as usual."""

from __future__ import annotations

import gc
import hashlib
import html
import logging
import os
import posixpath
import time
import urllib.parse
from collections.abc import Callable, Collection, Iterable
from concurrent.futures import Future
from contextlib import AbstractContextManager, ExitStack, nullcontext
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from pelican import Pelican, signals
from pelican.contents import Content
from pelican.generators import Generator, StaticGenerator
from pelican.readers import Readers
from pelican.utils import sanitised_join
from transfo_common import background, derived, tree
from transfo_common.files import write_atomically
from transfo_common.output import TemplateFailure, template_failures_said
from transfo_common.pelican_compat import (
    body_of,
    forget_memoized,
    forget_templates,
    replace_body,
    take_fields,
    wrap_read_file,
)
from transfo_validation.check import check_paths
from transfo_validation.problems import ContentError

from . import affected, incremental, newpage, quick
from .affected import BuildReads
from .reading import object_store
from .rendering import QueueingWriter, RenderJob, announce_written, files_record, relative_files, render_all
from .settings import read_settings

if TYPE_CHECKING:  # plugin imports this module
    from .plugin import BuildState

logger = logging.getLogger(__name__)
_recording: Memory | None = None  # the memory a full build of a ResidentSite fills
# For `pelican.log.init(logs_dedup_min_level=...)` (Pelican's --logs-dedup-min-level) in a process
# that stays: Pelican says a warning once per process, this says it at every build that has it.
EVERY_BUILD_WARNS = logging.DEBUG


@dataclass
class Memory:
    """What a full build leaves for the next refreshes."""
    # source path -> (object read, how to read it again)
    read_by: dict[str, tuple[Content, Callable[[], Content]]] = field(default_factory=dict)
    read_twice: set[str] = field(default_factory=set)  # source paths read into several objects
    read_states: dict[str, str] = field(default_factory=dict)  # source path -> digest of the object as read
    trace: BuildReads | None = None  # bodies read outside page rendering (the build's, then kept up to date)
    generators: list[Generator] = field(default_factory=list)
    derivers: dict[str, Callable[[object], object]] = field(default_factory=dict)
    jobs: list[RenderJob] | None = None  # every queued page (None: this build did not queue pages)
    pages: dict[str, list[str]] | None = None  # page -> bodies it read (a page missing is rendered at every refresh)
    files: dict[str, tuple[str, ...]] = field(default_factory=dict)  # page -> what it wrote besides itself
    views: dict[str, str] = field(default_factory=dict)  # page -> affected.page_views digest
    rendered: int = 0  # pages the build rendered (the others could not have changed)
    site: str | None = None  # the site key of the build (inputs but content), for its record
    bodies: dict[str, str] = field(default_factory=dict)
    plan: incremental.InputsPlan | None = None
    site_inputs: str | None = None
    markdown: dict[str, str] = field(default_factory=dict)
    templates: str | None = None
    statics: str | None = None
    noted: dict[str, str] = field(default_factory=dict)  # content files pages read themselves (images)
    static_files: frozenset[str] = frozenset()  # the theme's static files at the full build (`_theme_static_files`)
    record: Path | None = None
    outputs: str | None = None
    key: str | None = None  # launch key
    pelican: Pelican | None = None


@dataclass
class Kept:
    """A full build that completed, as refreshes read and update it: its `Memory`, and what the
    build was sure to leave there (refreshes keep `jobs` and `pages` here up to date)."""
    memory: Memory
    pelican: Pelican
    trace: BuildReads
    jobs: list[RenderJob]
    pages: dict[str, list[str]]


def recording() -> Memory | None:
    return _recording


def _state_digest(obj: Content) -> str:
    sha = hashlib.sha256(affected.object_state(obj).encode())
    sha.update(b"\0" + _header(obj.source_path))
    return sha.hexdigest()


def _header(path: str) -> bytes:
    """The file's bytes up to its first blank line (its fields)."""
    try:
        data = Path(path).read_bytes().replace(b"\r\n", b"\n")
    except OSError:
        return b""
    return data.split(b"\n\n", 1)[0]


# Handlers (connected by plugin.register); each does nothing outside a resident full build.

def note_reader(generator: Generator) -> None:
    """generator_init: note how the generator reads each file, to read it again the same way."""
    memory = _recording
    readers: Readers | None = getattr(generator, "readers", None)
    if memory is None or readers is None:
        return

    def noting(read_file: Callable[..., Content]) -> Callable[..., Content]:
        def read_and_note(*args: Any, **kwargs: Any) -> Content:
            obj = read_file(*args, **kwargs)
            if _recording is memory and getattr(obj, "source_path", None):
                path = os.path.abspath(obj.source_path)
                if path in memory.read_by:
                    memory.read_twice.add(path)
                memory.read_by[path] = (obj, partial(read_file, *args, **kwargs))
            return obj
        return read_and_note

    wrap_read_file(readers, noting)


def note_read_state(instance: Content) -> None:
    """content_object_init: the object as read, before any generator or plugin pass."""
    if _recording is not None and getattr(instance, "source_path", None):
        _recording.read_states[os.path.abspath(instance.source_path)] = _state_digest(instance)


def remember_generators(generators: Iterable[Generator]) -> None:
    """all_generators_finalized: the generators, and the derived values declared by now."""
    if _recording is not None:
        _recording.generators = list(generators)
        _recording.derivers = derived.derivers()


def remember_pages(jobs: list[RenderJob], pages: dict[str, list[str]], files: dict[str, tuple[str, ...]],
                   views: dict[str, str], rendered: int) -> None:
    """From the page rendering: every queued page, and for each what it read, the files it wrote
    besides itself and its view (`affected.page_views`); how many were rendered."""
    if _recording is not None:
        _recording.jobs, _recording.pages, _recording.files, _recording.views = jobs, pages, files, views
        _recording.rendered = rendered


def remember_build(pelican: Pelican, state: BuildState) -> None:
    """finalized (end_build): the build's fingerprints and record."""
    memory = _recording
    if memory is None:
        return
    memory.pelican, memory.trace = pelican, state.trace
    memory.plan, memory.site_inputs, memory.markdown = state.plan, state.site_inputs, dict(state.markdown)
    memory.static_files = _theme_static_files(state.plan) if state.plan is not None else frozenset()
    memory.templates, memory.statics, memory.noted = state.templates, state.statics, dict(state.noted)
    memory.record = state.record
    memory.site, memory.bodies = state.rendered.get("site"), dict(state.rendered.get("bodies", {}))


@dataclass
class Outcome:
    # "full", "bodies" (only changed bodies produced again), "templates" (only the pages whose
    # templates changed), "statics" (only the theme's static files copied), "page" (see
    # `_page_first`) or "unchanged"
    mode: str
    seconds: float
    changed: list[str] = field(default_factory=list)
    rendered: int = 0
    reason: str = ""
    watched: bool = False  # the output was listed from the kernel's events, not walked (`transfo_common.tree`)
    pages: int = 0  # pages of the site, as the build in memory knows them


class ResidentSite:
    """One site, built again in this process at each `build()`."""

    def __init__(self, settings_file: Path, overrides: dict, pointer_folder: Path,
                 run_pelican: Callable[[dict], object],
                 hold: Callable[[], AbstractContextManager[object]] = nullcontext,
                 on_settled: Callable[[float, int], object] = lambda _seconds, _rendered: None,
                 on_failed: Callable[[str], object] = lambda message: logger.error("%s", message)) -> None:
        """`run_pelican(settings)` runs one full Pelican build (the caller handles its errors);
        `hold()` keeps other builds out of the output while this one writes (an output lock);
        `on_settled(seconds, rendered)` is told, from the thread behind, when the full build behind
        a page shown first is done (the rest of the site changed: reload it), with how many pages
        that build rendered; `on_failed(message)`, when what finishes behind a refresh failed (a
        content mistake the full build behind found, in the lines a full build prints)."""
        self.settings_file, self.overrides = Path(settings_file), overrides
        self.pointer_folder, self.run_pelican, self.hold = Path(pointer_folder), run_pelican, hold
        self.on_settled, self.on_failed = on_settled, on_failed
        self.kept: Kept | None = None
        self._finishing: Future[None] | None = None

    def build(self) -> Outcome:
        """Build, or refresh what changed. A refresh returns once its pages are written; its
        search index and leak check finish behind it (`settle`)."""
        self.settle()
        with ExitStack() as held:
            held.enter_context(self.hold())
            built = self._build()
            outcome = built[0] if isinstance(built, tuple) else built
            # Counted before a build behind starts replacing what is kept.
            outcome.pages = len(self.kept.jobs) if self.kept is not None else 0
            if isinstance(built, tuple):
                self._finishing = _behind(built[1], held.pop_all(), self._forget)
        return outcome

    def settle(self) -> BaseException | None:
        """Wait until the last refresh's `finalized` receivers are done; their error, if any."""
        finishing, self._finishing = self._finishing, None
        return None if finishing is None else finishing.exception()

    def _forget(self, error: BaseException) -> None:
        """A refresh whose last steps failed: its output is not vouched for, the next build is full."""
        self.kept = None
        said = isinstance(error, (ContentError, TemplateFailure))  # already one line for the editor
        self.on_failed(str(error) if said else f"{error.__class__.__name__} : {error}")

    def _build(self) -> Outcome | tuple[Outcome, Callable[[], None]]:
        started = time.perf_counter()
        launch = quick.launch_setting(self.settings_file, self.overrides, self.pointer_folder)
        key = launch.get(quick.LAUNCH_SETTING, {}).get("key")
        reason = "aucune construction réussie en mémoire"
        if self.kept is not None:
            try:
                outcome = self._refresh(self.kept, launch, key, started)
            except ContentError:
                raise  # nothing changed yet: what is kept stays, and the next build looks again
            except Exception as error:
                outcome, reason = None, f"erreur ({error.__class__.__name__} : {str(error)[:200]})"
            if outcome is not None and not isinstance(outcome, str):
                return outcome
            reason = outcome or reason
        self._full(launch, key)
        rendered = self.kept.memory.rendered if self.kept is not None else 0
        return Outcome("full", time.perf_counter() - started, rendered=rendered, reason=reason)

    def _full(self, launch: dict, key: str | None) -> None:
        global _recording
        from pelican.settings import read_settings as pelican_settings

        if self.kept is not None:  # thousands of writes to come: walk them once after
            for folder in _watched_folders(self.kept):
                tree.unwatch(folder)
        self.kept = None
        gc.unfreeze()  # the last build's objects may be garbage now
        memory = Memory(key=key)
        forget_memoized()  # a process that stays must not keep every build's objects alive
        settings = pelican_settings(str(self.settings_file), override={**self.overrides, **launch})
        _recording = memory
        try:
            with template_failures_said():
                self.run_pelican(settings)
        finally:
            _recording = None
            BuildReads.stop_running()  # a failed build leaves its trace running
        if memory.pelican is None or memory.jobs is None or memory.pages is None or memory.trace is None:
            return  # skipped or incomplete: the next build is a full one
        kept = Kept(memory, memory.pelican, memory.trace, memory.jobs, memory.pages)
        # Refreshes then list the output and the inputs from the kernel's events instead of walking
        # them (five walks of the output per refresh at 2,000 articles: half its time). Without
        # inotify, they walk.
        for folder in _watched_folders(kept):
            tree.watch(folder)
        memory.outputs = incremental.outputs_fingerprint(Path(kept.pelican.output_path))
        self.kept = kept
        # Millions of objects that stay until the next full build: out of the collector's sight,
        # or each refresh would pay a full collection over them (0.2 s at 2,000 articles).
        gc.collect()
        gc.freeze()

    def _refresh(self, kept: Kept, launch: dict, key: str | None,
                 started: float) -> Outcome | tuple[Outcome, Callable[[], None]] | str:
        """The refresh when only files read into one object each changed, with what finishes it
        once its pages are written; otherwise why a full build is needed."""
        memory = kept.memory
        if key is None or key != memory.key:
            return "réglages modifiés"
        if memory.plan is None:
            return ("pas d'empreinte des entrées (date de construction non fixée, ou code des plugins "
                    "modifié depuis le lancement : relancez la commande)")
        output = Path(kept.pelican.output_path)
        if incremental.outputs_fingerprint(output) != memory.outputs:
            return "dossier de sortie modifié"
        site_inputs, markdown, templates, statics, noted = incremental.inputs_fingerprints(memory.plan)
        if site_inputs != memory.site_inputs:
            return "thème, code ou fichiers modifiés"
        if noted != memory.noted:
            # The build renders again only the pages that showed them (its record says which).
            return "images du contenu modifiées"
        changed = sorted(p for p in markdown.keys() | memory.markdown.keys()
                         if markdown.get(p) != memory.markdown.get(p))
        if templates != memory.templates or statics != memory.statics:
            if changed:
                return "gabarits ou fichiers statiques du thème modifiés, avec d'autres fichiers"
            if statics != memory.statics and _theme_static_files(memory.plan) != memory.static_files:
                # Only a full build lists what it copies (transfo_output): one added then removed
                # would stay in the output.
                return "fichier statique du thème ajouté ou retiré"
            return self._theme_again(kept, site_inputs, templates, statics, started)
        if not changed:
            return Outcome("unchanged", time.perf_counter() - started, watched=tree.watching(output))
        # What a full build would refuse is not shown: its body check, above all, is no full build's.
        problems = check_paths(kept.pelican.settings, [path for path in changed if path in markdown])
        if problems:
            raise ContentError(problems)
        added = [path for path in changed if path not in memory.markdown]
        if added:
            if len(changed) > 1:
                return f"{os.path.relpath(added[0])} : fichier ajouté, avec d'autres modifications"
            return self._new_first(kept, added[0], launch, key, started)
        removed = [path for path in changed if path not in markdown]
        if removed:
            if len(changed) > 1:
                return f"{os.path.relpath(removed[0])} : fichier supprimé, avec d'autres modifications"
            return self._removed_first(kept, removed[0], launch, key, started)
        pairs: list[tuple[Content, Content]] = []  # (object built, the same file read again)
        refused: list[str] = []  # why a body swap would not give what a full build gives
        for path in changed:
            pair = _read_again(kept, path)
            if isinstance(pair, str):
                return f"{os.path.relpath(path)} : {pair}"
            pairs.append(pair)
            refusal = _refusal(kept, path, *pair)
            if refusal is not None:
                refused.append(f"{os.path.relpath(path)} : {refusal}")
        if refused:
            return self._page_first(kept, pairs, launch, key, started, changed, " ; ".join(refused))
        swaps = [(obj, body) for obj, fresh in pairs if (body := body_of(fresh)) is not None]
        for obj, body in swaps:
            replace_body(obj, body)
        rendered = self._produce(kept, set(changed))
        bodies = affected.body_hashes([obj for obj, _body in swaps])

        def finish() -> None:
            signals.finalized.send(kept.pelican)
            memory.markdown = markdown
            memory.bodies.update(bodies)
            memory.outputs = self._record(kept, site_inputs)

        return (Outcome("bodies", time.perf_counter() - started, changed, rendered, watched=tree.watching(output)),
                finish)

    def _theme_again(self, kept: Kept, site_inputs: str, templates: str, statics: str,
                     started: float) -> tuple[Outcome, Callable[[], None]]:
        """Only the theme's templates or static files changed. The pages whose view changed (it
        holds the sources of the templates each page is rendered with) are rendered again with the
        templates as they are now; Pelican's static generator copies the theme's files again. Nothing
        else a build makes reads either (tests/test_build_reads.py)."""
        memory = kept.memory
        edited = [part for part, now, then in (("gabarits", templates, memory.templates),
                                               ("fichiers statiques du thème", statics, memory.statics))
                  if now != then]
        reason = " et ".join(edited) + " modifiés"
        mode = "templates" if templates != memory.templates else "statics"
        todo = self._templates_again(kept) if mode == "templates" else []
        if statics != memory.statics:
            for generator in memory.generators:
                if isinstance(generator, StaticGenerator):
                    # It copies without a writer (the control in tests/test_build_reads.py calls it so),
                    # and copies the content's changed static files too.
                    generator.generate_output(None)
        logger.info("Aperçu : %d page(s) rendue(s) sur %d (%s)", len(todo), len(kept.jobs), reason)

        def finish() -> None:
            signals.finalized.send(kept.pelican)
            memory.templates, memory.statics = templates, statics
            memory.outputs = self._record(kept, site_inputs)

        output = Path(kept.pelican.output_path)
        return (Outcome(mode, time.perf_counter() - started, [], len(todo), reason, tree.watching(output)),
                finish)

    def _templates_again(self, kept: Kept) -> list[RenderJob]:
        """Render again, with the templates as they are now, the pages whose view changed; those pages."""
        memory, settings = kept.memory, kept.pelican.settings
        for generator in memory.generators:
            forget_templates(generator)
        loaded: dict[tuple[int, str | None], jinja2.Template] = {}

        def now(template: jinja2.Template) -> jinja2.Template:
            key = (id(template.environment), template.name)
            if key not in loaded:
                # A template made from a string (no name) has no file to have changed.
                loaded[key] = template.environment.get_template(template.name or template)
            return loaded[key]

        jobs = [replace(job, template=now(job.template)) for job in kept.jobs]
        cfg = read_settings(settings)
        views = affected.page_views(jobs, settings, object_store(cfg.cache_path) if cfg.template_cache else None)
        todo = affected.pages_to_render(jobs, kept.pages, set(), kept.trace.early,
                                        affected.changed_views(memory.views, views))
        assert todo is not None  # no body changed
        rendered = render_all(todo, cfg.workers if cfg.parallel_render else 1, cfg.write_changed_only)
        kept.jobs = jobs
        kept.pages.update(rendered.reads)
        memory.files.update(relative_files(kept.pelican.output_path, rendered.files))
        memory.views = views
        announce_written(todo)
        return todo

    def _page_first(self, kept: Kept, pairs: list[tuple[Content, Content]], launch: dict, key: str | None,
                    started: float, changed: list[str],
                    reason: str) -> tuple[Outcome, Callable[[], None]] | str:
        """Each changed object takes its fields as read again and the pages rendering it are
        rendered again, at the object's new address when it moved (the old one sends there
        meanwhile); the full build behind does the rest. Why a full build is needed now when
        no page is written at an object's address, a page of the site is at its new one, or
        a moved page's links are relative to its address."""
        output = kept.pelican.output_path
        moves = {obj.save_as: fresh.save_as for obj, fresh in pairs
                 if getattr(fresh, "save_as", None) != getattr(obj, "save_as", None)}
        addresses = {getattr(obj, "save_as", None) for obj, _fresh in pairs}
        todo = [job for job in kept.jobs if job.path != os.devnull and job.name in addresses]
        if not todo:
            return reason
        taken = {job.name for job in kept.jobs}.intersection(moves.values())
        if taken:
            return f"{reason} ; nouvelle adresse déjà celle d'une autre page ({sorted(taken)[0]})"
        if moves and any(job.localcontext.get("localsiteurl") for job in todo):
            return f"{reason} ; adresse modifiée, avec des liens relatifs (RELATIVE_URLS)"
        for obj, fresh in pairs:
            take_fields(obj, fresh)
        todo = [_moved(job, moves[job.name], output) if job.name in moves else job for job in todo]
        cfg = read_settings(kept.pelican.settings)
        render_all(todo, 1, cfg.write_changed_only)
        left = {old: _send_on(output, old, new, _title_at(todo, new)) for old, new in moves.items()}
        if moves:
            reason = f"{reason} ; page à sa nouvelle adresse ({', '.join(sorted(moves.values()))})"
        logger.info("Aperçu : %d page(s) rendue(s) d'abord, le reste du site suit (%s)", len(todo), reason)
        shown = time.perf_counter() - started

        def settle_old_addresses() -> None:
            if self.kept is None:  # the full build failed: the old addresses as the last one left them
                for page in left.values():
                    page.put_back()
            elif left:
                # The full build no longer writes the old addresses (transfo_output removed their
                # pages): nothing is left there, as after a build from nothing.
                written = {job.name for job in self.kept.jobs}
                for old, page in left.items():
                    if old not in written:
                        Path(page.path).unlink(missing_ok=True)
                self.kept.memory.outputs = _vouch_for_output(self.kept)

        finish = self._full_behind(kept, [job.name for job in todo] + list(moves), launch, key, started,
                                   settle_old_addresses)
        return Outcome("page", shown, changed, len(todo), reason, tree.watching(Path(output))), finish

    def _new_first(self, kept: Kept, path: str, launch: dict, key: str | None,
                   started: float) -> tuple[Outcome, Callable[[], None]] | str:
        """The page of a file added since the last build, rendered alone with the context of a page
        of its kind (`newpage`); the full build behind does the rest, and takes the page away if
        it does not make it. Why a full build is needed now when no generator can give that page
        alone, its address is that of another page, or links are relative to addresses."""
        shown_path = os.path.relpath(path)
        found = newpage.page_for(kept.memory.generators, path)
        if isinstance(found, str):
            return f"{shown_path} : {found}"
        index, page = found
        if kept.pelican.settings.get("RELATIVE_URLS"):
            return f"{shown_path} : fichier ajouté, avec des liens relatifs (RELATIVE_URLS)"
        if any(job.name == page.save_as for job in kept.jobs):
            return f"{shown_path} : fichier ajouté, à l'adresse d'une autre page ({page.save_as})"
        own = {**page.own, "output_file": page.save_as}
        like = next((job for job in kept.jobs if job.generator == index and job.own.keys() == own.keys()), None)
        if like is None:
            return f"{shown_path} : fichier ajouté, sans page semblable à imiter"
        output = kept.pelican.output_path
        target = sanitised_join(output, page.save_as)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        before = _LeftPage.of(target)
        _derive_like(page.own, like.own, kept.memory.derivers)
        job = RenderJob(page.save_as, target, target, kept.memory.generators[index].get_template(page.template),
                        like.shared, own, like.context, index)
        render_all([job], 1, read_settings(kept.pelican.settings).write_changed_only)
        reason = f"{shown_path} : fichier ajouté, nouvelle page à /{page.save_as.removesuffix('index.html')}"
        logger.info("Aperçu : %s ; le reste du site suit", reason)
        shown = time.perf_counter() - started

        def settle_new_page() -> None:
            if self.kept is None or all(job.name != page.save_as for job in self.kept.jobs):
                before.put_back()  # the full build did not make that page, or failed
                if self.kept is not None:
                    self.kept.memory.outputs = _vouch_for_output(self.kept)

        finish = self._full_behind(kept, [page.save_as], launch, key, started, settle_new_page)
        return Outcome("page", shown, [path], 1, reason, tree.watching(Path(output))), finish

    def _removed_first(self, kept: Kept, path: str, launch: dict, key: str | None,
                       started: float) -> tuple[Outcome, Callable[[], None]] | str:
        """The page of a file deleted since the last build taken away at once; the full build
        behind does the rest (lists, feeds, the search index), and puts the page back if it
        fails. Why a full build is needed now when the file gave no page of its own."""
        shown_path = os.path.relpath(path)
        if path not in kept.memory.read_by or path in kept.memory.read_twice:
            return f"{shown_path} : fichier supprimé, qui n'était pas un contenu lu une fois"
        address = getattr(kept.memory.read_by[path][0], "save_as", None)
        if not address or not any(job.name == address and job.path != os.devnull for job in kept.jobs):
            return f"{shown_path} : fichier supprimé, sans page à lui"
        before = _LeftPage.of(sanitised_join(kept.pelican.output_path, address))
        Path(before.path).unlink(missing_ok=True)
        reason = f"{shown_path} : fichier supprimé, page retirée de /{address.removesuffix('index.html')}"
        logger.info("Aperçu : %s ; le reste du site suit", reason)
        shown = time.perf_counter() - started

        def settle_removed_page() -> None:
            if self.kept is None:  # the full build failed: the output as the last one left it
                before.put_back()

        finish = self._full_behind(kept, [address], launch, key, started, settle_removed_page)
        return Outcome("page", shown, [path], 0, reason, tree.watching(Path(kept.pelican.output_path))), finish

    def _full_behind(self, kept: Kept, written_outside: Collection[str], launch: dict, key: str | None,
                     started: float, settle: Callable[[], None]) -> Callable[[], None]:
        """What finishes a refresh that showed a page first: the full build, then `settle()`, which
        puts right what the refresh wrote outside the build (`self.kept` is None when the build
        failed), then `on_settled`.

        The disk record first vouches for the output the refresh left: it still holds the objects'
        states before the edit, so the full build renders again every page that read a changed
        object, and only those (else a title corrected would render the whole site behind its
        page); the pages the refresh wrote or removed (`written_outside`) leave the record, so
        that build renders them in any case. A page at an old address that it no longer writes is
        removed (`transfo_output`); `settle()` puts right a page added or removed that it does
        not make or still makes."""
        def finish() -> None:
            kept.memory.outputs = _vouch_for_output(kept, written_outside)
            try:
                self._full(launch, key)
            finally:
                settle()
            rendered = self.kept.memory.rendered if self.kept is not None else 0
            self.on_settled(time.perf_counter() - started, rendered)

        return finish

    def _produce(self, kept: Kept, changed: set[str]) -> int:
        """Render the pages that read a changed body; ask again for the pages of generators that
        read one in their output phase (what they wrote themselves, or passed to their pages, may
        hold it). `finalized` is sent by the caller, once the pages are visible."""
        settings = kept.pelican.settings
        cfg = read_settings(settings)
        trace = kept.trace
        again = {index for index, read in trace.outputs.items() if not changed.isdisjoint(read)}
        writer = QueueingWriter(kept.pelican.output_path, settings)
        with trace.reads.recording():
            for index in sorted(again):
                kept.memory.generators[index].generate_output(writer)
        fresh = writer.take_queue()  # they replace the pages these generators queued before
        kept.jobs = [job for job in kept.jobs if job.generator not in again] + fresh
        todo = affected.pages_to_render(kept.jobs, kept.pages, changed, trace.early)
        if todo is None:
            raise RuntimeError("a body read early changed")  # never: `_swap_for` refused every such body
        workers = cfg.workers if cfg.parallel_render else 1
        rendered = render_all(todo, workers, cfg.write_changed_only)
        kept.pages.update(rendered.reads)
        kept.memory.files.update(relative_files(kept.pelican.output_path, rendered.files))
        kept.memory.views.update(affected.page_views(todo, settings))
        announce_written(fresh)
        logger.info("Aperçu : %d page(s) rendue(s) sur %d (texte modifié dans %d fichier(s))",
                    len(todo), len(kept.jobs), len(changed))
        return len(todo)

    def _record(self, kept: Kept, site_inputs: str) -> str:
        """Keep the disk record true, so a later build in a new process starts from this output.
        First, the watched folders are walked: what the kernel's events said must be what is there."""
        memory, output = kept.memory, Path(kept.pelican.output_path)
        for folder in _watched_folders(kept):
            if not tree.verify(folder):
                logger.warning("Aperçu : des changements dans %s n'ont pas été signalés par le système ; "
                               "dossier relu en entier", folder)
        if (memory.record is None or memory.site is None or memory.plan is None or memory.templates is None
                or memory.statics is None):
            return incremental.outputs_fingerprint(output)
        inputs = incremental.combined(memory.plan, site_inputs, memory.markdown, memory.templates, memory.statics,
                                      memory.noted)
        # The objects as the pages now in the output were rendered from (a refresh changes some).
        states = affected.object_states(affected.content_objects(memory.generators[0].context)
                                        if memory.generators else [])
        return incremental.remember(memory.record, {"inputs": inputs, "site": memory.site,
                                                    "bodies": memory.bodies, "states": states,
                                                    "noted": memory.noted, "pages": kept.pages,
                                                    "views": memory.views, **files_record(memory.files)},
                                    output)


def _behind(finish: Callable[[], None], held: ExitStack,
            failed: Callable[[BaseException], None]) -> Future[None]:
    """Run `finish()` in a thread, then let go of what `held` holds; `failed(error)` on an error."""
    def run() -> None:
        try:
            with held:
                finish()
        except BaseException as error:
            failed(error)
            raise

    return background.in_thread(run, "preview-finish")


def _moved(job: RenderJob, address: str, output: str) -> RenderJob:
    """The job of a page, writing it at `address` instead (its folder made)."""
    path = sanitised_join(output, address)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    return replace(job, name=address, path=path, written_as=path, own={**job.own, "output_file": address})


def _title_at(jobs: list[RenderJob], address: str) -> str:
    """The title of the content object whose page is written at `address`."""
    for job in jobs:
        if job.name == address:
            for value in job.own.values():
                if getattr(value, "save_as", None) == address:
                    return str(getattr(value, "title", address))
    return address


@dataclass(frozen=True)
class _LeftPage:
    """A page's file as it was before the preview wrote over it (None: there was none)."""

    path: str
    data: bytes | None
    times: tuple[int, int] | None

    @classmethod
    def of(cls, path: str) -> _LeftPage:
        try:
            with open(path, "rb") as handle:
                found = os.fstat(handle.fileno())
                return cls(path, handle.read(), (found.st_atime_ns, found.st_mtime_ns))
        except FileNotFoundError:
            return cls(path, None, None)

    def put_back(self) -> None:
        if self.data is None or self.times is None:
            Path(self.path).unlink(missing_ok=True)
            return
        write_atomically(self.path, self.data)
        os.utime(self.path, ns=self.times)


def _send_on(output: str, old: str, new: str, title: str) -> _LeftPage:
    """Write at `old` a page that sends the browser to `new` (both relative to `output`);
    what was there before, to put back."""
    path = sanitised_join(output, old)
    left = _LeftPage.of(path)
    target = posixpath.relpath(posixpath.dirname(new) or ".", posixpath.dirname(old) or ".")
    href = html.escape(urllib.parse.quote(posixpath.join(target, posixpath.basename(new))
                                          .removesuffix("index.html")) or "./")
    shown = html.escape(title)
    write_atomically(path, (f'<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">'
                            f'<meta http-equiv="refresh" content="0; url={href}"><title>{shown}</title></head>'
                            f'<body><a href="{href}">{shown}</a></body></html>\n').encode("utf-8"))
    return left


def _vouch_for_output(kept: Kept, written_outside: Collection[str] = ()) -> str:
    """The output's fingerprint, which the disk record is made to hold too (`incremental.vouch`):
    after the full build behind a page shown first put right what the refresh wrote, or before it,
    with the pages that refresh wrote or removed (`written_outside`)."""
    memory, output = kept.memory, Path(kept.pelican.output_path)
    if memory.record is None:
        return incremental.outputs_fingerprint(output)
    return incremental.vouch(memory.record, output, written_outside)


def _derive_like(own: dict, like: dict, derivers: dict[str, Callable[[object], object]]) -> None:
    """Give the content objects of a new page the derived values (`transfo_common.derived`) that
    the same entries of a page of its kind have: plugins set them once every file is read."""
    with derived.deriving():
        for key, model in like.items():
            obj = own.get(key)
            if isinstance(model, Content) and isinstance(obj, Content):
                for name in derivers.keys() & vars(model).keys():
                    setattr(obj, name, derivers[name](obj))


def _theme_static_files(plan: incremental.InputsPlan) -> frozenset[str]:
    """The files of the theme's static paths, as Pelican's static generator walks them."""
    found: set[str] = set()
    for path in plan.statics:
        found.update([path] if os.path.isfile(path) else (os.path.join(path, name) for name in tree.walk(path)))
    return frozenset(found)


def _watched_folders(kept: Kept) -> list[str]:
    """The output folder and the input folders of the build."""
    plan = kept.memory.plan
    inputs = [folder for folder in plan.folders if os.path.isdir(folder)] if plan else []
    return [kept.pelican.output_path, *inputs]


def _read_again(kept: Kept, path: str) -> tuple[Content, Content] | str:
    """(the object the file was read into, the file read again the same way), or why this
    change needs a full build."""
    memory = kept.memory
    if path not in memory.read_by:
        return "pas un contenu lu par la dernière construction"
    if path in memory.read_twice:
        return "fichier lu deux fois (deux objets)"
    obj, read_again = memory.read_by[path]
    return obj, read_again()


def _refusal(kept: Kept, path: str, obj: Content, fresh: Content) -> str | None:
    """Why swapping the body read again into `obj` would not give what a full build gives;
    None when it would."""
    memory = kept.memory
    if path in kept.trace.early:
        return "texte lu avant le rendu des pages"
    if _state_digest(fresh) != memory.read_states.get(path):
        return "en-tête ou champs modifiés"
    if fresh.get_static_links() != obj.get_static_links():  # Pelican copies the files bodies link to
        return "liens vers des fichiers ({static}, {attach}) modifiés"
    with derived.deriving():
        for name, compute in memory.derivers.items():
            if name in vars(obj) and compute(fresh) != getattr(obj, name):
                return f"valeur tirée du texte modifiée ({name})"
    if body_of(fresh) is None:  # never for a file read as Markdown: Pelican keeps the text it read
        return "texte illisible"
    return None
