"""The publication plugin's settings, read and validated in one place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

DEFAULTS = {
    "TRANSFO_NOW": None,  # None: the real clock; "2019-11-30" pins the build date
    "TRANSFO_RUBRICS": ("Actualités", "Analyses", "Portraits", "Dossiers"),
    "TRANSFO_HOME_FEATURED": 3,
    "TRANSFO_HOME_PER_RUBRIC": 4,
    "TRANSFO_WORDS_PER_MINUTE": 230,
}


class PublicationSettingsError(ValueError):
    """A publication setting has the wrong shape; the message names the key."""


@dataclass(frozen=True)
class PublicationSettings:
    now: datetime
    now_pinned: bool  # TRANSFO_NOW (or --now) fixes the date; otherwise it is the real clock's
    rubrics: tuple[str, ...]
    home_featured: int
    home_per_rubric: int
    words_per_minute: int


def parse_now(value, tz: ZoneInfo, clock=datetime.now) -> datetime:
    """The build date as an aware datetime.

    A bare date means the end of that day, so everything dated that day is
    published, as it would be by a rebuild late that evening.
    """
    if value in (None, ""):
        return clock(tz)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    text = str(value).strip()
    try:
        if len(text) == 10:
            day = datetime.strptime(text, "%Y-%m-%d").date()
            return datetime.combine(day, time(23, 59, 59), tzinfo=tz)
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise PublicationSettingsError(
            f"TRANSFO_NOW: expected a date YYYY-MM-DD or YYYY-MM-DDTHH:MM, got {value!r}"
        ) from None
    return parsed.astimezone(tz) if parsed.tzinfo else parsed.replace(tzinfo=tz)


def read_settings(settings: dict) -> PublicationSettings:
    merged = {**DEFAULTS, **{k: settings[k] for k in DEFAULTS if k in settings}}
    tz = ZoneInfo(settings.get("TIMEZONE") or "Europe/Brussels")
    for key in ("TRANSFO_HOME_FEATURED", "TRANSFO_HOME_PER_RUBRIC", "TRANSFO_WORDS_PER_MINUTE"):
        if not isinstance(merged[key], int) or merged[key] < 1:
            raise PublicationSettingsError(f"{key}: expected a positive integer, got {merged[key]!r}")
    return PublicationSettings(
        now=parse_now(merged["TRANSFO_NOW"], tz),
        now_pinned=merged["TRANSFO_NOW"] not in (None, ""),
        rubrics=tuple(merged["TRANSFO_RUBRICS"]),
        home_featured=merged["TRANSFO_HOME_FEATURED"],
        home_per_rubric=merged["TRANSFO_HOME_PER_RUBRIC"],
        words_per_minute=merged["TRANSFO_WORDS_PER_MINUTE"],
    )
