"""Pelican signal handlers: install Babel filters and gettext in every Jinja env."""

from __future__ import annotations

from datetime import datetime, tzinfo
from functools import partial

from pelican import signals
from pelican.generators import Generator

from . import dates
from .settings import read_settings
from .translations import load_translations
from .typography import french_markup, plain_french


def jinja_filters(settings: dict) -> dict:
    """The date/typography filters templates use, bound to the site's locale."""
    cfg = read_settings(settings)
    return {
        "date_fr": lambda value, style="long": dates.format_date(
            dates.to_local(value, cfg.timezone) if hasattr(value, "hour") else value,
            style,
            cfg.locale,
        ),
        "datetime_fr": partial(_datetime_fr, tz=cfg.timezone, locale=cfg.locale),
        "time_fr": lambda value: dates.format_time(dates.to_local(value, cfg.timezone), cfg.locale),
        "isodate": partial(dates.isoformat, tz=cfg.timezone),
        "typo": french_markup,  # titles in HTML: spacing, superscript ordinals
        "plain_typo": plain_french,  # <title>, share previews, JSON-LD: plain text
    }


def _datetime_fr(value: datetime, tz: tzinfo, locale: str) -> str:
    return dates.format_datetime(value, tz, locale)


def install(generator: Generator) -> None:
    """Give a generator's Jinja environment our filters and the UI catalogue."""
    cfg = read_settings(generator.settings)
    env = generator.env
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_translations(
        load_translations(cfg.translations_path, cfg.locale), newstyle=True
    )
    env.filters.update(jinja_filters(generator.settings))
    env.globals["SITE_LANG"] = cfg.locale.replace("_", "-")


def register() -> None:
    signals.generator_init.connect(install)
