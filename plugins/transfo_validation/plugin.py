"""Pelican signal handlers: check all content before any build, type the values."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import NamedTuple

from pelican import signals

from .check import check_site, collect_kinds, display_path, kind_of
from .core_schema import article_kind, duplicate_slugs, first_folder, page_kind, reserved_addresses
from .fields import ParseContext
from .problems import ContentError, Problem
from .settings import read_settings
from .signals import content_kinds, cross_checks, output_paths

CHECKED = "_transfo_validation_checked"  # key of this build's results in Pelican's context


class Checked(NamedTuple):
    kinds: dict
    root: Path  # the content folder, resolved
    # (kind name, absolute source path) -> (raw fields, typed values)
    documents: dict[tuple[str, str], tuple[dict[str, str], dict[str, object]]]


# Fields Pelican itself converts; the schema only checks them.
PELICAN_FIELDS = {"title", "date", "modified", "category", "tags", "authors", "summary",
                  "status", "slug"}


def core_kinds(settings):
    cfg = read_settings(settings)
    return [article_kind(cfg), page_kind(cfg)]


def core_cross_checks(documents, settings):
    cfg = read_settings(settings)
    problems = list(duplicate_slugs(documents.get("article", []), cfg))
    problems += duplicate_slugs(documents.get("page", []), cfg)
    problems += reserved_addresses(documents.get("page", []), cfg, reserved_folders(settings))
    return problems


def pelican_output_paths(settings):
    """What Pelican writes besides pages: every *_URL and *_SAVE_AS setting (listings, archives,
    direct templates), the theme's static folder and the static folders."""
    paths = [value for key, value in settings.items()
             if key.endswith(("_URL", "_SAVE_AS")) and isinstance(value, str)]
    return [*paths, settings.get("THEME_STATIC_DIR") or "", *(settings.get("STATIC_PATHS") or ())]


def reserved_folders(settings) -> dict[str, str]:
    """Top folders of the output that belong to a part of the site: folder -> a path claiming it."""
    reserved: dict[str, str] = {}
    for _receiver, paths in output_paths.send(settings):
        for path in paths or ():
            folder = first_folder(path)
            if folder:
                reserved.setdefault(folder, path)
    return reserved


class ReadFailures(logging.Handler):
    """Files Pelican's generators could not read: Pelican logs them and builds the site without
    them; this build stops instead, each file on one line, before anything is written."""

    def __init__(self, content_root: Path):
        super().__init__(logging.ERROR)
        self.content_root = content_root
        self.problems: list[Problem] = []

    def emit(self, record):
        if not (record.msg == "Could not process %s" and record.args):
            return
        error = sys.exc_info()[1]  # logged from Pelican's `except` block: the error being handled
        why = f"{type(error).__name__} : {str(error).splitlines()[0] if str(error) else ''}" if error else "erreur"
        self.problems.append(Problem(display_path(self.content_root / str(record.args[0])), "fichier",
                                     f"illisible pour Pelican ({why}) ; attendu : un fichier de contenu "
                                     "valide (cas non prévu par invoke check : signalez-le)"))


def _read_failure_handlers() -> list[ReadFailures]:
    """This build's handler on Pelican's generators logger (kept there, not in the settings, which
    content objects carry: a resident preview compares them between builds)."""
    return [h for h in logging.getLogger("pelican.generators").handlers if isinstance(h, ReadFailures)]


def watch_read_failures(pelican) -> None:
    logger = logging.getLogger("pelican.generators")
    for handler in _read_failure_handlers():
        logger.removeHandler(handler)  # left by a build that stopped half-way
    logger.addHandler(ReadFailures(Path(pelican.settings.get("PATH", "content"))))


def stop_on_read_failures(_generators) -> None:
    problems = []
    for handler in _read_failure_handlers():
        logging.getLogger("pelican.generators").removeHandler(handler)
        problems += handler.problems
    if problems:
        raise ContentError(problems)


def check_before_build(generator) -> None:
    """Runs as each build starts, before anything is read or written."""
    documents, problems = check_site(generator.settings)
    if problems:
        raise ContentError(problems)
    # For type_values, in this build only: the kinds, and what each valid file was checked with.
    generator.context[CHECKED] = Checked(
        collect_kinds(generator.settings),
        Path(generator.settings.get("PATH", "content")).resolve(),
        {(doc.kind.name, os.path.abspath(doc.path)): (doc.raw.fields, doc.values)
         for docs in documents.values() for doc in docs},
    )


def type_values(instance) -> None:
    """Give content objects typed attributes (featured=True...) and their status's code from the schema."""
    settings = instance.settings
    root = Path(settings.get("PATH", "content"))
    checked = (getattr(instance, "_context", None) or {}).get(CHECKED)
    if checked:
        kind = kind_of(instance.source_path or "", checked.kinds, checked.root, resolved=True)
    else:
        kind = kind_of(instance.source_path or "", collect_kinds(settings), root)
    if kind is None:
        return
    found = checked.documents.get((kind.name, os.path.abspath(instance.source_path))) if checked else None
    fields: dict[str, str] = {}
    values: dict[str, object] = {}
    if found:
        fields, values = found
    context = ParseContext(content_root=root, source_path=Path(instance.source_path))
    status = instance.metadata.get("status")
    if "status" in kind.fields and isinstance(status, str) and status.strip():
        # One code whatever the words (brouillon, draft...): Pelican and plugins compare codes.
        instance.status = kind.fields["status"].parse(status, context)
    for name, spec in kind.fields.items():
        key = name.lower()
        raw = instance.metadata.get(key)
        if key in PELICAN_FIELDS or not isinstance(raw, str):
            continue
        if not raw.strip():  # a field left empty (as in the templates) is absent, as for the check
            if getattr(instance, key, None) == raw:
                delattr(instance, key)
            continue
        if key in values and fields.get(key) == raw:
            setattr(instance, key, values[key])  # the text the check parsed: its value
        else:
            setattr(instance, key, spec.parse(raw, context))


def register():
    content_kinds.connect(core_kinds)
    output_paths.connect(pelican_output_paths)
    cross_checks.connect(core_cross_checks)
    signals.initialized.connect(watch_read_failures)
    signals.all_generators_finalized.connect(stop_on_read_failures)
    signals.article_generator_init.connect(check_before_build)
    signals.content_object_init.connect(type_values)
