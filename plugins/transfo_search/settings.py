"""TRANSFO_SEARCH_* settings: defaults in one place, checked once."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from transfo_common.config import (
    BOOLEAN, FOLDER_URL, NAME, NUMBER, PATH, POSITIVE, Setting, defaults, optional, read_values,
)

SETTINGS = (
    Setting("TRANSFO_SEARCH_ENABLED", True, BOOLEAN, "Construire l’index de recherche après chaque construction."),
    Setting("TRANSFO_SEARCH_URL", "recherche/", FOLDER_URL, "La page de recherche."),
    Setting("TRANSFO_SEARCH_BUNDLE", "pagefind", NAME, "Dossier de l’index et des scripts de Pagefind."),
    Setting("TRANSFO_SEARCH_NAV_ORDER", 90, NUMBER, "Place de « Recherche » dans le menu principal."),
    Setting("TRANSFO_SEARCH_REUSE_INDEX", True, BOOLEAN,
            "Garder le dernier index quand les pages cherchables et Pagefind n’ont pas changé "
            "(False : lancer Pagefind à chaque construction)."),
    Setting("TRANSFO_SEARCH_CACHE_PATH", None, optional(PATH, "<CACHE_PATH>/transfo_search"),
            "Dossier où le dernier index est gardé."),
    Setting("TRANSFO_SEARCH_PAGES_PER_SHARD", 300, POSITIVE,
            "L’index est découpé en parties d’environ ce nombre de pages (une modification ne "
            "réindexe que sa partie)."),
    Setting("TRANSFO_SEARCH_MAX_SHARDS", 16, POSITIVE,
            "Nombre maximal de parties de l’index (un lecteur télécharge un peu de chacune : "
            "gardez-le petit pour les téléphones)."),
)
DEFAULTS = defaults(SETTINGS)


class SearchSettingsError(ValueError):
    """A TRANSFO_SEARCH_* setting has the wrong shape."""


@dataclass(frozen=True)
class SearchSettings:
    enabled: bool
    url: str
    bundle: str
    nav_order: int
    cache_path: Path | None  # None: never reuse the last index
    pages_per_shard: int
    max_shards: int

    @property
    def save_as(self) -> str:
        return self.url + "index.html"


def read_settings(settings: dict) -> SearchSettings:
    values = read_values(settings, SETTINGS)
    url = values["TRANSFO_SEARCH_URL"]
    if not isinstance(url, str) or not url.endswith("/") or url.startswith("/"):
        raise SearchSettingsError(
            f"TRANSFO_SEARCH_URL: expected a folder like 'recherche/', got {url!r}")
    bundle = values["TRANSFO_SEARCH_BUNDLE"]
    if not isinstance(bundle, str) or not bundle or "/" in bundle.strip("/"):
        raise SearchSettingsError(
            f"TRANSFO_SEARCH_BUNDLE: expected a folder name like 'pagefind', got {bundle!r}")
    if not isinstance(values["TRANSFO_SEARCH_NAV_ORDER"], int):
        raise SearchSettingsError(
            f"TRANSFO_SEARCH_NAV_ORDER: expected a number, got {values['TRANSFO_SEARCH_NAV_ORDER']!r}")
    if not isinstance(values["TRANSFO_SEARCH_REUSE_INDEX"], bool):
        raise SearchSettingsError(
            f"TRANSFO_SEARCH_REUSE_INDEX: expected True or False, got {values['TRANSFO_SEARCH_REUSE_INDEX']!r}")
    for key in ("TRANSFO_SEARCH_PAGES_PER_SHARD", "TRANSFO_SEARCH_MAX_SHARDS"):
        if not isinstance(values[key], int) or isinstance(values[key], bool) or values[key] < 1:
            raise SearchSettingsError(f"{key}: expected a whole number of at least 1, got {values[key]!r}")
    cache = values["TRANSFO_SEARCH_CACHE_PATH"]
    if cache is not None and not isinstance(cache, (str, os.PathLike)):
        raise SearchSettingsError(f"TRANSFO_SEARCH_CACHE_PATH: expected a folder or None, got {cache!r}")
    cache_path = None
    if values["TRANSFO_SEARCH_REUSE_INDEX"]:
        cache_path = Path(cache or os.path.join(settings.get("CACHE_PATH") or "cache", "transfo_search")).resolve()
    return SearchSettings(bool(values["TRANSFO_SEARCH_ENABLED"]), url, bundle.strip("/"),
                          values["TRANSFO_SEARCH_NAV_ORDER"], cache_path,
                          values["TRANSFO_SEARCH_PAGES_PER_SHARD"], values["TRANSFO_SEARCH_MAX_SHARDS"])
