"""Monthly newsletter: selection from the site, MJML rendering, sending with a journal."""

from .plugin import register

__all__ = ["register"]
