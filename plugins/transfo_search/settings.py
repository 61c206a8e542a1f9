"""TRANSFO_SEARCH_* settings: declared in one place, checked once."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from transfo_common.config import (
    BOOLEAN,
    FOLDER_NAME,
    FOLDER_URL,
    NUMBER,
    PATH,
    Setting,
    checked_values,
    optional,
)

SETTINGS = (
    Setting("TRANSFO_SEARCH_ENABLED", True, BOOLEAN, "Construire l’index de recherche après chaque construction."),
    Setting("TRANSFO_SEARCH_URL", "recherche/", FOLDER_URL, "La page de recherche."),
    Setting("TRANSFO_SEARCH_BUNDLE", "pagefind", FOLDER_NAME, "Dossier de l’index et des scripts de Pagefind."),
    Setting("TRANSFO_SEARCH_IN_BUILD", True, BOOLEAN,
            "Écrire l’index dans le dossier de sortie à la fin de la construction (False : la "
            "construction n’en écrit pas ; `invoke publish` le fait écrire à côté, pendant son contrôle "
            "qualité)."),
    Setting("TRANSFO_SEARCH_NAV_ORDER", 90, NUMBER, "Place de « Recherche » dans le menu principal."),
    Setting("TRANSFO_SEARCH_REUSE_INDEX", True, BOOLEAN,
            "Reprendre un index déjà fait des mêmes pages avec le même Pagefind "
            "(False : lancer Pagefind à chaque construction)."),
    Setting("TRANSFO_SEARCH_CACHE_PATH", None, optional(PATH, "<CACHE_PATH>/transfo_search"),
            "Dossier où les derniers index sont gardés, chacun sous l’empreinte des pages indexées."),
)


class SearchSettingsError(ValueError):
    """A TRANSFO_SEARCH_* setting has the wrong shape."""


@dataclass(frozen=True)
class SearchSettings:
    enabled: bool
    url: str
    bundle: str
    nav_order: int
    cache_path: Path  # the store of the last indexes (`store.py`)
    reuse: bool  # take an index of the same pages from the store instead of running Pagefind
    in_build: bool  # the build writes the index into its output (publish indexes beside its gate)

    @property
    def save_as(self) -> str:
        return self.url + "index.html"


def read_settings(settings: dict) -> SearchSettings:
    values = checked_values(settings, SETTINGS, SearchSettingsError)
    cache = values["TRANSFO_SEARCH_CACHE_PATH"]
    cache_path = Path(cache or os.path.join(settings.get("CACHE_PATH") or "cache", "transfo_search")).resolve()
    return SearchSettings(values["TRANSFO_SEARCH_ENABLED"], values["TRANSFO_SEARCH_URL"],
                          values["TRANSFO_SEARCH_BUNDLE"].strip("/"),
                          values["TRANSFO_SEARCH_NAV_ORDER"], cache_path, values["TRANSFO_SEARCH_REUSE_INDEX"],
                          values["TRANSFO_SEARCH_IN_BUILD"])
