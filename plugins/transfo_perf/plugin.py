"""Pelican signal handlers: the speed-ups, each behind its TRANSFO_PERF_* setting."""

from __future__ import annotations

import hashlib
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from pelican import Pelican, signals
from pelican.generators import Generator
from pelican.readers import MarkdownReader, Readers
from pelican.writers import Writer
from transfo_common import background, files, reads
from transfo_common.config import NOW_SETTING
from transfo_common.pelican_compat import skip_run

from . import affected, incremental, membership, quick, rendering, resident
from .fingerprint import canonical
from .reading import MARKDOWN_SUFFIXES, Preparser, object_store
from .rendering import QueueingWriter, announce_written, render_all
from .settings import read_settings
from .templates import EnvironmentAwareBytecodeCache
from .writer import ChangedOnlyWriter

logger = logging.getLogger(__name__)
STATE_KEY = "_TRANSFO_PERF_STATE"  # this build's state, in its settings (never between builds)
LOADED_AT = time.time()  # when this process imported the plugins (a constant)


@dataclass
class BuildState:
    preparser: Preparser | None
    record: Path | None = None  # where the last build's fingerprints are kept
    inputs: str | None = None  # every input of this build
    site_inputs: str | None = None  # every input but the four below (`incremental.Fingerprints`)
    markdown: dict = field(default_factory=dict)  # {path: digest} of the Markdown files
    templates: str | None = None  # the template folders (each page's view has its templates' sources)
    statics: str | None = None  # the theme's static files (copied as they are, read by no page)
    noted: dict = field(default_factory=dict)  # {path: digest} of the content files pages read themselves
    previous: dict = field(default_factory=dict)  # the last build's record, when its output is intact
    rendered: dict = field(default_factory=dict)  # site key, bodies, pages' body reads of this build
    plan: incremental.InputsPlan | None = None  # how `inputs` was fingerprinted
    trace: affected.BuildReads = field(default_factory=affected.BuildReads)  # bodies read outside pages


def _pinned_now(settings: dict) -> str | None:
    """The build date as text when it is pinned; None with the real clock."""
    if not NOW_SETTING.value(settings):
        return None
    from transfo_publication.api import build_now

    return build_now(settings).isoformat()


def start_build(pelican: Pelican) -> None:
    settings = pelican.settings
    cfg = read_settings(settings)
    preparser = None
    if cfg.parallel_read or cfg.parse_cache:
        preparser = Preparser(settings, cfg.workers if cfg.parallel_read else 1,
                              cfg.cache_path if cfg.parse_cache else None)
    state = BuildState(preparser)
    if cfg.skip_unchanged or cfg.render_affected_only:
        output = Path(settings["OUTPUT_PATH"])
        record = incremental.record_path(cfg.cache_path, output)
        now = _pinned_now(settings)
        # With the real clock, scheduled articles may be due; a long-running process
        # (regenerate, livereload) may hold older plugin code: no record either way.
        if now is not None and not incremental.code_changed_since(LOADED_AT, settings.get("PLUGIN_PATHS", [])):
            stored = incremental.load(record)
            intact = bool(stored) and stored.get("outputs") == incremental.outputs_fingerprint(output)
            plan = incremental.InputsPlan.of(settings, now, MARKDOWN_SUFFIXES, reads.noted_suffixes())
            fingerprints = incremental.inputs_fingerprints(plan)
            inputs = incremental.combined(plan, *fingerprints)
            if (cfg.skip_unchanged and intact and stored.get("inputs") == inputs
                    and resident.recording() is None):  # a resident build needs the site in memory
                _point_launch_at(settings, plan, record)
                skip_run(pelican, _nothing_to_do)
                return
            state.record, state.inputs, state.plan = record, inputs, plan
            state.site_inputs, state.markdown = fingerprints.site, fingerprints.markdown
            state.templates, state.statics = fingerprints.templates, fingerprints.statics
            state.noted = fingerprints.noted
            if cfg.render_affected_only and intact:
                state.previous = stored
        incremental.forget(record)  # a build that fails half-way must not look complete
    settings[STATE_KEY] = state
    state.trace.start()


def _point_launch_at(settings: dict, plan: incremental.InputsPlan, record: Path) -> None:
    """Let the launcher that started this build find its record without Pelican next time (`quick`)."""
    launch = settings.get(quick.LAUNCH_SETTING)
    if launch and read_settings(settings).skip_unchanged:
        quick.remember(launch, plan, record, Path(settings["OUTPUT_PATH"]))


def _nothing_to_do() -> None:
    logger.info(quick.UP_TO_DATE)


def use_preparsed_markdown(readers: Readers) -> None:
    state = readers.settings.get(STATE_KEY)
    if state is None or state.preparser is None:
        return
    for ext, cls in list(readers.reader_classes.items()):
        # Pelican's Markdown reader or a plugin's subclass of it (connect this
        # plugin after the plugins that swap readers: it wraps what they set).
        if isinstance(cls, type) and issubclass(cls, MarkdownReader):
            wrapped = state.preparser.wrap(cls)
            if wrapped is not None:
                readers.reader_classes[ext] = wrapped


def cache_compiled_templates(generator: Generator) -> None:
    cfg = read_settings(generator.settings)
    env = getattr(generator, "env", None)
    if cfg.template_cache and env is not None and env.bytecode_cache is None:
        folder = cfg.cache_path / "templates"
        folder.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = EnvironmentAwareBytecodeCache(str(folder))


