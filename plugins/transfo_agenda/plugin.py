"""Pelican side of the agenda: read event files, share them in the context, write pages and .ics."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path

from pelican import Pelican, signals
from pelican.contents import Page
from pelican.generators import Generator
from pelican.writers import Writer
from transfo_common.config import cache_folder
from transfo_common.contents import NewPage, folder_address, read_with_address
from transfo_common.files import ContentStore, write_if_changed
from transfo_common.urls import absolute
from transfo_images.api import published_copy
from transfo_publication.api import HeldBack, NavItem, add_menu_item, build_now, hold_back
from transfo_validation import signals as validation_signals
from transfo_validation.check import display_path
from transfo_validation.fields import ParseContext
from transfo_validation.problems import Problem
from transfo_validation.schema import ContentKind, Document
from transfo_validation.signals import content_kinds, cross_checks

from . import jsonld, model
from .schema import STATUSES, duplicate_identifiers, event_fields, event_kind, event_slug, reserved_event_slugs
from .settings import AgendaSettings, read_settings

logger = logging.getLogger(__name__)


class EventPage(Page):
    """An event file as Pelican reads it; never listed with pages or articles.

    Its address, from TRANSFO_AGENDA_URL, is set as it is read (`AgendaGenerator`).
    """

    allowed_statuses = tuple(term.code for term in STATUSES)


def event_address(cfg: AgendaSettings, source_path: str, metadata: dict) -> dict[str, str]:
    """An event page's address, from its Slug field or its file name."""
    return folder_address(cfg.event_url(event_slug(metadata.get("slug"), source_path)))


@dataclass(frozen=True)
class AgendaLinks:
    """Addresses templates need: the agenda, its archive, the calendar feed."""

    url: str
    archive_url: str
    calendar_url: str  # relative path of the .ics
    calendar_absolute: str
    webcal_url: str


# Fields Pelican itself reads (dates made aware, tags, status...); the rest is parsed here.
PELICAN_READ = {"title", "date", "modified", "tags", "summary", "status", "slug"}


def event_values(page: EventPage, content_root: Path) -> dict:
    """The typed values of an event file: Pelican's, plus the schema's parse of the others.

    Parsed from the raw metadata rather than read back from attributes, since
    some names (`timezone`) are also attributes Pelican sets on every content.
    """
    context = ParseContext(content_root=content_root, source_path=Path(page.source_path))
    values = {
        name: spec.parse(page.metadata[name], context)
        for name, spec in event_fields().items()
        if name not in PELICAN_READ and isinstance(page.metadata.get(name), str)
        and page.metadata[name].strip()  # a field left empty is absent
    }
    values.update(
        title=page.title,
        date=page.date,
        modified=getattr(page, "modified", None),
        status=page.status,
        summary_html=str(page.metadata.get("summary", "")),
        source=page,  # the body is read when a page shows it
        tags=[tag.name for tag in getattr(page, "tags", [])],
    )
    return values


def image_url(context: dict, event: model.Event) -> str:
    """The published copy of the event's image (never the original file), or ""."""
    copy = published_copy(context, event.image, event.source_path)
    return copy.url if copy else ""


