"""The i18n plugin's settings, read and validated in one place."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from transfo_common.config import LOCALE_SETTING, PATH, TIMEZONE, Setting, optional

TRANSLATIONS_PATH = Setting("TRANSFO_TRANSLATIONS_PATH", None, optional(PATH, "<THEME>/translations"),
                            "Dossier des catalogues de traduction des textes du site.")
SETTINGS = (TRANSLATIONS_PATH,)


class I18nSettingsError(ValueError):
    """A TRANSFO_LOCALE / TIMEZONE / TRANSFO_TRANSLATIONS_PATH value is wrong."""


@dataclass(frozen=True)
class I18nSettings:
    locale: str
    timezone: ZoneInfo
    translations_path: Path


def read_settings(settings: dict) -> I18nSettings:
    locale = LOCALE_SETTING.value(settings)
    try:
        Locale.parse(locale)
    except (UnknownLocaleError, ValueError, TypeError):
        raise I18nSettingsError(
            f"TRANSFO_LOCALE: expected a Babel locale such as 'fr_BE', got {locale!r}"
        ) from None
    tz_name = TIMEZONE.value(settings)
    try:
        timezone = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise I18nSettingsError(
            f"TIMEZONE: expected an IANA zone such as 'Europe/Brussels', got {tz_name!r}"
        ) from None
    theme = Path(settings.get("THEME", "theme"))
    translations = Path(TRANSLATIONS_PATH.value(settings) or theme / "translations")
    return I18nSettings(locale=locale, timezone=timezone, translations_path=translations)
