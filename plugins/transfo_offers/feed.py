"""The Atom feed of open offers, through transfo_feeds' pure functions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from html import escape

from transfo_feeds.api import FeedEntry, FeedMeta

from .logic import deadline_label
from .model import Offer


def offer_entry(offer: Offer, locale: str = "fr_BE") -> FeedEntry:
    """One entry: the summary, then organisation, place and deadline, so readers can triage.

    The deadline is a date, never "dans 3 jours": readers keep an entry and read it later."""
    deadline = deadline_label(offer.deadline, has_time=offer.deadline_has_time, locale=locale)
    facts = [offer.kind_label, offer.organisation.name, offer.place, deadline]
    summary = offer.summary + f"<p>{escape(' · '.join(f for f in facts if f))}</p>"
    return FeedEntry(
        url=offer.absolute_url,
        title=f"{offer.kind_label}\u00a0: {offer.title}",
        summary_html=summary,
        published=offer.date,
        updated=offer.modified or offer.date,
        authors=(offer.organisation.name,),
        categories=tuple(c for c in (offer.kind_label, offer.region_label) if c),
    )


def offers_feed(open_offers: Iterable[Offer], *, title: str, subtitle: str, page_url: str, atom_url: str,
                language: str, now: datetime | None = None, locale: str = "fr_BE") -> FeedMeta:
    return FeedMeta(
        title=title,
        subtitle=subtitle,
        site_url=page_url,
        atom_url=atom_url,
        rss_url=atom_url,  # only Atom is written for offers
        language=language,
        entries=tuple(offer_entry(offer, locale) for offer in open_offers),
        updated=now,
    )
