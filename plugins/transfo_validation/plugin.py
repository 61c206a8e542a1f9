"""Pelican signal handlers: check all content before any build, type the values."""

from __future__ import annotations

from pathlib import Path

from pelican import signals

from .check import check_site, collect_kinds, kind_of
from .core_schema import article_kind, duplicate_slugs, page_kind
from .fields import ParseContext
from .problems import ContentError
from .settings import read_settings
from .signals import content_kinds, cross_checks

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


def check_before_build(generator) -> None:
    """Runs as each build starts, before anything is read or written."""
    _documents, problems = check_site(generator.settings)
    if problems:
        raise ContentError(problems)


def type_values(instance) -> None:
    """Give content objects typed attributes (featured=True...) from the schema."""
    settings = instance.settings
    root = Path(settings.get("PATH", "content"))
    kind = kind_of(instance.source_path or "", collect_kinds(settings), root)
    if kind is None:
        return
    context = ParseContext(content_root=root, source_path=Path(instance.source_path))
    for name, spec in kind.fields.items():
        key = name.lower()
        raw = instance.metadata.get(key)
        if key in PELICAN_FIELDS or not isinstance(raw, str) or not raw.strip():
            continue
        setattr(instance, key, spec.parse(raw, context))


def register():
    content_kinds.connect(core_kinds)
    cross_checks.connect(core_cross_checks)
    signals.article_generator_init.connect(check_before_build)
    signals.content_object_init.connect(type_values)
