"""Job offers and calls for projects: their own content kind, pages, feed and expiry.

Other plugins use `transfo_offers.api` (the published offers, typed).
"""

from .plugin import register

__all__ = ["register"]
