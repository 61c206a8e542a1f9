"""Pure functions: what is published, what the home page and the menu show."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from pelican.contents import Article
from pelican.urlwrappers import Category
from transfo_i18n.dates import format_date, format_datetime
from transfo_validation.problems import Problem
from transfo_validation.status import is_draft

_TAGS = re.compile(r"<[^>]+>")
_WORDS = re.compile(r"\w+(?:['’-]\w+)*")

# Context key: the HeldBack of every generator that left a file out because of its date.
HELD_BACK = "held_back"
# The logger of the build-date report: launchers (tasks.py) show its INFO lines.
REPORT_LOGGER = "transfo_publication.build_date"


@dataclass(frozen=True)
class HeldBack:
    """A file this build leaves off the site because it is dated after the build date."""

    path: str  # as an editor finds it, e.g. content/articles/2019/x.md
    kind: str  # in French: article, événement, offre
    date: datetime  # aware


def held_back_documents(documents: dict, now: datetime, tz: tzinfo) -> list[HeldBack]:
    """The validated files (transfo_validation's documents by kind) dated after `now`, drafts aside."""
    held = []
    for docs in documents.values():
        for doc in docs:
            date = doc.values.get("date")
            if not isinstance(date, datetime) or is_draft(doc.values):
                continue
            aware = _aware(date, tz)
            if aware > now:
                held.append(HeldBack(doc.path, doc.kind.display_name, aware))
    return held


def future_modifications(documents: dict, now: datetime, tz: tzinfo, locale: str = "fr_BE") -> list[Problem]:
    """A `Modified` after the build date, on a file this build publishes: one problem each.

    Feeds, pages, JSON-LD and the sitemap would announce an update that has not happened
    yet (and the feed's own date with it); the file cannot wait as a new one does, since
    it is already on the site. Drafts and files held back for their own date are left out.
    """
    problems = []
    for docs in documents.values():
        for doc in docs:
            modified, date = doc.values.get("modified"), doc.values.get("date")
            if not isinstance(modified, datetime) or is_draft(doc.values):
                continue
            if isinstance(date, datetime) and _aware(date, tz) > now:
                continue  # held back: the build-date report names it
            if _aware(modified, tz) > now:
                day = format_date(now.astimezone(tz), "long", locale)
                problems.append(doc.problem("modified", (
                    f"« {doc.raw.fields.get('modified', modified)} » : mise à jour datée après la date "
                    f"de construction ({day}) ; attendu : la date d'une mise à jour déjà faite, "
                    f"au plus tard le {day}")))
    return problems


def _aware(moment: datetime, tz: tzinfo) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def build_date_report(now: datetime, pinned: bool, held: Iterable[HeldBack], tz: tzinfo,
                      command: str = "invoke build", locale: str = "fr_BE") -> list[str]:
    """What a build says about its date: the date, the files held back, the `--now` that shows them.

    Without it, an article dated after a pinned date is silently absent.
    """
    day = format_date(now.astimezone(tz), "long", locale)
    origin = ("fixée, pas celle du jour : TRANSFO_NOW dans pelicanconf.py, ou --now AAAA-MM-JJ"
              if pinned else "celle du jour")
    lines = [f"Date de construction : {day} ({origin})"]
    held = sorted(held, key=lambda item: (item.date, item.path))
    if not held:
        return [*lines, "Aucun fichier daté après cette date : tout ce qui est publié est sur le site."]
    lines.append(f"{len(held)} fichier(s) daté(s) après cette date, pas encore sur le site :")
    lines += [f"  {item.path} ({item.kind}, {format_datetime(item.date, tz, locale).replace(chr(160), ' ')})"
              for item in held]
    lines.append(show_line(command, shown_by(held, tz)))
    return lines


# Attribute of the report's last record: the `--now` that shows the files held back. The launcher
# that runs the build rewords that line with its own command (`show_line`): only it knows it.
SHOWN_BY = "transfo_shown_by"


def shown_by(held: Iterable[HeldBack], tz: tzinfo) -> str | None:
    """The `--now` (AAAA-MM-JJ, in the site's zone) that shows every file held back; None if none."""
    days = [item.date.astimezone(tz).date().isoformat() for item in held]
    return max(days) if days else None


def show_line(command: str, day: str | None) -> str:
    """The report's last line: the command, as the editor types it, that shows what waits."""
    return f"Pour les voir : {command} --now {day}"


def split_scheduled(articles: Sequence[Article], now: datetime) -> tuple[list[Article], list[Article]]:
    """(published, scheduled): articles dated after `now` wait for a later build."""
    published = [a for a in articles if a.date <= now]
    scheduled = [a for a in articles if a.date > now]
    return published, scheduled


def reading_minutes(html: str, words_per_minute: int) -> int:
    """Reading time in whole minutes (at least one) of an HTML body."""
    words = len(_WORDS.findall(_TAGS.sub(" ", html or "")))
    return max(1, math.ceil(words / words_per_minute))


def featured(articles: Iterable[Article], limit: int) -> list[Article]:
    """Newest articles flagged `Featured: oui`, for "À la une"."""
    return [a for a in articles if getattr(a, "featured", False)][:limit]


def latest_by_rubric(categories: Iterable[tuple[Category, Sequence[Article]]], rubrics: Iterable[str], limit: int,
                     exclude: Iterable[Article] = ()) -> list[tuple[Category, list[Article]]]:
    """[(category, newest articles)] in the rubrics' configured order, skipping empty ones."""
    order = {name: index for index, name in enumerate(rubrics)}
    excluded = {id(a) for a in exclude}
    rows = []
    for category, articles in sorted(categories, key=lambda c: order.get(c[0].name, len(order))):
        shown = [a for a in articles if id(a) not in excluded][:limit]
        if shown:
            rows.append((category, shown))
    return rows


@dataclass(frozen=True)
class NavItem:
    """One entry of the main menu; `key` matches a page's `nav_key` for aria-current."""

    label: str
    url: str
    key: str
    order: int = 50


def navigation(categories: Iterable[tuple[Category, Sequence[Article]]], rubrics: Iterable[str],
               extra: Sequence[NavItem] = ()) -> list[NavItem]:
    """The menu: rubrics that have articles, then sections other plugins contribute.

    An extra item with a rubric's key (`rubrique:<slug>`) replaces that rubric's
    entry: the dossiers index stands for the "Dossiers" rubric, for instance.
    """
    order = {name: index for index, name in enumerate(rubrics)}
    replaced = {item.key for item in extra}
    items = [
        NavItem(category.name, category.url, f"rubrique:{category.slug}", order.get(category.name, 40))
        for category, articles in categories
        if articles and f"rubrique:{category.slug}" not in replaced
    ]
    return sorted([*items, *extra], key=lambda item: (item.order, item.label))