class AgendaGenerator(Generator):
    """Events are their own content kind: read here, never by the article generator."""

    def generate_context(self) -> None:
        cfg = read_settings(self.settings)
        now = build_now(self.settings)
        events, scheduled = [], 0
        for path in self.get_files(cfg.paths):
            read = self._read_event(cfg, path)
            if read is None:
                continue
            page, values = read
            self.add_source_path(page)
            if values["date"] > now:  # announced later: waits like a scheduled article
                scheduled += 1
                hold_back(self.context,
                          HeldBack(display_path(Path(page.source_path)), "événement", values["date"]))
                continue
            events.append(self._make_event(cfg, path, values))
        events.sort(key=model.sort_key)
        upcoming, past = model.split_by_now(events, now)
        self.context["events"] = events
        self.context["upcoming_events"] = upcoming
        self.context["past_events"] = past
        self.context["home_events"] = upcoming[: cfg.home_count]
        webcal = "webcal://" + cfg.public_url.split("://", 1)[1] + "/" + cfg.calendar_path
        self.context["agenda"] = AgendaLinks(cfg.url, cfg.archive_url(), cfg.calendar_path,
                                             absolute(self.settings, cfg.calendar_path), webcal)
        if events:  # like an empty rubric, an empty agenda has no menu entry and no pages
            add_menu_item(self.context, NavItem("Agenda", cfg.url, "agenda", cfg.nav_order))
        logger.info(
            "Agenda au %s : %d événement(s) à venir, %d passé(s) aux archives%s.",
            now.date().isoformat(), len(upcoming), len(past),
            f", {scheduled} annonce(s) programmée(s)" if scheduled else "",
        )

    def generate_output(self, writer: Writer) -> None:
        cfg = read_settings(self.settings)
        now = build_now(self.settings)
        relative = self.settings.get("RELATIVE_URLS", False)
        events, upcoming, past = (self.context[k] for k in ("events", "upcoming_events", "past_events"))
        if not events:
            return
        years = model.group_by_year(past)

        def write(name: str, template: str, **extra: object) -> None:
            writer.write_file(name, self.get_template(template), self.context, relative_urls=relative,
                              url=name.removesuffix("index.html"), **extra)

        write(cfg.url + "index.html", "agenda",
              months=model.group_by_month(upcoming, cfg.locale), archive_years=list(years))
        write(cfg.archive_url() + "index.html", "agenda_archives", archive_years=years)
        for year, year_events in years.items():
            write(cfg.archive_url(year) + "index.html", "agenda_year", year=year,
                  year_events=year_events, archive_years=list(years))
        for event in events:
            write(event.url + "index.html", "event", **self._event_page(event, now))
        self._write_calendars(cfg, events, now, partial(absolute, self.settings))

    def reads_file(self, path: str) -> bool:
        return path in self.get_files(read_settings(self.settings).paths)

    def page_for_new_file(self, path: str) -> NewPage | None:
        """The page of an event file added since the last build (None: it gets none yet)."""
        cfg = read_settings(self.settings)
        now = build_now(self.settings)
        read = self._read_event(cfg, path)
        if read is None or read[1]["date"] > now:
            return None
        event = self._make_event(cfg, path, read[1])
        return NewPage(read[0], event.url + "index.html", "event", self._event_page(event, now))

    def _read_event(self, cfg: AgendaSettings, path: str) -> tuple[EventPage, dict] | None:
        """The event file and its typed values; None for a draft or a file Pelican refused."""
        page = read_with_address(self, path, EventPage, partial(event_address, cfg, path))
        if not page.is_valid() or page.status == "draft":
            return None
        return page, {**event_values(page, Path(self.path)), "slug": event_slug(page.metadata.get("slug"), path)}

    def _make_event(self, cfg: AgendaSettings, path: str, values: dict) -> model.Event:
        slug = values["slug"]
        return model.make_event(values, source_path=path, url=cfg.event_url(slug), ics_url=cfg.event_ics_path(slug),
                                uid_domain=cfg.domain, site_tz=cfg.timezone, locale=cfg.locale)

    def _event_page(self, event: model.Event, now: datetime) -> dict[str, object]:
        """What an event's page adds to the context."""
        return {"event": event, "event_is_past": event.over_at < now,
                "event_jsonld": jsonld.event_jsonld(event, partial(absolute, self.settings),
                                                    image_url=image_url(self.context, event))}

    def _write_calendars(self, cfg: AgendaSettings, events: list[model.Event], now: datetime,
                         site_absolute: Callable[[str], str]) -> None:
        from . import ical, kept  # icalendar takes 30 ms to import: a build skipped as unchanged never needs it

        output = Path(self.output_path)
        store = ContentStore(cache_folder(self.settings, "transfo_agenda"))
        meta = ical.CalendarMeta(
            name=f"{cfg.site_name} · Agenda de l'économie sociale",
            description="Les événements de l'économie sociale en Wallonie et à Bruxelles, "
                        "choisis par la rédaction de Transfo.",
            timezone=cfg.timezone.key,
        )
        feed = model.in_calendar_feed(events, now, cfg.ics_past_days)
        write_if_changed(output / cfg.calendar_path, kept.calendar(feed, meta, site_absolute, store))
        for event in events:
            single = ical.CalendarMeta(name=event.title, description=event.summary,
                                       timezone=meta.timezone)
            write_if_changed(output / event.ics_url, kept.calendar([event], single, site_absolute, store))
        store.prune(kept.KEPT_UNUSED_S)


def declare_kinds(settings: dict) -> list[ContentKind]:
    cfg = read_settings(settings)
    return [event_kind(cfg.paths, cfg.timezone)]


def check_events(documents: Mapping[str, list[Document]], settings: dict) -> list[Problem]:
    cfg = read_settings(settings)
    events = documents.get("event", [])
    return [*duplicate_identifiers(events), *reserved_event_slugs(events, cfg.event_url, cfg.archive_url())]


def get_generators(_pelican: Pelican) -> type[Generator]:
    return AgendaGenerator


def output_paths(settings: dict) -> list[str]:
    return [read_settings(settings).url]


def register() -> None:
    validation_signals.output_paths.connect(output_paths)
    content_kinds.connect(declare_kinds)
    cross_checks.connect(check_events)
    signals.get_generators.connect(get_generators)
