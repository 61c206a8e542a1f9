"""The offers plugin's settings, read and validated in one place."""

from __future__ import annotations

from dataclasses import dataclass

from transfo_common.config import (
    COUNT,
    FOLDER_URL,
    NAME,
    Setting,
    checked_values,
    file_name,
    folder_url_with,
)

SETTINGS = (
    Setting("TRANSFO_OFFERS_PATH", "offres", NAME, "Dossier des fichiers d’offres, dans le dossier des contenus."),
    Setting("TRANSFO_OFFERS_URL", "offres/", FOLDER_URL, "Page des offres ouvertes."),
    Setting("TRANSFO_OFFERS_KIND_URL", "offres/{kind}/", folder_url_with("{kind}"),
            "Page des offres d’un type ; {kind} y est remplacé par le type."),
    Setting("TRANSFO_OFFER_URL", "offres/{slug}/", folder_url_with("{slug}"),
            "Page d’une offre ; {slug} y est remplacé par son identifiant."),
    Setting("TRANSFO_OFFERS_FEED", "offres.atom.xml", file_name(".xml"),
            "Flux Atom des offres, dans le dossier des flux (TRANSFO_FEED_FOLDER)."),
    Setting("TRANSFO_OFFERS_HOME_LIMIT", 3, COUNT, "Offres de « Dernières offres » sur la page d’accueil."),
    Setting("TRANSFO_OFFERS_SOON_DAYS", 7, COUNT,
            "« Clôture dans N jours » est affiché jusqu’à ce nombre de jours avant la clôture."),
    Setting("TRANSFO_OFFERS_MENU_ORDER", 70, COUNT, "Place de « Emplois & appels » dans le menu principal."),
)


class OffersSettingsError(ValueError):
    """An offers setting has the wrong shape; the message names the key."""


@dataclass(frozen=True)
class OffersSettings:
    path: str
    listing_url: str
    kind_url: str
    offer_url: str
    feed_name: str
    home_limit: int
    soon_days: int
    menu_order: int

    @staticmethod
    def save_as(url: str) -> str:
        return url + "index.html"


def read_settings(settings: dict) -> OffersSettings:
    merged = checked_values(settings, SETTINGS, OffersSettingsError)
    return OffersSettings(
        path=merged["TRANSFO_OFFERS_PATH"].strip("/"),
        listing_url=merged["TRANSFO_OFFERS_URL"],
        kind_url=merged["TRANSFO_OFFERS_KIND_URL"],
        offer_url=merged["TRANSFO_OFFER_URL"],
        feed_name=merged["TRANSFO_OFFERS_FEED"],
        home_limit=merged["TRANSFO_OFFERS_HOME_LIMIT"],
        soon_days=merged["TRANSFO_OFFERS_SOON_DAYS"],
        menu_order=merged["TRANSFO_OFFERS_MENU_ORDER"],
    )
