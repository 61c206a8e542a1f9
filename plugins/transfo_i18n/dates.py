"""Dates and times in the site's locale, through Babel.

Pelican's own date formatting goes through strftime and the system locale;
a fresh machine has no French locale, so every date the site shows is
formatted here instead.
"""

from __future__ import annotations

from datetime import date, datetime, time, tzinfo
from functools import lru_cache

from babel.dates import format_date as babel_format_date

# Named formats, so templates say what they mean rather than a CLDR pattern.
DATE_FORMATS = {
    "long": "d MMMM y",  # 14 novembre 2019
    "full": "EEEE d MMMM y",  # jeudi 14 novembre 2019
    "short": "dd/MM/y",  # 14/11/2019
    "month": "MMMM y",  # novembre 2019
    "day_month": "d MMMM",  # 14 novembre
}


def to_local(value: datetime, tz: tzinfo) -> datetime:
    """Aware datetime in the site's zone; naive values are taken as local."""
    if value.tzinfo is None:
        return value.replace(tzinfo=tz)
    return value.astimezone(tz)


def format_date(value: date | datetime, style: str = "long", locale: str = "fr_BE") -> str:
    """`14 novembre 2019`; the first of a month is written `1er` in French.

    Only the calendar day of `value` is shown (Babel formats a datetime's
    `.date()`), so the memo is keyed by that day, never by the datetime itself:
    two aware datetimes at the same instant in different zones compare equal
    but can fall on different days.
    """
    day = date(value.year, value.month, value.day)
    return _format_day(day, DATE_FORMATS.get(style, style), locale)


@lru_cache(maxsize=32768)
def _format_day(day: date, pattern: str, locale: str) -> str:
    """Pure: the same day, pattern and locale always give the same text (a site
    builds tens of thousands of dates over a few thousand distinct days)."""
    text = babel_format_date(day, pattern, locale=locale)
    if day.day == 1 and locale.startswith("fr") and pattern.startswith(("d ", "EEEE d ")):
        text = text.replace("1 ", "1er ", 1)
    return text


def format_time(value: time | datetime, locale: str = "fr_BE") -> str:
    """French typography writes times as `9 h 30`, `14 h`."""
    if locale.startswith("fr"):
        if value.minute:
            return f"{value.hour}\u00a0h\u00a0{value.minute:02d}"
        return f"{value.hour}\u00a0h"
    return f"{value.hour}:{value.minute:02d}"


def format_datetime(value: datetime, tz: tzinfo, locale: str = "fr_BE") -> str:
    """`jeudi 14 novembre 2019, 9 h 30` in the site's zone."""
    local = to_local(value, tz)
    return f"{format_date(local, 'full', locale)}, {format_time(local, locale)}"


def isoformat(value: date | datetime, tz: tzinfo) -> str:
    """Machine-readable value for `<time datetime>` and structured data."""
    if isinstance(value, datetime):
        return to_local(value, tz).isoformat(timespec="seconds")
    return value.isoformat()


# Date ranges (agenda). Appended: the functions above are unchanged.


def _day_label(value: date, style: str, locale: str) -> str:
    return format_date(value, style, locale)


def format_day_range(first: date, last: date, locale: str = "fr_BE") -> str:
    """Whole days: `dimanche 6 octobre 2019`, `du 5 au 6 octobre 2019`,
    `du 30 novembre au 2 décembre 2019`, `du 30 décembre 2019 au 2 janvier 2020`."""
    if last < first:
        raise ValueError(f"range ends ({last}) before it starts ({first})")
    if first == last:
        return _day_label(first, "full", locale)
    if not locale.startswith("fr"):
        return f"{_day_label(first, 'long', locale)} – {_day_label(last, 'long', locale)}"
    if (first.year, first.month) == (last.year, last.month):
        start = "1er" if first.day == 1 else str(first.day)
        return f"du {start} au {_day_label(last, 'long', locale)}"
    if first.year == last.year:
        return f"du {_day_label(first, 'day_month', locale)} au {_day_label(last, 'long', locale)}"
    return f"du {_day_label(first, 'long', locale)} au {_day_label(last, 'long', locale)}"


def format_datetime_range(start: datetime, end: datetime | None, tz: tzinfo,
                          locale: str = "fr_BE") -> str:
    """Timed ranges in the site's zone: `jeudi 14 novembre 2019, 9 h 30 – 12 h`;
    over several days `du 14 novembre 2019, 9 h 30 au 15 novembre 2019, 17 h`;
    without an end (or end == start) `jeudi 14 novembre 2019, 9 h 30`."""
    first = to_local(start, tz)
    if end is None or end == start:
        return format_datetime(first, tz, locale)
    last = to_local(end, tz)
    if last < first:
        raise ValueError(f"range ends ({last}) before it starts ({first})")
    if first.date() == last.date():
        return f"{format_datetime(first, tz, locale)}\u00a0– {format_time(last, locale)}"
    if not locale.startswith("fr"):
        return f"{format_datetime(first, tz, locale)} – {format_datetime(last, tz, locale)}"
    return (f"du {format_date(first, 'long', locale)}, {format_time(first, locale)} "
            f"au {format_date(last, 'long', locale)}, {format_time(last, locale)}")


def format_date_range(start: date | datetime, end: date | datetime | None, tz: tzinfo,
                      all_day: bool = False, locale: str = "fr_BE") -> str:
    """One label for an event's dates; `all_day` ranges name whole days (end inclusive), and
    so do plain dates, which have no time to show."""
    if all_day or not isinstance(start, datetime) or (end is not None and not isinstance(end, datetime)):
        first = to_local(start, tz).date() if isinstance(start, datetime) else start
        last_value = end if end is not None else start
        last = to_local(last_value, tz).date() if isinstance(last_value, datetime) else last_value
        return format_day_range(first, last, locale)
    return format_datetime_range(start, end, tz, locale)
