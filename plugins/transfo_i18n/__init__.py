"""French-first formatting: Babel dates, gettext UI strings, typography.

Other plugins use its public modules: `dates`, `typography`, `translations`, `settings`.
"""

from .plugin import register

__all__ = ["register"]
