"""/admin/: Decap CMS in the built site, its configuration generated from the content schema."""

from .plugin import register

__all__ = ["register"]
