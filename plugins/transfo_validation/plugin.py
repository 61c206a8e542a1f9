"""Pelican signal handlers: check all content before any build, type the values."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pelican import Pelican, signals
from pelican.contents import Content
from pelican.generators import ArticlesGenerator, Generator

from .check import check_site, collect_kinds, display_path, kind_of
from .core_schema import article_kind, duplicate_slugs, first_folder, page_kind, reserved_addresses
from .fields import ParseContext
from .problems import ContentError, Problem
from .schema import ContentKind, Document
from .settings import read_settings
from .signals import content_kinds, cross_checks, output_paths

CHECKED = "_transfo_validation_checked"  # key of this build's check in Pelican's context


@dataclass(frozen=True, eq=False)
class Checked:
    """What this build's check found, and the receiver that types each content object with it.

    Made as the build starts (`check_before_build`) and kept in the build's context;
    content_object_init holds its receiver weakly, and it leaves when its build ends:
    it types the objects of that build only (a resident preview reading a file again
    afterwards gets it as Pelican reads it, as it noted it during the build).
    """

    kinds: dict[str, ContentKind]
    root: Path  # the content folder, resolved
    # (kind name, absolute source path) -> (raw fields, typed values)
    documents: dict[tuple[str, str], tuple[dict[str, str], dict[str, object]]]

    def start(self) -> None:
        signals.content_object_init.connect(self.type_values)
        signals.finalized.connect(self.end)

    def type_values(self, instance: Content) -> None:
        type_values(instance, self)

    def end(self, _pelican: Pelican) -> None:
        signals.content_object_init.disconnect(self.type_values)
        signals.finalized.disconnect(self.end)


@contextmanager
def typed_reads(context: Mapping[str, object]) -> Iterator[None]:
    """Objects read while it lasts are typed as the build that made `context` typed its own,
    although that build has ended (the resident preview reading a file added since)."""
    checked = context.get(CHECKED)
    if not isinstance(checked, Checked):
        yield
        return
    signals.content_object_init.connect(checked.type_values)
    try:
        yield
    finally:
        signals.content_object_init.disconnect(checked.type_values)


# Fields Pelican itself converts; the schema only checks them.
PELICAN_FIELDS = {"title", "date", "modified", "category", "tags", "authors", "summary",
                  "status", "slug"}


def core_kinds(settings: dict) -> list[ContentKind]:
    cfg = read_settings(settings)
    return [article_kind(cfg), page_kind(cfg)]


def core_cross_checks(documents: Mapping[str, list[Document]], settings: dict) -> list[Problem]:
    cfg = read_settings(settings)
    problems = list(duplicate_slugs(documents.get("article", []), cfg))
    problems += duplicate_slugs(documents.get("page", []), cfg)
    problems += reserved_addresses(documents.get("page", []), cfg, reserved_folders(settings))
    return problems


def pelican_output_paths(settings: dict) -> list[str]:
    """What Pelican writes besides pages: every *_URL and *_SAVE_AS setting (listings, archives,
    direct templates), the theme's static folder and the static folders."""
    paths = [value for key, value in settings.items()
             if key.endswith(("_URL", "_SAVE_AS")) and isinstance(value, str)]
    return [*paths, settings.get("THEME_STATIC_DIR") or "", *(settings.get("STATIC_PATHS") or ())]


def reserved_folders(settings: dict) -> dict[str, str]:
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

    def __init__(self, content_root: Path) -> None:
        super().__init__(logging.ERROR)
        self.content_root = content_root
        self.problems: list[Problem] = []

    def emit(self, record: logging.LogRecord) -> None:
        # Pelican passes the path as the one positional argument (args is then a tuple).
        if not (record.msg == "Could not process %s" and isinstance(record.args, tuple) and record.args):
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


def watch_read_failures(pelican: Pelican) -> None:
    logger = logging.getLogger("pelican.generators")
    for handler in _read_failure_handlers():
        logger.removeHandler(handler)  # left by a build that stopped half-way
    logger.addHandler(ReadFailures(Path(pelican.settings.get("PATH", "content"))))


def stop_on_read_failures(_generators: Sequence[Generator]) -> None:
    problems: list[Problem] = []
    for handler in _read_failure_handlers():
        logging.getLogger("pelican.generators").removeHandler(handler)
        problems += handler.problems
    if problems:
        raise ContentError(problems)


def check_before_build(generator: ArticlesGenerator) -> None:
    """Runs as each build starts, before anything is read or written."""
    documents, problems = check_site(generator.settings)
    if problems:
        raise ContentError(problems)
    # For the content objects of this build: the kinds, and what each valid file was checked with.
    checked = Checked(
        collect_kinds(generator.settings),
        Path(generator.settings.get("PATH", "content")).resolve(),
        {(doc.kind.name, os.path.abspath(doc.path)): (doc.raw.fields, doc.values)
         for docs in documents.values() for doc in docs},
    )
    generator.context[CHECKED] = checked
    checked.start()


def type_values(instance: Content, checked: Checked) -> None:
    """Give a content object typed attributes (featured=True...) and its status's code from the schema."""
    root = Path(instance.settings.get("PATH", "content"))
    kind = kind_of(instance.source_path or "", checked.kinds, checked.root, resolved=True)
    if kind is None:
        return
    no_check: tuple[dict[str, str], dict[str, object]] = ({}, {})
    fields, values = checked.documents.get((kind.name, os.path.abspath(instance.source_path)), no_check)
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


def register() -> None:
    content_kinds.connect(core_kinds)
    output_paths.connect(pelican_output_paths)
    cross_checks.connect(core_cross_checks)
    signals.initialized.connect(watch_read_failures)
    signals.all_generators_finalized.connect(stop_on_read_failures)
    signals.article_generator_init.connect(check_before_build)
