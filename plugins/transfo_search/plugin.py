"""The search page (a generator) and the Pagefind index (after the build)."""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Mapping
from functools import partial
from pathlib import Path

from pelican import Pelican, signals
from pelican.generators import Generator
from pelican.writers import Writer
from transfo_common import background
from transfo_publication.api import NavItem
from transfo_validation import signals as validation_signals

from .indexing import base_url, build_index
from .settings import SearchSettings, read_settings

log = logging.getLogger(__name__)
NAV_KEY = "recherche"


class SearchPageGenerator(Generator):
    """Adds "Recherche" to the menu and writes the search page."""

    def generate_context(self) -> None:
        search = read_settings(self.settings)
        if search.enabled:
            self.context.setdefault("nav_extra", []).append(
                NavItem("Recherche", search.url, NAV_KEY,
                        search.nav_order))

    def generate_output(self, writer: Writer) -> None:
        search = read_settings(self.settings)
        if not search.enabled:
            return
        writer.write_file(
            search.save_as, self.get_template("search"), self.context,
            relative_urls=self.settings["RELATIVE_URLS"], url=search.url,
            search_url=search.url, search_bundle=search.bundle,
            search_base_url=base_url(self.settings.get("SITEURL", "")),
        )


def index_site(pelican: Pelican) -> None:
    """finalized receiver: every build path (build, livereload, tests) gets its index.

    Pagefind runs in the background while the next receivers (the leak check) read the
    output; they, and `finish_index`, wait for it (`transfo_common.background`). A build
    told not to index (publish indexes beside its gate) removes an index an earlier build
    left in its output: it would describe other pages."""
    search = read_settings(pelican.settings)
    if search.enabled and search.in_build:
        background.start(partial(index_and_report, pelican.output_path, search), "search")
    elif search.enabled:
        shutil.rmtree(Path(pelican.output_path) / search.bundle, ignore_errors=True)


def index_and_report(output_path: str, search: SearchSettings, into: Path | None = None,
                     files: Mapping[str, str] | None = None) -> None:
    """Index the pages of `output_path` into `into` (default: its bundle folder), and log how;
    `files`: {path: sha256} of every file of `output_path`, when the caller has them."""
    started = time.perf_counter()
    report = build_index(Path(output_path), search.bundle, search.cache_path, search.reuse, into, files)
    seconds = time.perf_counter() - started
    if report.ran:
        log.info("Recherche : %d page(s) HTML lues, index écrit par Pagefind (%.1f s)", report.pages, seconds)
    else:
        log.info("Recherche : pages inchangées, index Pagefind déjà fait de ces pages repris sans relancer "
                 "Pagefind (%d page(s) HTML, %.1f s)", report.pages, seconds)


def finish_index(_pelican: Pelican) -> None:
    """The last finalized receiver: the build ends with its index, or with Pagefind's error."""
    background.wait()


def start_clean(_pelican: Pelican) -> None:
    """initialized: an index that a failed build left running ends before this build starts,
    and `finish_index`, connected now, after every plugin's own receivers, runs last."""
    try:
        background.wait()
    except Exception as error:
        log.warning("Recherche : l'index de la construction précédente, qui a échoué, n'a pas abouti (%s)",
                    error)
    signals.finalized.connect(finish_index)


def get_generators(_pelican: Pelican) -> type[Generator]:
    return SearchPageGenerator


def output_paths(settings: dict) -> list[str]:
    cfg = read_settings(settings)
    return [cfg.url, cfg.bundle + "/"]


def register() -> None:
    validation_signals.output_paths.connect(output_paths)
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(index_site)
    signals.initialized.connect(start_clean)
