"""What other plugins may use of the offers: the published offers of the build, typed."""

from __future__ import annotations

from .model import Offer, Organisation

OFFERS = "offers"  # the context key plugin.py sets in its context phase

__all__ = ["Offer", "Organisation", "site_offers"]


def site_offers(context: dict) -> list[Offer]:
    """Every published offer, open or not (`Offer.is_open`); [] before the offers' context phase
    or without them."""
    return list(context.get(OFFERS, ()))