def choose_writer(pelican: Pelican) -> type[Writer] | None:
    cfg = read_settings(pelican.settings)
    if cfg.parallel_render or cfg.render_affected_only:
        return QueueingWriter
    if cfg.write_changed_only:
        return ChangedOnlyWriter
    return None


class RenderGenerator(Generator):
    """Renders the pages the generators before it queued (transfo_perf.rendering).

    Generators run in PLUGINS order and this one comes after every plugin that
    writes pages (only transfo_sitemap, which reads what they wrote, follows).
    """

    def generate_output(self, writer: Writer) -> None:
        if isinstance(writer, QueueingWriter):
            render_queued_pages(writer, self.context, self.settings)


def render_queued_pages(writer: QueueingWriter, context: dict, settings: dict) -> None:
    cfg = read_settings(settings)
    state = settings.get(STATE_KEY) or BuildState(None)
    jobs = writer.take_queue()
    todo, reason = jobs, ""
    previous_pages = previous_files = None
    views: dict[str, str] = {}
    if state.site_inputs is not None:
        objects = affected.content_objects(context)
        read = {os.path.realpath(obj.source_path) for obj in objects}
        # Markdown files no content object came from (a plugin read them itself) count as inputs.
        others = {path: digest for path, digest in state.markdown.items() if os.path.realpath(path) not in read}
        site = hashlib.sha256((state.site_inputs + canonical(others)).encode()).hexdigest()
        bodies, states = affected.body_hashes(objects), affected.object_states(objects)
        views = affected.page_views(jobs, settings, object_store(cfg.cache_path) if cfg.template_cache else None)
        # The files each page put in the output besides itself (images): a page not rendered again
        # still shows them (transfo_output removes what no build lists). An older record lacks them.
        previous_files = rendering.files_from_record(state.previous)
        # An older record lacks the digests of objects or of the files pages read: all pages.
        if (state.previous.get("site") == site and previous_files is not None
                and {"noted", "states"} <= state.previous.keys()):
            previous_pages = state.previous.get("pages", {})
            changed = affected.changed_digests(state.previous.get("bodies", {}), bodies)
            noted = affected.changed_digests(state.previous["noted"], state.noted)
            altered = affected.changed_digests(state.previous["states"], states)
            altered |= affected.naming(objects, altered)
            viewed = affected.changed_views(state.previous.get("views", {}), views)
            # Bodies read early may show on any page; fields read early show through the context.
            affected_pages = affected.pages_to_render(jobs, previous_pages, changed, state.trace.early, viewed)
            if affected_pages is None:
                early = os.path.relpath(min(changed & state.trace.early))
                previous_pages, reason = None, f" (texte de {early} lu avant le rendu des pages)"
            else:
                fields = {affected.FIELDS_OF + path for path in altered}
                todo = affected.pages_to_render(jobs, previous_pages, changed | noted | fields, set(), viewed) or []
                reason = (f" (texte modifié dans {len(changed)} fichier(s), champs dans {len(altered)}, "
                          f"{len(noted)} image(s) modifiée(s), contexte modifié pour {len(viewed)} page(s), "
                          "rien d'autre)")
    started = time.perf_counter()
    workers = cfg.workers if cfg.parallel_render else 1
    rendered = render_all(todo, workers, cfg.write_changed_only)
    announce_written(jobs)
    logger.info("Pages : %d rendue(s) sur %d en %.1f s%s", len(todo), len(jobs),
                time.perf_counter() - started, reason)
    pages, files = rendered.reads, rendering.relative_files(writer.output_path, rendered.files)
    if todo is not jobs and previous_pages is not None and previous_files is not None:
        # The others are as the last build left them, showing the files they showed then.
        kept = {job.name for job in jobs} - pages.keys()
        kept_files = {name: previous_files.get(name, ()) for name in kept}
        rendering.note_files(writer.output_path, kept_files)
        pages = {**{name: previous_pages[name] for name in kept if name in previous_pages}, **pages}
        files = {**kept_files, **files}
    if state.site_inputs is not None:
        state.rendered = {"site": site, "bodies": bodies, "states": states, "noted": state.noted, "pages": pages,
                          "views": views, **rendering.files_record(files)}
    resident.remember_pages(jobs, pages, files, views, len(todo))


def get_generators(_pelican: Pelican) -> type[Generator]:
    return RenderGenerator


def follow_outputs(generators: list[Generator]) -> None:
    state = generators[0].settings.get(STATE_KEY) if generators else None
    if state is not None:
        state.trace.follow_outputs(generators, skip=RenderGenerator)
        resident.remember_generators(generators)


def end_build(pelican: Pelican) -> None:
    background.wait()  # the record describes the finished output, search index included
    state = pelican.settings.pop(STATE_KEY, None)
    if state is None:
        return
    state.trace.stop()
    if state.preparser is not None:
        state.preparser.save()
    if state.record is not None:
        incremental.remember(state.record, {"inputs": state.inputs, **state.rendered},
                             Path(pelican.settings["OUTPUT_PATH"]))
        _point_launch_at(pelican.settings, state.plan, state.record)
    resident.remember_build(pelican, state)
    files.prune_orphans(read_settings(pelican.settings).cache_path)  # records of folders gone since


def register() -> None:
    signals.initialized.connect(start_build)
    signals.readers_init.connect(use_preparsed_markdown)
    signals.generator_init.connect(cache_compiled_templates)
    signals.get_writer.connect(choose_writer)
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(end_build)
    signals.generator_init.connect(resident.note_reader)
    signals.content_object_init.connect(resident.note_read_state)
    signals.all_generators_finalized.connect(follow_outputs)
    signals.article_generator_finalized.connect(membership.use_identity_members)
