"""Responsive images and share cards: derivatives, <picture> markup, Open Graph images."""

from .plugin import register

__all__ = ["register"]
