"""Calendars kept under the hash of everything they are rendered from.

icalendar builds the agenda's calendar and one per event (161 at 2,000 articles, ~0.2 s) at
every build, though an edit of an article changes none of them. The bytes of each calendar are
kept in a content-addressed store, under the sha256 of its events (every field, the body
included), its header, the site's address and the code that renders them (ical.py, model.py,
icalendar's version): the same inputs read the same bytes back; any change renders again.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from importlib.metadata import version
from pathlib import Path

from transfo_common.files import ContentStore, content_key

from . import ical
from .model import Event

KEPT_UNUSED_S = 7 * 86400  # calendars no build read for a week leave the store


@functools.cache
def _code() -> bytes:
    """The rendering code: a change in it renders again."""
    here = Path(__file__).parent
    return (here / "ical.py").read_bytes() + (here / "model.py").read_bytes() + version("icalendar").encode()


def calendar_key(events: Sequence[Event], meta: ical.CalendarMeta, absolute: Callable[[str], str]) -> str:
    return content_key("transfo_agenda calendar", _code(), repr(meta), absolute(""),
                       *(f"{event!r}\0{event.content}" for event in events))


def calendar(events: Sequence[Event], meta: ical.CalendarMeta, absolute: Callable[[str], str],
             store: ContentStore) -> bytes:
    """`ical.render_calendar`, read from `store` when it holds the calendar of exactly these
    inputs, else rendered and kept there (a damaged entry is rendered again and replaced)."""
    key = calendar_key(events, meta, absolute)
    data = store.get(key)
    if data is None or not (data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")):
        data = ical.render_calendar(events, meta, absolute)
        store.put(key, data)
    return data
