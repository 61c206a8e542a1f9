"""Responsive images and share cards: derivatives, <picture> markup, Open Graph images.

Other plugins use `transfo_images.api` (the build's image library, published copies,
email images).
"""

from .plugin import register

__all__ = ["register"]
