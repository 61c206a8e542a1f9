"""The publication plugin's settings, read and validated in one place."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timezone, tzinfo
from zoneinfo import ZoneInfo

from transfo_common.config import (
    NOW_SETTING,
    POSITIVE,
    RESOLVED_NOW,
    RUBRICS,
    TIMEZONE,
    Setting,
    checked_values,
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
    now_pinned: bool  # TRANSFO_NOW (or --now) fixes another day than today; otherwise it is today's
    rubrics: tuple[str, ...]
    home_featured: int
    home_per_rubric: int
    words_per_minute: int


# The build date typed after --now (docs/publication.md); the words mean "this minute".
NOW_WORDS = ("aujourd'hui", "aujourd’hui", "today")
NOW_EXPECTED = "AAAA-MM-JJ, AAAA-MM-JJTHH:MM, aujourd'hui ou today"
FIRST_YEAR, LAST_YEAR = 1900, 2100  # as content dates (transfo_validation.fields)


class NowError(ValueError):
    """A build date that is not one of the accepted forms; the message is for editors, in French."""


def now_option(text: str, clock: Callable[[tzinfo], datetime] = datetime.now) -> str:
    """The value of `--now` as TRANSFO_NOW takes it, checked once for every task.

    `YYYY-MM-DD` and `YYYY-MM-DDTHH:MM` are kept as typed; the words become
    the current minute with its UTC offset, so that a build of today is never
    mistaken for yesterday's by the records of transfo_perf. Raises NowError.
    """
    text = str(text).strip()
    if text.lower() in NOW_WORDS:
        return clock(timezone.utc).isoformat(timespec="minutes")
    if _with_offset(text) is None:
        _wall_clock(text)
    return text


def _with_offset(text: str) -> datetime | None:
    """An ISO time with its UTC offset (what `now_option` makes of the words), else None."""
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _wall_clock(text: str) -> datetime:
    """`YYYY-MM-DD` (the end of that day) or `YYYY-MM-DDTHH:MM`, naive; years bounded."""
    try:
        if len(text) == 10:
            moment = datetime.combine(datetime.strptime(text, "%Y-%m-%d").date(), time(23, 59, 59))
        else:
            moment = datetime.strptime(text.replace(" ", "T", 1), "%Y-%m-%dT%H:%M")
    except ValueError:
        raise NowError(f"« {text} » n'est pas une date ; attendu : {NOW_EXPECTED}") from None
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise NowError(f"« {text} » : année {moment.year} hors limites ; attendu : une année de "
                       f"{FIRST_YEAR} à {LAST_YEAR}")
    return moment


def parse_now(value: object, tz: ZoneInfo, clock: Callable[[tzinfo], datetime] = datetime.now) -> datetime:
    """The build date as an aware datetime.

    A bare date means the end of that day, so everything dated that day is
    published, as it would be by a rebuild late that evening. Besides the
    forms of `now_option`, an ISO time with its offset (what the words become).
    """
    if value in (None, ""):
        return clock(tz)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    text = str(value).strip()
    aware = _with_offset(text)
    if aware is not None:
        return aware.astimezone(tz)
    try:
        return _wall_clock(text).replace(tzinfo=tz)
    except NowError as error:
        raise PublicationSettingsError(f"TRANSFO_NOW: {error}") from None


def build_now(settings: dict) -> datetime:
    """The build's date: the one resolved at `initialized` (transfo_config), else TRANSFO_NOW's."""
    if RESOLVED_NOW in settings:
        return settings[RESOLVED_NOW]
    return parse_now(NOW_SETTING.value(settings), ZoneInfo(TIMEZONE.value(settings)))


def pinned_to_another_day(value: object, now: datetime, tz: tzinfo,
                          clock: Callable[[tzinfo], datetime] = datetime.now) -> bool:
    """Whether TRANSFO_NOW fixes the build to a day other than today: `--now aujourd'hui`, or
    the date `invoke publish` retains (today's midnight or later), is today's date, not a fixed one."""
    return value not in (None, "") and now.astimezone(tz).date() != clock(tz).date()


def read_settings(settings: dict, clock: Callable[[tzinfo], datetime] = datetime.now) -> PublicationSettings:
    merged = checked_values(settings, SETTINGS, PublicationSettingsError)
    now = build_now(settings)
    return PublicationSettings(
        now=now,
        now_pinned=pinned_to_another_day(NOW_SETTING.value(settings), now,
                                         ZoneInfo(TIMEZONE.value(settings)), clock),
        rubrics=tuple(RUBRICS.value(settings)),
        home_featured=merged["TRANSFO_HOME_FEATURED"],
        home_per_rubric=merged["TRANSFO_HOME_PER_RUBRIC"],
        words_per_minute=merged["TRANSFO_WORDS_PER_MINUTE"],
    )
