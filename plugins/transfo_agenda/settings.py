"""The agenda plugin's settings, read and validated in one place."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from transfo_common.config import (
    COUNT,
    FOLDER_URL,
    LOCALE_SETTING,
    TEXT_LIST,
    TIMEZONE,
    Setting,
    checked_values,
    defaults,
    file_name,
)
from transfo_common.urls import public_url

SETTINGS = (
    Setting("TRANSFO_AGENDA_PATHS", ("agenda",), TEXT_LIST,
            "Dossiers des fichiers d’événements, dans le dossier des contenus."),
    Setting("TRANSFO_AGENDA_URL", "agenda/", FOLDER_URL, "Page de l’agenda ; les événements sont publiés sous elle."),
    Setting("TRANSFO_AGENDA_HOME_COUNT", 3, COUNT, "Nombre de « Prochains événements » sur la page d’accueil."),
    Setting("TRANSFO_AGENDA_ICS_PAST_DAYS", 90, COUNT,
            "Le calendrier auquel on s’abonne garde les événements passés depuis ce nombre de jours."),
    Setting("TRANSFO_AGENDA_CALENDAR_FILE", "transfo-agenda.ics", file_name(".ics"),
            "Nom du calendrier iCalendar de tout l’agenda, sous TRANSFO_AGENDA_URL."),
    Setting("TRANSFO_AGENDA_NAV_ORDER", 60, COUNT, "Place de « Agenda » dans le menu principal."),
)
DEFAULTS = defaults(SETTINGS)


class AgendaSettingsError(ValueError):
    """An agenda setting has the wrong shape; the message names the key."""


@dataclass(frozen=True)
class AgendaSettings:
    paths: tuple[str, ...]
    url: str  # "agenda/"
    home_count: int
    ics_past_days: int
    calendar_file: str
    nav_order: int
    timezone: ZoneInfo
    locale: str
    site_name: str
    public_url: str  # "https://host/path", no trailing slash
    domain: str  # host of PUBLIC_URL, for iCalendar UIDs

    @property
    def calendar_path(self) -> str:
        return f"{self.url}{self.calendar_file}"

    def event_url(self, slug: str) -> str:
        return f"{self.url}{slug}/"

    def event_ics_path(self, slug: str) -> str:
        return f"{self.url}{slug}/{slug}.ics"

    def archive_url(self, year: int | None = None) -> str:
        return f"{self.url}archives/" + (f"{year}/" if year else "")


def read_settings(settings: dict) -> AgendaSettings:
    merged = checked_values(settings, SETTINGS, AgendaSettingsError)
    base = public_url(settings)
    return AgendaSettings(
        paths=tuple(merged["TRANSFO_AGENDA_PATHS"]),
        url=merged["TRANSFO_AGENDA_URL"],
        home_count=merged["TRANSFO_AGENDA_HOME_COUNT"],
        ics_past_days=merged["TRANSFO_AGENDA_ICS_PAST_DAYS"],
        calendar_file=merged["TRANSFO_AGENDA_CALENDAR_FILE"],
        nav_order=merged["TRANSFO_AGENDA_NAV_ORDER"],
        timezone=ZoneInfo(TIMEZONE.value(settings)),
        locale=LOCALE_SETTING.value(settings),
        site_name=settings.get("SITENAME", "Transfo"),
        public_url=base,
        domain=urlparse(base).hostname or "localhost",
    )
