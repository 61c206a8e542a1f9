"""Related reading: up to three articles under every article, chosen by a pure function.

Other plugins use `transfo_related.api` (read an article's related reading, or leave some out).
"""

from .plugin import register

__all__ = ["register"]
