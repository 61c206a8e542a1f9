"""Pelican signal handlers: check all content before any build, type the values."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from pelican import signals

from .check import check_site, collect_kinds, kind_of, unreadable_entries
from .core_schema import article_kind, duplicate_slugs, page_kind
from .fields import ParseContext
from .problems import ContentError
from .settings import read_settings
from .signals import content_kinds, cross_checks

CHECKED = "_transfo_validation_checked"  # key of this build's results in Pelican's context


class Checked(NamedTuple):
    kinds: dict
    root: Path  # the content folder, resolved
    documents: dict  # (kind name, absolute source path) -> (raw fields, typed values)


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
    return problems


def check_tree_first(pelican) -> None:
    """As Pelican starts, before any plugin reads the content: a link that loops or a pipe
    would make the readers and fingerprints go round or wait forever."""
    problems = unreadable_entries(read_settings(pelican.settings))
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
    """Give content objects typed attributes (featured=True...) from the schema."""
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
    fields, values = found or ({}, {})
    context = ParseContext(content_root=root, source_path=Path(instance.source_path))
    for name, spec in kind.fields.items():
        key = name.lower()
        raw = instance.metadata.get(key)
        if key in PELICAN_FIELDS or not isinstance(raw, str) or not raw.strip():
            continue
        if key in values and fields.get(key) == raw:
            setattr(instance, key, values[key])  # the text the check parsed: its value
        else:
            setattr(instance, key, spec.parse(raw, context))


def register():
    content_kinds.connect(core_kinds)
    cross_checks.connect(core_cross_checks)
    signals.initialized.connect(check_tree_first)  # before transfo_perf's: PLUGINS order
    signals.article_generator_init.connect(check_before_build)
    signals.content_object_init.connect(type_values)
