"""The dossiers plugin's settings, read and validated in one place."""

from __future__ import annotations

from dataclasses import dataclass

from transfo_common.config import COUNT, NAME, TEXT, Setting, checked_values

SETTINGS = (
    Setting("TRANSFO_DOSSIERS_PATH", "dossiers", NAME,
            "Dossier des déclarations de dossiers, dans le dossier des contenus."),
    Setting("TRANSFO_DOSSIERS_URL", "dossiers/", NAME,
            "Page d’index des dossiers ; chaque dossier a sa page sous elle (<url><slug>/)."),
    Setting("TRANSFO_DOSSIERS_RUBRIC", "Dossiers", TEXT,
            "La rubrique dont l’entrée du menu est remplacée par l’index des dossiers (\"\" : aucune)."),
    Setting("TRANSFO_DOSSIERS_NAV_LABEL", "Dossiers", NAME, "Libellé de l’index des dossiers dans le menu."),
    Setting("TRANSFO_DOSSIERS_HOME_LIMIT", 2, COUNT, "Dossiers en cours montrés sur la page d’accueil."),
)


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
    merged = checked_values(settings, SETTINGS, DossiersSettingsError)
    return DossiersSettings(
        path=merged["TRANSFO_DOSSIERS_PATH"].strip("/"),
        url=merged["TRANSFO_DOSSIERS_URL"].strip("/") + "/",
        rubric=merged["TRANSFO_DOSSIERS_RUBRIC"],
        nav_label=merged["TRANSFO_DOSSIERS_NAV_LABEL"],
        home_limit=merged["TRANSFO_DOSSIERS_HOME_LIMIT"],
    )
