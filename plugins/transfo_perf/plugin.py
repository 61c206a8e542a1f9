"""Pelican signal handlers: the speed-ups, each behind its TRANSFO_PERF_* setting."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

from pelican import signals
from pelican.readers import MarkdownReader

from . import incremental
from .reading import Preparser
from .settings import read_settings
from .templates import EnvironmentAwareBytecodeCache
from .writer import ChangedOnlyWriter

logger = logging.getLogger(__name__)
STATE_KEY = "_TRANSFO_PERF_STATE"  # this build's state, in its settings (never between builds)
LOADED_AT = time.time()  # when this process imported the plugins (a constant)


@dataclass
class BuildState:
    preparser: Preparser | None
    record: Path | None  # where the last build's fingerprints are kept
    inputs: str | None


def _pinned_now(settings: dict) -> str | None:
    """The build date as text when it is pinned; None with the real clock."""
    if not settings.get("TRANSFO_NOW"):
        return None
    from transfo_publication.settings import read_settings as publication_settings

    return publication_settings(settings).now.isoformat()


def start_build(pelican) -> None:
    settings = pelican.settings
    cfg = read_settings(settings)
    preparser = None
    if cfg.parallel_read or cfg.parse_cache:
        preparser = Preparser(settings, cfg.workers if cfg.parallel_read else 1,
                              cfg.cache_path if cfg.parse_cache else None)
    record = inputs = None
    now = _pinned_now(settings)
    if cfg.skip_unchanged:
        record = incremental.record_path(cfg.cache_path, Path(settings["OUTPUT_PATH"]))
        code_is_current = not incremental.code_changed_since(LOADED_AT, settings.get("PLUGIN_PATHS", []))
        if now is not None and code_is_current:
            inputs = incremental.inputs_fingerprint(settings, now)
            if incremental.is_unchanged(record, inputs, Path(settings["OUTPUT_PATH"])):
                pelican.run = _nothing_to_do
                return
        incremental.forget(record)  # a build that fails half-way must not look complete
        if inputs is None:  # real clock, or plugin code newer than this process: no record
            record = None
    settings[STATE_KEY] = BuildState(preparser, record, inputs)


def _nothing_to_do() -> None:
    logger.info("Rien n'a changé depuis la dernière construction : le site est à jour.")


def use_preparsed_markdown(readers) -> None:
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


def cache_compiled_templates(generator) -> None:
    cfg = read_settings(generator.settings)
    env = getattr(generator, "env", None)
    if cfg.template_cache and env is not None and env.bytecode_cache is None:
        folder = cfg.cache_path / "templates"
        folder.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = EnvironmentAwareBytecodeCache(str(folder))


def changed_only_writer(pelican):
    if read_settings(pelican.settings).write_changed_only:
        return ChangedOnlyWriter
    return None


def end_build(pelican) -> None:
    state = pelican.settings.pop(STATE_KEY, None)
    if state is None:
        return
    if state.preparser is not None:
        state.preparser.save()
    if state.record is not None:
        incremental.remember(state.record, state.inputs, Path(pelican.settings["OUTPUT_PATH"]))


def register():
    signals.initialized.connect(start_build)
    signals.readers_init.connect(use_preparsed_markdown)
    signals.generator_init.connect(cache_compiled_templates)
    signals.get_writer.connect(changed_only_writer)
    signals.finalized.connect(end_build)
