"""Atom and RSS feeds built with feedgen: all articles, and one per rubric."""

from .plugin import register

__all__ = ["register"]
