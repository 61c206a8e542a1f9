"""What is public at build time: the build date, drafts, scheduled articles, home and menu."""

from .plugin import register

__all__ = ["register"]
