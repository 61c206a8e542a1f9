"""The portraits plugin's settings, read and validated in one place."""

from __future__ import annotations

from dataclasses import dataclass
from transfo_common.config import COUNT, NAME, TEXT_LIST, Setting, defaults, read_values

SETTINGS = (
    Setting("TRANSFO_PORTRAITS_RUBRIC", "Portraits", NAME, "La rubrique dont les articles sont des portraits."),
    Setting("TRANSFO_PORTRAITS_URL", "portraits/", NAME,
            "Index des portraits ; filtres sous secteur/ et region/."),
    Setting("TRANSFO_PORTRAITS_SECTORS", (
        "Alimentation et restauration", "Commerce équitable", "Construction et logement", "Culture",
        "Énergie", "Environnement", "Finance solidaire", "Formation et insertion", "Mobilité",
        "Numérique", "Réemploi et réparation", "Services aux personnes", "Textile", "Travail adapté",
    ), TEXT_LIST, "Les secteurs qu’un portrait peut porter."),
    Setting("TRANSFO_PORTRAITS_REGIONS", ("Wallonie", "Bruxelles"), TEXT_LIST,
            "Les régions qu’un portrait peut porter."),
    Setting("TRANSFO_PORTRAITS_ANNUAIRE_HOST", "annuaire.economiesociale.be", NAME,
            "Le seul hôte accepté pour le lien d’un portrait vers l’annuaire."),
    Setting("TRANSFO_PORTRAITS_RELATED", 3, COUNT, "Autres portraits montrés sur la page d’un portrait."),
)
DEFAULTS = defaults(SETTINGS)


class PortraitsSettingsError(ValueError):
    """A portraits setting has the wrong shape; the message names the key."""


@dataclass(frozen=True)
class PortraitsSettings:
    rubric: str
    url: str
    sectors: tuple[str, ...]
    regions: tuple[str, ...]
    annuaire_host: str
    related: int

    def sector_url(self, slug: str) -> str:
        return f"{self.url}secteur/{slug}/"

    def region_url(self, slug: str) -> str:
        return f"{self.url}region/{slug}/"


def read_settings(settings: dict) -> PortraitsSettings:
    merged = read_values(settings, SETTINGS)
    for key in ("TRANSFO_PORTRAITS_RUBRIC", "TRANSFO_PORTRAITS_URL", "TRANSFO_PORTRAITS_ANNUAIRE_HOST"):
        if not isinstance(merged[key], str) or not merged[key].strip("/ "):
            raise PortraitsSettingsError(f"{key}: expected a non-empty text, got {merged[key]!r}")
    for key in ("TRANSFO_PORTRAITS_SECTORS", "TRANSFO_PORTRAITS_REGIONS"):
        values = merged[key]
        if isinstance(values, str) or not values or not all(isinstance(v, str) and v.strip() for v in values):
            raise PortraitsSettingsError(f"{key}: expected a non-empty list of names, got {values!r}")
    if not isinstance(merged["TRANSFO_PORTRAITS_RELATED"], int) or merged["TRANSFO_PORTRAITS_RELATED"] < 0:
        raise PortraitsSettingsError(
            f"TRANSFO_PORTRAITS_RELATED: expected a positive integer or 0, got {merged['TRANSFO_PORTRAITS_RELATED']!r}"
        )
    return PortraitsSettings(
        rubric=merged["TRANSFO_PORTRAITS_RUBRIC"],
        url=merged["TRANSFO_PORTRAITS_URL"].strip("/") + "/",
        sectors=tuple(merged["TRANSFO_PORTRAITS_SECTORS"]),
        regions=tuple(merged["TRANSFO_PORTRAITS_REGIONS"]),
        annuaire_host=merged["TRANSFO_PORTRAITS_ANNUAIRE_HOST"],
        related=merged["TRANSFO_PORTRAITS_RELATED"],
    )
