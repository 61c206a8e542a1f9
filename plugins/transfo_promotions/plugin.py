"""Pelican side of promotions: check the records as the build starts, and
check the built site for leaks once everything is written."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path

from pelican import Pelican, signals
from transfo_common import background
from transfo_search.api import index_problems
from transfo_search.api import read_settings as read_search_settings
from transfo_validation.problems import Problem
from transfo_validation.schema import Document
from transfo_validation.signals import cross_checks

from .articles import scan_articles
from .leaks import SearchIndex, check_tree, memory_file
from .records import display_path, read_records
from .settings import PromotionSettings, read_settings


def published_folders(cfg: PromotionSettings) -> list[str]:
    """STATIC_PATHS entries that would make Pelican copy the data file."""
    relative = cfg.data_file.relative_to(cfg.content_root).as_posix()
    return [folder for folder in cfg.static_paths
            if folder in ("", ".", "/") or relative == folder.strip("/")
            or relative.startswith(folder.strip("/") + "/")]


def check_promotions(_documents: Mapping[str, list[Document]], settings: dict) -> list[Problem]:
    """Cross check of transfo_validation: every record valid and naming an article;
    the data file kept out of the folders Pelican copies."""
    cfg = read_settings(settings)
    _records, problems = read_records(cfg.data_file, scan_articles(settings))
    if cfg.data_file.is_file():
        for folder in published_folders(cfg):
            problems.append(Problem(
                display_path(cfg.data_file), "fichier",
                f"dans « {folder or '.'} » de STATIC_PATHS, il serait publié ; attendu : "
                "un dossier que le site ne copie pas (TRANSFO_PROMOTIONS_FILE)"))
    return problems


def check_for_leaks(pelican: Pelican) -> None:
    """After the last file is written: fail when an internal figure, or a file of no web type,
    is in the site, or when the search index is not the one made from its pages. The index
    may still be in the making: it is checked once it is done."""
    output = Path(pelican.output_path)
    check_folder(pelican.settings, output, output, background.wait)


def check_folder(settings: dict, folder: Path, pages: Path, settle: Callable[[], None] | None = None) -> None:
    """Raise PromotionLeakError when `folder` holds an internal figure or a file of no web type,
    or a search index (TRANSFO_SEARCH_BUNDLE below it) not made from the HTML pages of `pages`.

    `folder` is the built site itself, or (`invoke publish`) the folder its index was written
    into beside the build; `settle` waits for writers still at work in it (`scan_tree`)."""
    cfg = read_settings(settings)
    records, _problems = read_records(cfg.data_file)
    memory = memory_file(cfg.leak_memory, folder) if cfg.leak_memory else None
    search = read_search_settings(settings)
    index = SearchIndex(search.bundle, partial(index_problems, pages, search.bundle, search.cache_path,
                                               Path(folder) / search.bundle))
    check_tree(folder, records, display_path(cfg.data_file), cfg.data_file.name, memory, settle,
               cfg.output_types, index)


def register() -> None:
    cross_checks.connect(check_promotions)
    signals.finalized.connect(check_for_leaks)
