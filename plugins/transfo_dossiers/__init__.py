"""Dossiers: multi-part thematic series, their landing pages, feeds and checks."""

from .plugin import register

__all__ = ["register"]
