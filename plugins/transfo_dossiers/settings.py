"""The dossiers plugin's settings, read and validated in one place."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULTS = {
    "TRANSFO_DOSSIERS_PATH": "dossiers",  # declarations, relative to the content folder
    "TRANSFO_DOSSIERS_URL": "dossiers/",  # the index; landing pages are <url><slug>/
    "TRANSFO_DOSSIERS_RUBRIC": "Dossiers",  # whose menu entry the index replaces ("" for none)
    "TRANSFO_DOSSIERS_NAV_LABEL": "Dossiers",
    "TRANSFO_DOSSIERS_HOME_LIMIT": 2,  # running dossiers shown on the home page
}


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
    merged = {**DEFAULTS, **{k: settings[k] for k in DEFAULTS if k in settings}}
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
