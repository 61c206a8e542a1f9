"""Which editions exist: frozen (sent) ones, and prepared ones whose send date has come.

A sent edition is frozen in `newsletter/envois/<month>/` (edition.json plus
the exact email sent); the site renders its web version from there, so later
content changes never alter it. An edition with an editor file and no freeze
appears on the site once its send date has passed, like a scheduled article.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from transfo_i18n.translations import load_translations
from transfo_validation.problems import Problem

from .editor import EditionError, EditorFile, read_editor_file
from .model import Edition, Month, SiteSnapshot
from .selection import PromotedLead, default_send_date, select_edition
from .settings import NewsletterSettings

EDITION_JSON = "edition.json"


@dataclass(frozen=True)
class SiteEdition:
    edition: Edition
    frozen: bool


def display_path(path: Path) -> str:
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()


def frozen_dir(cfg: NewsletterSettings, month: Month) -> Path:
    return cfg.archive / str(month)


def load_frozen(cfg: NewsletterSettings, month: Month) -> Edition | None:
    path = frozen_dir(cfg, month) / EDITION_JSON
    if not path.is_file():
        return None
    return Edition.from_json_dict(json.loads(path.read_text(encoding="utf-8")))


def editor_for(cfg: NewsletterSettings, month: Month) -> EditorFile | None:
    path = cfg.editor_file(str(month))
    return read_editor_file(path, display_path(path), ZoneInfo(cfg.timezone))


def send_date_for(cfg: NewsletterSettings, month: Month, editor: EditorFile | None) -> datetime:
    if editor and editor.send_date:
        return editor.send_date
    return default_send_date(month, cfg.send_hour, ZoneInfo(cfg.timezone))


def assemble(cfg: NewsletterSettings, site: SiteSnapshot, month: Month,
             send_date: datetime | None = None, promoted: PromotedLead | None = None) -> Edition:
    """The edition of `month` from the live content; EditionError names every mistake of the
    editor file at once: its header, the comments left in it and the slugs it cites."""
    editor, problems = _editor_file(cfg, month)
    try:
        edition = select_edition(
            site, month, send_date or send_date_for(cfg, month, editor), editor,
            site_name=cfg.site_name, max_items=cfg.max_items, agenda_weeks=cfg.agenda_weeks,
            locale=cfg.locale, promoted=promoted(month) if promoted else None,
            gettext=load_translations(cfg.translations_path, cfg.locale).gettext,
        )
    except EditionError as error:
        problems += error.problems
    if problems:
        raise EditionError(problems)
    return edition


def _editor_file(cfg: NewsletterSettings, month: Month) -> tuple[EditorFile | None, list[Problem]]:
    """The editor file as far as it could be read, and the problems of its own text."""
    try:
        editor = editor_for(cfg, month)
    except EditionError as error:
        return error.editor, list(error.problems)
    return editor, list(editor.comments) if editor else []


def _months(folder: Path, pattern: str) -> set[Month]:
    months = set()
    for path in folder.glob(pattern) if folder.is_dir() else ():
        try:
            months.add(Month.parse(path.stem if path.suffix == ".md" else path.name))
        except ValueError:
            continue
    return months


def misnamed_editor_files(cfg: NewsletterSettings) -> list[Problem]:
    """Text files of the editions folder that name no month (`2026-12-1.md`, the CMS's name for a
    second edition of a month): they would be no edition at all, without a word."""
    problems = []
    for path in sorted(cfg.path.glob("*.md")) if cfg.path.is_dir() else ():
        try:
            Month.parse(path.stem)
        except ValueError:
            problems.append(Problem(display_path(path), "fichier", f"nom « {path.name} » ; attendu : le mois de "
                                    "l'édition, AAAA-MM.md (ex. 2019-11.md), une seule édition par mois"))
    return problems


def site_editions(cfg: NewsletterSettings, site: SiteSnapshot, now: datetime,
                  promoted: PromotedLead | None = None) -> list[SiteEdition]:
    """Editions the site shows, newest first."""
    misnamed = misnamed_editor_files(cfg)
    if misnamed:
        raise EditionError(misnamed)
    editions = []
    frozen = _months(cfg.archive, "*")
    for month in frozen:
        edition = load_frozen(cfg, month)
        if edition:
            editions.append(SiteEdition(edition, frozen=True))
    for month in _months(cfg.path, "*.md") - frozen:
        try:
            send_date: datetime | None = send_date_for(cfg, month, editor_for(cfg, month))
        except EditionError:  # a header that cannot be read stops the build whatever its date
            send_date = None
        if send_date is None or send_date <= now:
            editions.append(SiteEdition(assemble(cfg, site, month, send_date, promoted), False))
    return sorted(editions, key=lambda e: e.edition.month, reverse=True)
