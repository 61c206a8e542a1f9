"""Related reading: up to three articles under every article, chosen by a pure function."""

from .plugin import register

__all__ = ["register"]
