"""Content validation: every file's metadata checked against a schema before a build."""

from .plugin import register

__all__ = ["register"]
