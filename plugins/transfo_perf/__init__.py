"""Faster builds with the same output: parallel and cached Markdown, changed-only writes, skipped no-op builds."""

from .plugin import register

__all__ = ["register"]
