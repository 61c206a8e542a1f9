"""French-first formatting: Babel dates, gettext UI strings, typography."""

from .plugin import register

__all__ = ["register"]
