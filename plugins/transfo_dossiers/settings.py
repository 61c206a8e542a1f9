"""The dossiers plugin's settings, read and validated in one place."""

from __future__ import annotations

from dataclasses import dataclass
from transfo_common.config import COUNT, NAME, TEXT, Setting, defaults, read_values

SETTINGS = (
    Setting("TRANSFO_DOSSIERS_PATH", "dossiers", NAME, "Dossier des déclarations de dossiers, dans le dossier des contenus."),
    Setting("TRANSFO_DOSSIERS_URL", "dossiers/", NAME,
            "Page d’index des dossiers ; chaque dossier a sa page sous elle (<url><slug>/)."),
    Setting("TRANSFO_DOSSIERS_RUBRIC", "Dossiers", TEXT,
            "La rubrique dont l’entrée du menu est remplacée par l’index des dossiers (\"\" : aucune)."),
    Setting("TRANSFO_DOSSIERS_NAV_LABEL", "Dossiers", NAME, "Libellé de l’index des dossiers dans le menu."),
    Setting("TRANSFO_DOSSIERS_HOME_LIMIT", 2, COUNT, "Dossiers en cours montrés sur la page d’accueil."),
)
DEFAULTS = defaults(SETTINGS)


class DossiersSettingsError(ValueError):
    """A dossiers setting has the wrong shape; the message names the key."""


@dataclass(frozen=True)
class DossiersSettings:
    path: str
    url: str
    rubric: str
    nav_label: str
    home_limit: int

    def landing_url(self, slug: str) -> str:
        return f"{self.url}{slug}/"


def read_settings(settings: dict) -> DossiersSettings:
    merged = read_values(settings, SETTINGS)
    for key in ("TRANSFO_DOSSIERS_PATH", "TRANSFO_DOSSIERS_URL", "TRANSFO_DOSSIERS_NAV_LABEL"):
        if not isinstance(merged[key], str) or not merged[key].strip("/ "):
            raise DossiersSettingsError(f"{key}: expected a non-empty text, got {merged[key]!r}")
    if not isinstance(merged["TRANSFO_DOSSIERS_RUBRIC"], str):
        raise DossiersSettingsError(
            f"TRANSFO_DOSSIERS_RUBRIC: expected a rubric name or \"\", got {merged['TRANSFO_DOSSIERS_RUBRIC']!r}"
        )
    limit = merged["TRANSFO_DOSSIERS_HOME_LIMIT"]
    if not isinstance(limit, int) or limit < 0:
        raise DossiersSettingsError(
            f"TRANSFO_DOSSIERS_HOME_LIMIT: expected a positive integer or 0, got {limit!r}"
        )
    return DossiersSettings(
        path=merged["TRANSFO_DOSSIERS_PATH"].strip("/"),
        url=merged["TRANSFO_DOSSIERS_URL"].strip("/") + "/",
        rubric=merged["TRANSFO_DOSSIERS_RUBRIC"],
        nav_label=merged["TRANSFO_DOSSIERS_NAV_LABEL"],
        home_limit=limit,
    )
