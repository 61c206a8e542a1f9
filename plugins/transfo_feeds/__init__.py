"""Atom and RSS feeds built with feedgen: all articles, and one per rubric.

Other plugins use `transfo_feeds.api` (a feed's address, article entries, writing an Atom feed).
"""

from .plugin import register

__all__ = ["register"]
