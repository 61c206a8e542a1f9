"""The related-reading plugin's settings, read and validated in one place."""

from __future__ import annotations

from dataclasses import dataclass

from transfo_common.config import COUNT, Setting, checked_values

MAX = Setting("TRANSFO_RELATED_MAX", 3, COUNT, "Articles de « À lire aussi » sous chaque article.")
SETTINGS = (MAX,)


class RelatedSettingsError(ValueError):
    """A related-reading setting has the wrong shape; the message names the key."""


@dataclass(frozen=True)
class RelatedSettings:
    limit: int


def read_settings(settings: dict) -> RelatedSettings:
    return RelatedSettings(limit=checked_values(settings, SETTINGS, RelatedSettingsError)[MAX.name])
