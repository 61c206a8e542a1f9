"""Monthly newsletter: selection from the site, MJML rendering, sending with a journal.

Other plugins use `transfo_newsletter.api` (the editor files' folder and fields).
"""

from .plugin import register

__all__ = ["register"]
