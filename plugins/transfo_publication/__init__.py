"""What is public at build time: the build date, drafts, scheduled articles, home and menu.

Other plugins use `transfo_publication.api` (the build date, menu sections, held-back files).
"""

from .plugin import register

__all__ = ["register"]
