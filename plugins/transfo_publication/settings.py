"""The publication plugin's settings, read and validated in one place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from transfo_common.config import (
    NOW_SETTING, POSITIVE, RESOLVED_NOW, RUBRICS, TIMEZONE, Setting, checked_values,
)

SETTINGS = (
    Setting("TRANSFO_HOME_FEATURED", 3, POSITIVE, "Articles à la une sur la page d’accueil."),
    Setting("TRANSFO_HOME_PER_RUBRIC", 4, POSITIVE, "Articles par rubrique sur la page d’accueil."),
    Setting("TRANSFO_WORDS_PER_MINUTE", 230, POSITIVE, "Vitesse de lecture, pour le temps de lecture affiché."),
)


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


def build_now(settings: dict) -> datetime:
    """The build's date: the one resolved at `initialized` (transfo_config), else TRANSFO_NOW's."""
    if RESOLVED_NOW in settings:
        return settings[RESOLVED_NOW]
    return parse_now(NOW_SETTING.value(settings), ZoneInfo(TIMEZONE.value(settings)))


def read_settings(settings: dict) -> PublicationSettings:
    merged = checked_values(settings, SETTINGS, PublicationSettingsError)
    return PublicationSettings(
        now=build_now(settings),
        now_pinned=NOW_SETTING.value(settings) not in (None, ""),
        rubrics=tuple(RUBRICS.value(settings)),
        home_featured=merged["TRANSFO_HOME_FEATURED"],
        home_per_rubric=merged["TRANSFO_HOME_PER_RUBRIC"],
        words_per_minute=merged["TRANSFO_WORDS_PER_MINUTE"],
    )
