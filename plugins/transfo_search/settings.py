"""TRANSFO_SEARCH_* settings: defaults in one place, checked once."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULTS = {
    "TRANSFO_SEARCH_ENABLED": True,        # build the index after every build
    "TRANSFO_SEARCH_URL": "recherche/",    # the search page
    "TRANSFO_SEARCH_BUNDLE": "pagefind",   # folder of the index and Pagefind's scripts
    "TRANSFO_SEARCH_NAV_ORDER": 90,        # place of "Recherche" in the main menu
    # Keep the last index when the searchable pages' bytes and Pagefind are unchanged
    # and the bundle on disk is intact (False: run Pagefind on every build).
    "TRANSFO_SEARCH_REUSE_INDEX": True,
    "TRANSFO_SEARCH_CACHE_PATH": None,     # None: <CACHE_PATH>/transfo_search
    # The index is split into parts of about this many pages (an edit re-indexes
    # its part only), and into at most TRANSFO_SEARCH_MAX_SHARDS of them (readers
    # download a little of every part: keep it small for phones).
    "TRANSFO_SEARCH_PAGES_PER_SHARD": 300,
    "TRANSFO_SEARCH_MAX_SHARDS": 16,
}


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
    values = {key: settings.get(key, default) for key, default in DEFAULTS.items()}
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
