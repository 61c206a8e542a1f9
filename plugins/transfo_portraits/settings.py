"""The portraits plugin's settings, read and validated in one place."""

from __future__ import annotations

from dataclasses import dataclass

from transfo_common.config import COUNT, NAME, TEXT_LIST, Setting, checked_values

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
    merged = checked_values(settings, SETTINGS, PortraitsSettingsError)
    return PortraitsSettings(
        rubric=merged["TRANSFO_PORTRAITS_RUBRIC"],
        url=merged["TRANSFO_PORTRAITS_URL"].strip("/") + "/",
        sectors=tuple(merged["TRANSFO_PORTRAITS_SECTORS"]),
        regions=tuple(merged["TRANSFO_PORTRAITS_REGIONS"]),
        annuaire_host=merged["TRANSFO_PORTRAITS_ANNUAIRE_HOST"],
        related=merged["TRANSFO_PORTRAITS_RELATED"],
    )
