"""Dates and times in the site's locale, through Babel.

Pelican's own date formatting goes through strftime and the system locale;
a fresh machine has no French locale, so every date the site shows is
formatted here instead.
"""

from __future__ import annotations

from datetime import date, datetime, time, tzinfo

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
    """`14 novembre 2019`; the first of a month is written `1er` in French."""
    pattern = DATE_FORMATS.get(style, style)
    day = value.day
    text = babel_format_date(value, pattern, locale=locale)
    if day == 1 and locale.startswith("fr") and pattern.startswith(("d ", "EEEE d ")):
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
