"""Portraits: the facts of a portrait, its info box, and a filterable index of photo cards.

Other plugins use `transfo_portraits.api` (the portraits' rubric).
"""

from .plugin import register

__all__ = ["register"]
