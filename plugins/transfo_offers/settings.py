"""The offers plugin's settings, read and validated in one place."""

from __future__ import annotations

from dataclasses import dataclass
from transfo_common.config import COUNT, FOLDER_URL, NAME, Setting, defaults, file_name, read_values

SETTINGS = (
    Setting("TRANSFO_OFFERS_PATH", "offres", NAME, "Dossier des fichiers d’offres, dans le dossier des contenus."),
    Setting("TRANSFO_OFFERS_URL", "offres/", FOLDER_URL, "Page des offres ouvertes."),
    Setting("TRANSFO_OFFERS_KIND_URL", "offres/{kind}/", FOLDER_URL,
            "Page des offres d’un type ; {kind} y est remplacé par le type."),
    Setting("TRANSFO_OFFER_URL", "offres/{slug}/", FOLDER_URL,
            "Page d’une offre ; {slug} y est remplacé par son identifiant."),
    Setting("TRANSFO_OFFERS_FEED", "offres.atom.xml", file_name(".xml"),
            "Flux Atom des offres, dans le dossier des flux (TRANSFO_FEED_FOLDER)."),
    Setting("TRANSFO_OFFERS_HOME_LIMIT", 3, COUNT, "Offres de « Dernières offres » sur la page d’accueil."),
    Setting("TRANSFO_OFFERS_SOON_DAYS", 7, COUNT,
            "« Clôture dans N jours » est affiché jusqu’à ce nombre de jours avant la clôture."),
    Setting("TRANSFO_OFFERS_MENU_ORDER", 70, COUNT, "Place de « Emplois & appels » dans le menu principal."),
)
DEFAULTS = defaults(SETTINGS)


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


def _url(merged: dict, key: str, placeholder: str = "") -> str:
    value = merged[key]
    if not isinstance(value, str) or not value.endswith("/") or value.startswith("/"):
        raise OffersSettingsError(f"{key}: expected a relative folder URL ending with '/', got {value!r}")
    if placeholder and placeholder not in value:
        raise OffersSettingsError(f"{key}: expected a URL containing {placeholder}, got {value!r}")
    return value


def read_settings(settings: dict) -> OffersSettings:
    merged = read_values(settings, SETTINGS)
    for key in ("TRANSFO_OFFERS_HOME_LIMIT", "TRANSFO_OFFERS_SOON_DAYS", "TRANSFO_OFFERS_MENU_ORDER"):
        if not isinstance(merged[key], int) or isinstance(merged[key], bool) or merged[key] < 0:
            raise OffersSettingsError(f"{key}: expected a non-negative integer, got {merged[key]!r}")
    path = merged["TRANSFO_OFFERS_PATH"]
    if not isinstance(path, str) or not path.strip("/"):
        raise OffersSettingsError(f"TRANSFO_OFFERS_PATH: expected a folder name, got {path!r}")
    feed = merged["TRANSFO_OFFERS_FEED"]
    if not isinstance(feed, str) or not feed.endswith(".xml") or "/" in feed:
        raise OffersSettingsError(f"TRANSFO_OFFERS_FEED: expected a file name ending in .xml, got {feed!r}")
    return OffersSettings(
        path=path.strip("/"),
        listing_url=_url(merged, "TRANSFO_OFFERS_URL"),
        kind_url=_url(merged, "TRANSFO_OFFERS_KIND_URL", "{kind}"),
        offer_url=_url(merged, "TRANSFO_OFFER_URL", "{slug}"),
        feed_name=feed,
        home_limit=merged["TRANSFO_OFFERS_HOME_LIMIT"],
        soon_days=merged["TRANSFO_OFFERS_SOON_DAYS"],
        menu_order=merged["TRANSFO_OFFERS_MENU_ORDER"],
    )
