"""The feeds plugin's settings, read and validated in one place."""

from __future__ import annotations

from dataclasses import dataclass

from transfo_common.config import LOCALE_SETTING, NAME, POSITIVE, Setting, checked_values
from transfo_common.urls import public_url

MAX_ITEMS = Setting("TRANSFO_FEED_MAX_ITEMS", 30, POSITIVE, "Nombre d’articles de chaque flux Atom.")
FOLDER = Setting("TRANSFO_FEED_FOLDER", "feeds", NAME, "Dossier des flux dans le site construit.")
SETTINGS = (MAX_ITEMS, FOLDER)


class FeedSettingsError(ValueError):
    """A feed setting has the wrong shape; the message names the key."""


@dataclass(frozen=True)
class FeedSettings:
    public_url: str
    site_name: str
    language: str
    max_items: int
    folder: str


def read_settings(settings: dict) -> FeedSettings:
    merged = checked_values(settings, SETTINGS, FeedSettingsError)
    return FeedSettings(
        public_url=public_url(settings),
        site_name=settings.get("SITENAME", "Transfo"),
        language=LOCALE_SETTING.value(settings).replace("_", "-"),
        max_items=merged[MAX_ITEMS.name],
        folder=merged[FOLDER.name].strip("/"),
    )
