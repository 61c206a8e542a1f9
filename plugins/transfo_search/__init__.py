"""Full-text search with Pagefind: the search page and the index of public pages."""

from .plugin import register

__all__ = ["register"]
