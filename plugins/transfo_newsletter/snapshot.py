"""Plain data from Pelican's context: what the selection needs, nothing else.

Dossiers, events, offers and the portraits' rubric come from the accessors of the plugins
that provide them (`transfo_<plugin>.api`); articles are Pelican's, with their header fields.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from pelican.contents import Article
from transfo_agenda.api import Event, site_events
from transfo_common.config import TIMEZONE
from transfo_common.markup import text_of
from transfo_dossiers.api import Dossier, dossier_field, dossier_part, site_dossiers
from transfo_offers.api import Offer, site_offers
from transfo_portraits.api import portrait_rubric

from .model import ArticleRecord, DossierRecord, EventRecord, OfferRecord, SiteSnapshot

_SPACES = re.compile(r"\s+")
# The states of an offer its editor took off the list (Status: pourvue, clôturée), as Offer.status
# gives them; an offer past its deadline at the build date may still be open at the send date.
WITHDRAWN = ("filled", "closed")


def plain(text: object) -> str:
    """HTML summary -> one line of plain text."""
    return _SPACES.sub(" ", text_of(str(text or ""))).strip()


def _aware(value: date, tz: ZoneInfo) -> datetime:
    """An article's date, aware: Pelican skips an article without one (a mandatory property)."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    return datetime.combine(value, time(0, 0), tzinfo=tz)


def _name(value: object) -> str:
    return str(getattr(value, "name", value) or "")


def _dossier_of(article: Article) -> tuple[str | None, int | None]:
    """(dossier slug, part number): a published part's place, else what the header says."""
    part = dossier_part(article)
    if part is not None:
        return part.dossier.slug, part.number
    field = dossier_field(article)
    return (field.slug, field.number) if field is not None else (None, None)


def article_record(article: Article, tz: ZoneInfo) -> ArticleRecord:
    dossier, number = _dossier_of(article)
    image = getattr(article, "image", None)
    return ArticleRecord(
        slug=article.slug,
        title=plain(article.title),
        url=article.url,
        date=_aware(article.date, tz),
        # As written (a required field): `article.summary` here, before Pelican resolves the links
        # of summaries (after all_generators_finalized), would be memoized with its {filename}
        # links unresolved, and every page would show them so.
        summary=plain(str(article.metadata.get("summary", ""))),
        category=_name(getattr(article, "category", "")),
        image=str(getattr(image, "path", image)) if image else None,
        image_alt=str(getattr(article, "image_alt", "") or ""),
        featured=bool(getattr(article, "featured", False)),
        status=str(getattr(article, "status", "published") or "published"),
        reading_minutes=getattr(article, "reading_minutes", None),
        dossier=dossier,
        dossier_part=number,
    )


def event_record(event: Event) -> EventRecord:
    online = bool(event.online_url)
    venue = ", ".join(part for part in (event.venue, event.town) if part)
    # The place follows the attendance mode: a venue only while people can go there.
    onsite = bool(venue) and event.status != "moved-online"
    place = f"{venue} et en ligne" if onsite and online else ("en ligne" if online else venue if onsite else "")
    return EventRecord(
        slug=event.slug, title=plain(event.title), url=event.url, start=event.start, end=event.end,
        all_day=event.all_day, status=event.status, place=place,
    )


def offer_record(offer: Offer) -> OfferRecord:
    return OfferRecord(
        slug=offer.slug, title=plain(offer.title), url=offer.url, kind_label=offer.kind_label,
        organisation=offer.organisation.name, deadline=offer.deadline.date(),
        place=offer.town or offer.region_label,
        withdrawn=offer.status in WITHDRAWN,
    )


def dossier_record(dossier: Dossier) -> DossierRecord:
    return DossierRecord(
        slug=dossier.slug, title=plain(dossier.title), url=dossier.url, summary=plain(dossier.summary),
        image=dossier.image or None, image_alt=dossier.image_alt,
    )


def snapshot_from_context(context: dict, settings: dict) -> SiteSnapshot:
    """The site's content as plain records, read through each providing plugin's accessors."""
    tz = ZoneInfo(TIMEZONE.value(settings))
    # Articles scheduled after the build date may still be out by the send date; drafts are kept
    # (never selected) so that an editor file citing one is told it is a draft, not unknown.
    articles = [*context.get("articles", []), *context.get("scheduled_articles", []),
                *context.get("drafts", [])]
    return SiteSnapshot(
        articles=tuple(article_record(a, tz) for a in articles),
        dossiers=tuple(dossier_record(d) for d in site_dossiers(context)),
        events=tuple(event_record(event) for event in site_events(context)),
        offers=tuple(offer_record(offer) for offer in site_offers(context)),
        portrait_category=portrait_rubric(settings),
        agenda_url=settings.get("TRANSFO_NEWSLETTER_AGENDA_URL", "") or "",
        offers_url=settings.get("TRANSFO_NEWSLETTER_OFFERS_URL", "") or "",
    )
