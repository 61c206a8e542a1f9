"""What other plugins may use of the portraits: which rubric holds them."""

from __future__ import annotations

from .settings import read_settings

__all__ = ["portrait_rubric"]


def portrait_rubric(settings: dict) -> str:
    """The rubric whose articles are portraits (TRANSFO_PORTRAITS_RUBRIC)."""
    return read_settings(settings).rubric
