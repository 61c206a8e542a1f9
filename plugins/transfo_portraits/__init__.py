"""Portraits: the facts of a portrait, its info box, and a filterable index of photo cards."""

from .plugin import register

__all__ = ["register"]
