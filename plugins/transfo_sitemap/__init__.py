"""sitemap.xml and robots.txt listing exactly the public, indexable pages."""

from .plugin import register

__all__ = ["register"]
