"""Job offers and calls for projects: their own content kind, pages, feed and expiry."""

from .plugin import register

__all__ = ["register"]
