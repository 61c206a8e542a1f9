"""Pelican signal handlers: list what a full build writes, then remove what it no longer writes."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from pelican import Pelican, signals
from pelican.generators import Generator, StaticGenerator
from transfo_common import config, written
from transfo_common.files import prune_orphans

from . import statics, sweep

logger = logging.getLogger(__name__)


def cache_folder(settings: dict) -> Path:
    return config.cache_folder(settings, "transfo_output")


def start_listing(generators: list[Generator]) -> None:
    """all_generators_finalized: every page and file written from now on is this build's, with
    the static files Pelican's static generator is about to copy. A preview's refresh sends
    `finalized` without this, so it removes nothing."""
    if not generators:
        return
    output, settings = generators[0].output_path, generators[0].settings
    written.start(output)
    names = statics.theme_static_names(settings["THEME"], settings["THEME_STATIC_PATHS"],
                                       settings["THEME_STATIC_DIR"], settings["IGNORE_FILES"])
    for generator in generators:
        if isinstance(generator, StaticGenerator):
            names.update(static.save_as for static in generator.staticfiles)
    for name in names:
        written.note(os.path.join(output, name))


def note_written(path: str, **_: object) -> None:
    """content_written and feed_written: the file is one of this build's."""
    written.note(path)


def remove_stale(pelican: Pelican) -> None:
    """finalized, before the search index and the leak check read the output: delete what the
    last full build into this folder wrote and this one did not."""
    output = Path(pelican.output_path)
    names = written.finish(str(output))
    if names is None:
        return
    cache = cache_folder(pelican.settings)
    record = sweep.record_path(cache, output)
    previous = sweep.load(record)
    if previous is None:
        _say_what_is_left(output, names, pelican.settings)
    else:
        removed = sweep.remove(output, sweep.stale(previous, names))
        if removed:
            shown = ", ".join(removed[:3]) + (f" et {len(removed) - 3} autre(s)" if len(removed) > 3 else "")
            logger.info("Sortie : %d fichier(s) que la construction n'écrit plus retiré(s) (%s)", len(removed),
                        shown)
    sweep.save(record, names, output)
    prune_orphans(cache)


def _say_what_is_left(output: Path, names: set[str], settings: dict) -> None:
    """No list of what the last build wrote (the cache was deleted, the output kept): nothing is
    removed, and files of an older build may be left among those put there by hand."""
    from transfo_search.api import read_settings as search_settings

    left = sweep.unlisted(output, names, (search_settings(settings).bundle,))
    if left:
        shown = ", ".join(left[:3]) + (f" et {len(left) - 3} autre(s)" if len(left) > 3 else "")
        logger.warning("Sortie : %d fichier(s) que cette construction n'a pas écrits restent dans %s (%s) : "
                       "la liste de ce qu'avait écrit la construction précédente manque (cache effacé ?), "
                       "rien n'est retiré. S'ils viennent d'une ancienne construction, `invoke rebuild` "
                       "repart d'un dossier vide.", len(left), output, shown)


def register() -> None:
    signals.all_generators_finalized.connect(start_listing)
    signals.content_written.connect(note_written)
    signals.feed_written.connect(note_written)
    signals.finalized.connect(remove_stale)
