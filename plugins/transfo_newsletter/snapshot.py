"""Plain data from Pelican's context: what the selection needs, nothing else.

Other plugins (dossiers, agenda, offers) may or may not be installed: every
key and attribute is read defensively.
"""

from __future__ import annotations

import html
import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from transfo_common.config import RUBRICS, TIMEZONE

from .model import ArticleRecord, DossierRecord, EventRecord, OfferRecord, SiteSnapshot

_TAGS = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")


def plain(text) -> str:
    """HTML summary -> one line of plain text."""
    return _SPACES.sub(" ", html.unescape(_TAGS.sub(" ", str(text or "")))).strip()


def _slug(obj) -> str:
    slug = getattr(obj, "slug", None)
    if slug:
        return str(slug)
    return str(getattr(obj, "url", "")).strip("/").rsplit("/", 1)[-1]


def _aware(value, tz: ZoneInfo):
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), tzinfo=tz)
    return None


def _day(value):
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def _name(value) -> str:
    return str(getattr(value, "name", value) or "")


def article_record(article, tz: ZoneInfo) -> ArticleRecord:
    dossier = getattr(article, "dossier", None)
    part = getattr(article, "dossier_part", None)
    image = getattr(article, "image", None)
    return ArticleRecord(
        slug=article.slug,
        title=plain(article.title),
        url=article.url,
        date=_aware(article.date, tz),
        summary=plain(getattr(article, "summary", "")),
        category=_name(getattr(article, "category", "")),
        image=str(getattr(image, "path", image)) if image else None,
        image_alt=str(getattr(article, "image_alt", "") or ""),
        featured=bool(getattr(article, "featured", False)),
        status=str(getattr(article, "status", "published") or "published"),
        reading_minutes=getattr(article, "reading_minutes", None),
        dossier=_slug(dossier) if dossier and not isinstance(dossier, str) else (dossier or None),
        dossier_part=part if isinstance(part, int) else int(part) if isinstance(part, str) and part.isdigit() else None,
    )


def event_record(event, tz: ZoneInfo) -> EventRecord | None:
    start = _aware(getattr(event, "start", None), tz)
    if start is None:
        return None
    online = bool(getattr(event, "online_url", None))
    venue = ", ".join(str(p) for p in (getattr(event, "venue", ""), getattr(event, "town", "")) if p)
    # The place follows the attendance mode: a venue only while people can go there.
    onsite = bool(venue) and getattr(event, "status", "") != "moved-online"
    place = f"{venue} et en ligne" if onsite and online else ("en ligne" if online else venue if onsite else "")
    return EventRecord(
        slug=_slug(event), title=plain(event.title), url=str(getattr(event, "url", "")),
        start=start, end=_aware(getattr(event, "end", None), tz),
        all_day=bool(getattr(event, "all_day", False)),
        status=str(getattr(event, "status", "") or ""), place=place,
    )


def offer_record(offer) -> OfferRecord:
    place = (getattr(offer, "town", None) or getattr(offer, "region_label", None)
             or getattr(offer, "region", None) or "")
    return OfferRecord(
        slug=_slug(offer), title=plain(offer.title), url=str(getattr(offer, "url", "")),
        kind_label=str(getattr(offer, "kind_label", "") or ""),
        organisation=_name(getattr(offer, "organisation", "")),
        deadline=_day(getattr(offer, "deadline", None)), place=_name(place),
    )


def dossier_record(dossier) -> DossierRecord:
    image = getattr(dossier, "image", None)
    return DossierRecord(
        slug=_slug(dossier), title=plain(dossier.title), url=str(getattr(dossier, "url", "")),
        summary=plain(getattr(dossier, "summary", "")),
        image=str(getattr(image, "path", image)) if image else None,
        image_alt=str(getattr(dossier, "image_alt", "") or ""),
    )


def snapshot_from_context(context: dict, settings: dict) -> SiteSnapshot:
    """The site's content as plain records; missing features give empty tuples."""
    tz = ZoneInfo(TIMEZONE.value(settings))
    rubrics = RUBRICS.value(settings)
    portrait = settings.get("TRANSFO_PORTRAITS_RUBRIC") or next(
        (r for r in rubrics if r.lower().startswith("portrait")), "Portraits")
    events = context.get("events") or context.get("upcoming_events") or []
    offers = context.get("offers") or context.get("open_offers") or []
    # Articles scheduled after the build date may still be out by the send date.
    articles = [*context.get("articles", []), *context.get("scheduled_articles", [])]
    return SiteSnapshot(
        articles=tuple(article_record(a, tz) for a in articles),
        dossiers=tuple(dossier_record(d) for d in context.get("dossiers", [])),
        events=tuple(e for e in (event_record(ev, tz) for ev in events) if e is not None),
        offers=tuple(offer_record(o) for o in offers),
        portrait_category=portrait,
        agenda_url=settings.get("TRANSFO_NEWSLETTER_AGENDA_URL", "") or "",
        offers_url=settings.get("TRANSFO_NEWSLETTER_OFFERS_URL", "") or "",
    )
