"""The build date of a publish: the real clock, moved back to the last moment the site could change.

Pages depend on the build date only through comparisons with dates the content
gives (a scheduled article's `Date`, an event's start and end, an offer's
deadline) and through the day itself (« dans 3 jours », the past month's
newsletter). Between two such moments every build date gives the same bytes,
so publishing pins the date to the latest one at or before the clock: two
publishes on the same day with no date crossed build with the same date, and
the build's records (transfo_perf) let the second reuse the first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path

# A date, with its time when given, in any header line (`Date:`, `Fin:`, `Échéance:`...).
_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}))?")
MINUTE = timedelta(minutes=1)
FORMAT = "%Y-%m-%dT%H:%M"  # what `--now` and TRANSFO_NOW take


def header_lines(text: str) -> Iterable[str]:
    """The header of a Markdown content file: the lines before the first blank one."""
    for line in text.splitlines():
        if not line.strip():
            return
        yield line


def moments(text: str, tz: tzinfo) -> set[datetime]:
    """Every moment at which a comparison with one date of this header can change its answer.

    A time is compared as given or a minute later (`<` or `<=`); a bare date at
    the start of its day, its last minute, or the next day's start.
    """
    found = set()
    for line in header_lines(text):
        for year, month, day, hour, minute in _DATE.findall(line):
            try:
                day_start = datetime.combine(date(int(year), int(month), int(day)), time(), tz)
            except ValueError:
                continue  # not a date: the content check names the field
            if hour:
                at = day_start.replace(hour=min(int(hour), 23), minute=min(int(minute), 59))
                found |= {at, at + MINUTE}
            else:
                found |= {day_start, day_start + timedelta(days=1) - MINUTE, day_start + timedelta(days=1)}
    return found


def effective_now(content: Path, tz: tzinfo, clock: datetime) -> datetime:
    """The latest moment, at or before `clock`, at which the content's dates or the day change."""
    today = datetime.combine(clock.astimezone(tz).date(), time(), tz)
    latest = today
    for path in Path(content).rglob("*.md"):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # the build reports the file
        for moment in moments(text, tz):
            if latest < moment <= clock:
                latest = moment
    return latest


def now_text(moment: datetime, tz: tzinfo) -> str:
    """`--now`'s form of a moment, in the site's zone (minutes: every moment above is whole)."""
    return moment.astimezone(tz).strftime(FORMAT)
