"""Events as plain data, and the pure logic of the agenda: what is upcoming, grouping, links."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from decimal import Decimal
from itertools import groupby
from typing import Any
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from transfo_i18n.dates import format_date, format_date_range
from transfo_i18n.numbers import euros

# Event has a field named `date`, which hides the type inside the class body.
CalendarDay = date

# schema.org vocabulary for the statuses editors type.
EVENT_STATUS = {
    "planned": "EventScheduled",
    "cancelled": "EventCancelled",
    "postponed": "EventPostponed",
    "moved-online": "EventMovedOnline",
}
# Google Calendar's link makes a new, confirmed event that no later change reaches: offered only
# for an event that takes place (not a cancelled one, nor one postponed to a date not known yet).
ADDABLE_STATUSES = ("planned", "moved-online")
SEQUENCE_EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)
_TAGS = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(p|li|h[1-6]|blockquote|div|tr)>|<br\s*/?>", re.IGNORECASE)
# A link as Markdown writes it: <a href="https://…">its words</a>.
_LINK = re.compile(r"""<a\s[^>]*?\bhref=(["'])((?:https?|mailto):[^"']*)\1[^>]*>(.*?)</a>""",
                   re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Event:
    """One public event, as templates, feeds and other plugins (newsletter) see it.

    `start` and `end` are aware datetimes in the site's zone. For whole days,
    `start` is midnight of the first day and `end` 23:59:59 of the last day
    (inclusive), so `end.date()` is the last day.
    """

    title: str
    slug: str
    uid: str  # "slug@domain", stable when the title changes
    url: str  # "agenda/slug/"
    ics_url: str  # "agenda/slug/slug.ics"
    source_path: str
    start: datetime
    end: datetime
    all_day: bool
    has_end: bool  # False: a timed event given without an end time
    status: str  # planned, cancelled, postponed, moved-online
    when: str  # "du 5 au 6 octobre 2019", "jeudi 14 novembre 2019, 9 h 30 – 12 h"
    date: datetime  # announcement
    modified: datetime | None
    organiser: str
    summary: str  # plain text
    summary_html: str
    venue: str = ""
    address: str = ""
    postal_code: str = ""
    town: str = ""
    country: str = "BE"
    online_url: str = ""
    organiser_url: str = ""
    price: Decimal | None = None
    price_text: str = ""  # "10 000 €", "12,50 €"; "" when free or not given
    registration_url: str = ""
    image: str = ""
    image_alt: str = ""
    image_credit: str = ""
    tags: tuple[str, ...] = ()
    source_timezone: str = "Europe/Brussels"
    map_url: str = ""
    google_calendar_url: str = ""
    sequence: int = 0
    source: Any = field(default=None, repr=False, compare=False)  # the Pelican page of the event file

    @property
    def content(self) -> str:
        """The HTML body, read from the page when shown: a preview that swaps in a new body
        (transfo_perf) is then shown it, and knows which pages show it."""
        return self.source.content if self.source is not None else ""

    @property
    def over_at(self) -> datetime:
        """The last moment the event counts as « à venir »: its end; for a timed event given without
        an end, the end of its day (a talk at 9 h is still on at 10 h, when its page would
        otherwise say it took place). The publish's build date (transfo_quality.schedule) already
        moves at each day's start."""
        if self.has_end or self.all_day:
            return self.end
        next_day = datetime.combine(self.start.date() + timedelta(days=1), time(), self.start.tzinfo)
        return next_day - timedelta(microseconds=1)

    @property
    def free(self) -> bool:
        return self.price is not None and self.price == 0

    @property
    def is_online(self) -> bool:
        return bool(self.online_url)

    @property
    def is_onsite(self) -> bool:
        return bool(self.venue or self.address or self.town) and self.status != "moved-online"

    @property
    def attendance(self) -> str:
        """offline, online or mixed (schema.org's EventAttendanceMode names)."""
        if self.is_online and self.is_onsite:
            return "mixed"
        return "online" if self.is_online else "offline"

    @property
    def is_cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def first_day(self) -> CalendarDay:
        return self.start.date()

    @property
    def last_day(self) -> CalendarDay:
        return self.end.date()

    @property
    def place(self) -> str:
        """`Venue, Address, 5000 Namur` for lists and LOCATION."""
        town = " ".join(part for part in (self.postal_code, self.town) if part)
        return ", ".join(part for part in (self.venue, self.address, town) if part)

    @property
    def place_short(self) -> str:
        return ", ".join(part for part in (self.venue, self.town) if part)

    @property
    def month_key(self) -> tuple[int, int]:
        return (self.start.year, self.start.month)


def aware_bounds(start: date | datetime, end: date | datetime | None, source_tz: tzinfo,
                 site_tz: tzinfo) -> tuple[datetime, datetime, bool, bool]:
    """(start, end, all_day, has_end) in the site's zone, from the values editors typed."""
    if not isinstance(start, datetime):
        last = end if end is not None else start
        first_dt = datetime.combine(start, time(0, 0), tzinfo=site_tz)
        last_dt = datetime.combine(last, time(23, 59, 59), tzinfo=site_tz)
        return first_dt, last_dt, True, True
    first_dt = start.replace(tzinfo=source_tz).astimezone(site_tz)
    if end is None:
        return first_dt, first_dt, False, False
    assert isinstance(end, datetime), "the schema refuses a whole-day end after a timed start"
    return first_dt, end.replace(tzinfo=source_tz).astimezone(site_tz), False, True


def sequence_from(modified: datetime | None) -> int:
    """iCalendar SEQUENCE: 0 until the event is modified, then minutes from 2000 to Modified.

    Stable between builds (it depends only on the file) and increasing each
    time an editor moves Modified forward, which is what calendar clients
    compare to replace their copy.
    """
    if modified is None:
        return 0
    return max(0, int((modified - SEQUENCE_EPOCH).total_seconds() // 60))


def _link_with_address(match: re.Match[str]) -> str:
    """`le programme (https://…)`; a link whose words are its address stays as it is."""
    address, words = match.group(2), match.group(3)
    shown = html.unescape(_TAGS.sub("", words)).strip()
    if shown in (html.unescape(address), html.unescape(address).removeprefix("mailto:")):
        return words
    return f"{words} ({address.removeprefix('mailto:')})"


def html_to_text(markup: str, keep_links: bool = False) -> str:
    """Plain text of an HTML fragment, paragraphs separated by a blank line.

    `keep_links`: each web or e-mail link keeps its address after its words, for a text
    read where nothing can be clicked through to it (a calendar's DESCRIPTION)."""
    text = _LINK.sub(_link_with_address, markup or "") if keep_links else markup or ""
    text = _BLOCK_END.sub("\n\n", text)
    text = html.unescape(_TAGS.sub("", text)).replace("\u202f", " ").replace("\u00a0", " ")
    paragraphs = [" ".join(chunk.split()) for chunk in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paragraphs if p)


def calendar_location(event: Event) -> str:
    """LOCATION of a calendar entry: the place, the link, or both ("… et en ligne"); an event
    moved online is at its link only, never at the place it has left."""
    place = event.place if event.is_onsite else ""
    if place and event.online_url:
        return f"{place} et en ligne"
    return place or event.online_url


def map_link(venue: str, address: str, postal_code: str, town: str, country: str) -> str:
    """A plain OpenStreetMap search link (no embed, no tracking)."""
    query = ", ".join(part for part in (address, " ".join(p for p in (postal_code, town) if p), country) if part)
    if not (address or town):
        return ""
    if not address and venue:
        query = f"{venue}, {query}"
    return "https://www.openstreetmap.org/search?" + urlencode({"query": query}, quote_via=quote)


def google_calendar_link(event_title: str, start: datetime, end: datetime, all_day: bool,
                         details: str, location: str, tz_name: str) -> str:
    """Google Calendar's "add event" template link."""
    if all_day:
        dates = f"{start:%Y%m%d}/{(end.date() + timedelta(days=1)):%Y%m%d}"
    else:
        utc = ZoneInfo("UTC")
        dates = f"{start.astimezone(utc):%Y%m%dT%H%M%SZ}/{end.astimezone(utc):%Y%m%dT%H%M%SZ}"
    params = {"action": "TEMPLATE", "text": event_title, "dates": dates, "details": details,
              "location": location, "ctz": tz_name}
    return "https://calendar.google.com/calendar/render?" + urlencode(
        {k: v for k, v in params.items() if v}, quote_via=quote
    )


def month_label(year: int, month: int, locale: str) -> str:
    return format_date(date(year, month, 1), "month", locale)


def split_by_now(events: Sequence[Event], now: datetime) -> tuple[list[Event], list[Event]]:
    """(upcoming, past): an event is upcoming until it is over (`Event.over_at`; ongoing counts)."""
    upcoming = [e for e in events if e.over_at >= now]
    past = [e for e in events if e.over_at < now]
    return upcoming, past


def in_calendar_feed(events: Iterable[Event], now: datetime, past_days: int) -> list[Event]:
    """Upcoming events and those ended within `past_days`, for the subscribable calendar."""
    horizon = now - timedelta(days=past_days)
    return [e for e in events if e.over_at >= horizon]


def group_by_month(events: Iterable[Event], locale: str) -> list[tuple[str, int, int, list[Event]]]:
    """[(label, year, month, events)] in date order: "novembre 2019"..."""
    rows = []
    for (year, month), items in groupby(sorted(events, key=sort_key), key=lambda e: e.month_key):
        rows.append((month_label(year, month, locale), year, month, list(items)))
    return rows


def group_by_year(events: Iterable[Event]) -> dict[int, list[Event]]:
    """{year: events, newest first} for the archive, years newest first."""
    years: dict[int, list[Event]] = {}
    for event in sorted(events, key=sort_key, reverse=True):
        years.setdefault(event.start.year, []).append(event)
    return dict(sorted(years.items(), reverse=True))


def sort_key(event: Event) -> tuple[datetime, datetime, str]:
    return (event.start, event.end, event.slug)


def when_label(start: datetime, end: datetime, all_day: bool, has_end: bool, tz: tzinfo,
               locale: str) -> str:
    return format_date_range(start, end if has_end else None, tz, all_day=all_day, locale=locale)


def make_event(values: dict, *, source_path: str, url: str, ics_url: str, uid_domain: str,
               site_tz: ZoneInfo, locale: str) -> Event:
    """An Event from an event file's typed values (as the validation schema parses them).

    `values` holds `title`, `start`, `end` (date or naive datetime), `date` and
    `modified` (aware), `summary_html`, `source` (what gives the `content`, the HTML body),
    `slug` (already resolved) and
    the optional fields of the schema under their lower-case names.
    """
    source_tz = ZoneInfo(values.get("timezone") or site_tz.key)
    start, end, all_day, has_end = aware_bounds(values["start"], values.get("end"), source_tz, site_tz)
    status = values.get("status") or "planned"
    if status == "published":  # publié (the default status): the event takes place as planned
        status = "planned"
    slug = values["slug"]
    summary = html_to_text(values.get("summary_html", "")) or values.get("summary", "")
    venue, address = values.get("venue", ""), values.get("address", "")
    postal_code, town = values.get("postal_code", ""), values.get("town", "")
    country = values.get("country") or "BE"
    place = ", ".join(p for p in (venue, address, " ".join(x for x in (postal_code, town) if x)) if p)
    if status == "moved-online":  # the place it has left is nowhere to go to
        place = ""
    online_url = values.get("online_url", "")
    modified = values.get("modified")
    return Event(
        title=values["title"],
        slug=slug,
        uid=f"{values.get('uid') or slug}@{uid_domain}",
        url=url,
        ics_url=ics_url,
        source_path=source_path,
        start=start,
        end=end,
        all_day=all_day,
        has_end=has_end,
        status=status,
        when=when_label(start, end, all_day, has_end, site_tz, locale),
        date=values["date"],
        modified=modified,
        organiser=values["organiser"],
        summary=summary,
        summary_html=values.get("summary_html", ""),
        source=values.get("source"),
        venue=venue,
        address=address,
        postal_code=postal_code,
        town=town,
        country=country,
        online_url=online_url,
        organiser_url=values.get("organiser_url", ""),
        price=values.get("price"),
        price_text=euros(values["price"], locale) if values.get("price") else "",
        registration_url=values.get("registration", ""),
        image=values.get("image", ""),
        image_alt=values.get("image_alt", ""),
        image_credit=values.get("image_credit", ""),
        tags=tuple(values.get("tags") or ()),
        source_timezone=source_tz.key,
        map_url=map_link(venue, address, postal_code, town, country) if status != "moved-online" else "",
        google_calendar_url=google_calendar_link(
            values["title"], start, end, all_day, summary,
            place or online_url, site_tz.key,
        ) if status in ADDABLE_STATUSES else "",
        sequence=sequence_from(modified),
    )
