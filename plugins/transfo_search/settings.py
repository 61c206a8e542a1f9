"""TRANSFO_SEARCH_* settings: defaults in one place, checked once."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULTS = {
    "TRANSFO_SEARCH_ENABLED": True,        # build the index after every build
    "TRANSFO_SEARCH_URL": "recherche/",    # the search page
    "TRANSFO_SEARCH_BUNDLE": "pagefind",   # folder of the index and Pagefind's scripts
    "TRANSFO_SEARCH_NAV_ORDER": 90,        # place of "Recherche" in the main menu
}


class SearchSettingsError(ValueError):
    """A TRANSFO_SEARCH_* setting has the wrong shape."""


@dataclass(frozen=True)
class SearchSettings:
    enabled: bool
    url: str
    bundle: str
    nav_order: int

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
    return SearchSettings(bool(values["TRANSFO_SEARCH_ENABLED"]), url, bundle.strip("/"),
                          values["TRANSFO_SEARCH_NAV_ORDER"])
