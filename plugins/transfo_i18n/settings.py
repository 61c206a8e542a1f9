"""The i18n plugin's settings, read and validated in one place."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from transfo_common.config import LOCALE_SETTING, PATH, TIMEZONE, Setting, checked_values, optional

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
    merged = checked_values(settings, (LOCALE_SETTING, TIMEZONE, *SETTINGS), I18nSettingsError)
    theme = Path(settings.get("THEME", "theme"))
    translations = Path(merged[TRANSLATIONS_PATH.name] or theme / "translations")
    return I18nSettings(locale=merged[LOCALE_SETTING.name], timezone=ZoneInfo(merged[TIMEZONE.name]),
                        translations_path=translations)
