"""iCalendar (RFC 5545) files of the agenda, built with the icalendar library.

Reproducible: every value comes from the event files (UID from the slug,
DTSTAMP from Modified or Date, SEQUENCE from Modified), never from the clock,
so two builds of the same content give the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta, timezone

from icalendar import Calendar, Timezone, vDuration, vText
from icalendar import Event as VEvent

from .model import Event, calendar_location, html_to_text

ICS_STATUS = {"planned": "CONFIRMED", "moved-online": "CONFIRMED", "postponed": "TENTATIVE",
              "cancelled": "CANCELLED"}
# Many calendar apps do not show STATUS: the title says it too.
TITLE_PREFIX = {"cancelled": "ANNULÉ", "postponed": "REPORTÉ", "moved-online": "EN LIGNE"}


@dataclass(frozen=True)
class CalendarMeta:
    name: str  # "Transfo · Agenda de l'économie sociale"
    description: str
    timezone: str  # "Europe/Brussels"
    prodid: str = "-//Transfo//Agenda de l'économie sociale//FR"
    refresh: timedelta = timedelta(days=1)


def event_uid(uid_or_slug: str, domain: str) -> str:
    """`jours-fous-2019@www.economiesociale.be`: from the file's identity, never its title."""
    return f"{uid_or_slug}@{domain}"


def price_text(event: Event) -> str:
    return "gratuit" if event.free else event.price_text


def description(event: Event, page_url: str) -> str:
    """DESCRIPTION as plain text: summary, body, practical details, the page's address."""
    lines = [event.summary]
    body = html_to_text(event.content, keep_links=True)
    if body:
        lines.append(body)
    facts = [f"Organisation : {event.organiser}"]
    if price_text(event):
        facts.append(f"Prix : {price_text(event)}")
    if event.online_url:
        facts.append(f"En ligne : {event.online_url}")
    if event.registration_url:
        facts.append(f"Inscription : {event.registration_url}")
    facts.append(f"Plus d'informations : {page_url}")
    lines.append("\n".join(facts))
    return "\n\n".join(lines)


def vevent(event: Event, page_url: str) -> VEvent:
    component = VEvent()
    component.add("uid", event.uid)
    stamp = (event.modified or event.date).astimezone(timezone.utc)
    component.add("dtstamp", stamp)
    component.add("created", event.date.astimezone(timezone.utc))
    if event.modified:
        component.add("last-modified", event.modified.astimezone(timezone.utc))
    component.add("sequence", event.sequence)
    prefix = TITLE_PREFIX.get(event.status)
    component.add("summary", f"{prefix} – {event.title}" if prefix else event.title)
    if event.all_day:
        component.add("dtstart", event.first_day)
        component.add("dtend", event.last_day + timedelta(days=1))  # exclusive, per RFC 5545
    else:
        component.add("dtstart", event.start)
        if event.has_end:
            component.add("dtend", event.end)
    component.add("status", ICS_STATUS[event.status])
    location = calendar_location(event)
    if location:
        component.add("location", location)
    component.add("url", page_url)
    component.add("description", description(event, page_url))
    if event.tags:
        component.add("categories", list(event.tags))
    component.add("transp", "TRANSPARENT" if event.is_cancelled else "OPAQUE")
    return component


def build_calendar(events: Iterable[Event], meta: CalendarMeta, absolute: Callable[[str], str]) -> Calendar:
    """A VCALENDAR of `events`; `absolute(path)` makes page URLs absolute."""
    events = list(events)
    calendar = Calendar()
    calendar.add("prodid", meta.prodid)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # Text values (RFC 7986 NAME, and the X-WR- names apps read): icalendar knows no type for
    # them and would write them raw, so "," ";" "\\" stay unescaped and a line break (an
    # event's summary with <br>, made a calendar's description) stops the build.
    calendar.add("name", vText(meta.name))
    calendar.add("x-wr-calname", vText(meta.name))
    calendar.add("x-wr-caldesc", vText(meta.description))
    calendar.add("x-wr-timezone", meta.timezone)
    calendar.add("refresh-interval", meta.refresh, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(meta.refresh))
    for event in events:
        calendar.add_component(vevent(event, absolute(event.url)))
    if events:
        # VTIMEZONE covering only the years the events need: small and deterministic.
        first = min(e.start.year for e in events) - 1
        last = max(e.end.year for e in events) + 2
        calendar.add_missing_timezones(first_date=date(first, 1, 1), last_date=date(last, 1, 1))
    else:
        # RFC 5545 wants at least one component: an empty agenda still names its zone.
        calendar.add_component(Timezone.from_tzid(meta.timezone, first_date=date(2019, 1, 1),
                                                  last_date=date(2040, 1, 1)))
    return calendar


def render_calendar(events: Iterable[Event], meta: CalendarMeta, absolute: Callable[[str], str]) -> bytes:
    return build_calendar(events, meta, absolute).to_ical()
