"""Validate a whole content tree: every file of every kind, then cross-file checks."""

from __future__ import annotations

import os
from pathlib import Path

from .fields import ParseContext
from .problems import Problem
from .schema import ContentKind, Document, kind_files, merge, validate
from .settings import read_settings
from .signals import content_kinds, cross_checks


def collect_kinds(settings: dict) -> dict[str, ContentKind]:
    """Every content kind of this site, as declared by the installed plugins."""
    declarations = []
    for _receiver, result in content_kinds.send(settings):
        declarations.extend(result or ())
    return merge(declarations)


def display_path(path: Path) -> str:
    """The path as an editor finds it: relative to where the command runs."""
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()


def check_site(settings: dict) -> tuple[dict[str, list[Document]], list[Problem]]:
    """All problems of the content tree, and the valid documents by kind."""
    cfg = read_settings(settings)
    documents: dict[str, list[Document]] = {}
    problems: list[Problem] = []
    for kind in collect_kinds(settings).values():
        valid = documents.setdefault(kind.name, [])
        for path in kind_files(kind, cfg.content_root):
            shown = display_path(path)
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                problems.append(Problem(shown, "fichier", "encodage illisible ; attendu : UTF-8"))
                continue
            context = ParseContext(content_root=cfg.content_root, source_path=path)
            doc, found = validate(text, shown, kind, context)
            problems.extend(found)
            if not found:
                valid.append(doc)
    for _receiver, result in cross_checks.send(documents, settings=settings):
        problems.extend(result or ())
    return documents, problems


def kind_of(source_path: str, kinds: dict[str, ContentKind], content_root: Path) -> ContentKind | None:
    """The kind whose folders hold `source_path` (absolute or relative to the root)."""
    path = Path(source_path)
    if path.is_absolute():
        try:
            path = path.relative_to(content_root.resolve())
        except ValueError:
            return None
    relative = path.as_posix()
    for kind in kinds.values():
        for folder in kind.folders:
            prefix = folder.rstrip("/") + "/" if folder else ""
            excluded = any(relative.startswith(ex.rstrip("/") + "/") for ex in kind.excludes)
            if relative.startswith(prefix) and not excluded:
                return kind
    return None
