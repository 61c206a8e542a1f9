"""Pelican signal handlers: check the whole configuration once, resolve the build date once."""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from pelican import Pelican, signals
from transfo_common.config import NOW_SETTING, RESOLVED_NOW, STRICT, TIMEZONE, unknown_keys, value_problems
from transfo_publication.settings import parse_now

from .schema import INTERNAL, SCHEMA

logger = logging.getLogger(__name__)


class ConfigError(Exception):
    """Settings the build cannot run with: one French line per key, all of them."""

    exitcode = 2

    def __init__(self, lines: list[str]):
        self.lines = lines
        super().__init__("\n".join(lines))


def check_configuration(pelican: Pelican) -> None:
    """initialized: every wrong value stops the build, each on its line; an unknown TRANSFO_* key
    is a warning while developing and stops a publish build (TRANSFO_STRICT_SETTINGS).
    Then the build date is resolved once, for every plugin (transfo_publication.settings.build_now)."""
    settings = pelican.settings
    wrong = value_problems(settings, SCHEMA)
    unknown = unknown_keys(settings, SCHEMA, INTERNAL)
    if wrong or (unknown and STRICT.value(settings)):
        raise ConfigError(wrong + unknown)
    for line in unknown:
        logger.warning(line)
    settings[RESOLVED_NOW] = parse_now(NOW_SETTING.value(settings), ZoneInfo(TIMEZONE.value(settings)))


def register() -> None:
    signals.initialized.connect(check_configuration)
