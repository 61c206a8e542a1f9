"""What goes into an edition: a pure function of the site, the editor file and the send date.

Labels are English msgids (marked with `N_` for extraction) translated by the
`gettext` callable passed in, from the theme's catalogue (see render.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta, tzinfo

from transfo_i18n import dates
from transfo_validation.fields import did_you_mean
from transfo_validation.problems import Problem

from .editor import EditionError, EditorFile
from .model import (
    BLOCKS,
    ArticleRecord,
    Block,
    DossierRecord,
    Edition,
    EventRecord,
    Item,
    Month,
    OfferRecord,
    SiteSnapshot,
)

Gettext = Callable[[str], str]


def N_(msgid: str) -> str:
    """Marks a msgid for extraction; translated later with the `gettext` passed in."""
    return msgid


HIDDEN_STATUSES = {"cancelled", "canceled", "draft", "annule", "annulé"}  # never announced
# An event the editor adds (Ajouter) whatever its status says so: a cancelled one is news for those
# who read its announcement, and the letter cannot be corrected once sent.
STATUS_LABELS = {"cancelled": N_("Cancelled"), "postponed": N_("Postponed"), "moved-online": N_("Online")}
BLOCK_TITLES = {
    "articles": N_("Read this month"),
    "dossiers": N_("Our dossiers move on"),
    "portraits": N_("Portraits"),
    "agenda": N_("Events in the next %(weeks)s weeks"),
    "jobs": N_("Job offers and calls"),
}
WEEK_COUNTS = {  # spelled-out number of weeks (a feminine noun in French)
    1: N_("one"), 2: N_("two"), 3: N_("three"), 4: N_("four"), 5: N_("five"), 6: N_("six"),
    8: N_("eight"),
}

# Where the promoted article of a month comes from (the promotions plugin's
# best performer): month -> article slug, or None.
PromotedLead = Callable[[Month], "str | None"]


def default_send_date(month: Month, hour: int, tz: tzinfo) -> datetime:
    """An edition goes out on the first day of the following month."""
    following = month.next()
    return datetime(following.year, following.month, 1, hour, 0, tzinfo=tz)


def campaign(month: Month) -> str:
    return f"transfo-{month}"


def _identity(msgid: str) -> str:
    return msgid


def _article_item(article: ArticleRecord, locale: str, tz: tzinfo, gettext: Gettext = _identity) -> Item:
    meta = dates.format_date(dates.to_local(article.date, tz), "long", locale)
    if article.reading_minutes:
        meta += " · " + gettext("%(minutes)s min read") % {"minutes": article.reading_minutes}
    return Item(slug=article.slug, title=article.title, url=article.url, summary=article.summary,
                kicker=article.category, meta=meta, image=article.image,
                image_alt=article.image_alt, date=dates.isoformat(article.date, tz))


def _event_item(event: EventRecord, locale: str, tz: tzinfo, gettext: Gettext = _identity) -> Item:
    start = dates.to_local(event.start, tz)
    when = (dates.format_date(start, "full", locale) if event.all_day
            else dates.format_datetime(start, tz, locale))
    if event.end and dates.to_local(event.end, tz).date() != start.date():
        when = gettext("from %(start)s to %(end)s") % {
            "start": dates.format_date(start, "day_month", locale),
            "end": dates.format_date(dates.to_local(event.end, tz), "long", locale)}
    status = gettext(STATUS_LABELS[event.status]) if event.status in STATUS_LABELS else ""
    place = "" if event.status == "moved-online" else event.place  # the status says "online"
    meta = " · ".join(part for part in (status, when, place) if part)
    return Item(slug=event.slug, title=event.title, url=event.url, meta=meta,
                date=dates.isoformat(event.start, tz))


def _offer_item(offer: OfferRecord, locale: str, gettext: Gettext = _identity) -> Item:
    parts = [p for p in (offer.organisation, offer.place) if p]
    if offer.deadline:
        parts.append(gettext("deadline: %(date)s")
                     % {"date": dates.format_date(offer.deadline, "long", locale)})
    return Item(slug=offer.slug, title=offer.title, url=offer.url, kicker=offer.kind_label,
                meta=" · ".join(parts), date=offer.deadline.isoformat() if offer.deadline else "")


def _check_references(editor: EditorFile, published: dict, events: dict, offers: dict,
                      all_articles: dict) -> list[Problem]:
    problems = []
    known = [*published, *events, *offers]
    if editor.lead and editor.lead not in published:
        reason = ("est un brouillon ou n'est pas encore publié" if editor.lead in all_articles
                  else f"est inconnu{did_you_mean(editor.lead, published)}")
        problems.append(editor.problem("une", f"l'article « {editor.lead} » {reason} ; "
                                       "attendu : le slug d'un article publié"))
    for key, slugs in (("ajouter", editor.add), ("retirer", editor.remove)):
        for slug in slugs:
            if slug in published or slug in events or slug in offers:
                continue
            reason = ("est un brouillon ou n'est pas encore publié" if slug in all_articles
                      else f"est inconnu{did_you_mean(slug, known)}")
            problems.append(editor.problem(key, f"« {slug} » {reason} ; attendu : le slug d'un "
                                           "article publié, d'un événement ou d'une offre"))
    if editor.lead and editor.lead in editor.remove:
        problems.append(editor.problem("retirer", f"« {editor.lead} » est aussi la Une ; "
                                       "attendu : l'un ou l'autre"))
    return problems


def select_edition(site: SiteSnapshot, month: Month, send_date: datetime,
                   editor: EditorFile | None = None, *, site_name: str = "Transfo",
                   max_items: int = 6, agenda_weeks: int = 6, locale: str = "fr_BE",
                   promoted: str | None = None, gettext: Gettext = _identity) -> Edition:
    """The edition of `month` as sent at `send_date`; EditionError lists the editor's mistakes.

    The lead is the editor's `Une`, else the `promoted` article (slug) when
    published, else the month's newest featured article, else none. Labels
    and titles go through `gettext` (English msgids when none is given).
    """
    if send_date.tzinfo is None:
        raise ValueError("send_date must be timezone-aware")
    tz = send_date.tzinfo
    all_articles = {a.slug: a for a in site.articles}
    published = {a.slug: a for a in site.articles
                 if a.status == "published" and a.date <= send_date}
    events = {e.slug: e for e in site.events}
    offers = {o.slug: o for o in site.offers}
    if editor:
        problems = _check_references(editor, published, events, offers, all_articles)
        if problems:
            raise EditionError(problems)
    removed = set(editor.remove) if editor else set()
    added = [s for s in (editor.add if editor else ()) if s not in removed]

    month_articles = sorted(
        (a for a in published.values() if month.contains(dates.to_local(a.date, tz))
         and a.slug not in removed),
        key=lambda a: a.date, reverse=True,
    )
    lead = None
    if editor and editor.lead:
        lead = published[editor.lead]
    elif promoted and promoted not in removed:
        lead = published.get(promoted)
    if lead is None:
        lead = next((a for a in month_articles if a.featured), None)

    chosen = [*month_articles, *(published[s] for s in added if s in published
                                  and published[s] not in month_articles)]
    chosen = [a for a in chosen if a is not lead]
    portraits = [a for a in chosen if a.category == site.portrait_category and not a.dossier]
    parts = [a for a in chosen if a.dossier]
    others = [a for a in chosen if a not in portraits and a not in parts]

    dossier_by_slug: dict[str, DossierRecord] = {d.slug: d for d in site.dossiers}
    dossier_items = []
    for part in sorted(parts, key=lambda a: (a.dossier, a.dossier_part or 0, a.date)):
        item = _article_item(part, locale, tz, gettext)
        dossier = dossier_by_slug.get(part.dossier) if part.dossier else None
        label = (gettext("Dossier: %(title)s") % {"title": dossier.title} if dossier
                 else gettext("Dossier"))
        if part.dossier_part:
            label = gettext("%(label)s · part %(number)s") % {"label": label,
                                                               "number": part.dossier_part}
        dossier_items.append(replace(item, kicker=label))

    window_end = send_date + timedelta(weeks=agenda_weeks)
    upcoming = [e for e in events.values() if e.slug not in removed
                and (e.slug in added or (send_date <= (e.end or e.start) and e.start < window_end
                                         and e.status.lower() not in HIDDEN_STATUSES))]
    upcoming.sort(key=lambda e: (e.start, e.title))
    today = send_date.date()
    open_offers = [o for o in offers.values() if o.slug not in removed and not o.withdrawn
                   and (o.deadline is None or o.deadline > today)]  # closing on the send day: too late
    open_offers.sort(key=lambda o: (o.deadline or date.max, o.title))

    def title(key: str) -> str:
        return gettext(BLOCK_TITLES[key])

    candidates = [
        Block("articles", title("articles"),
              tuple(_article_item(a, locale, tz, gettext) for a in others[:max_items])),
        Block("dossiers", title("dossiers"), tuple(dossier_items[:max_items])),
        Block("portraits", title("portraits"),
              tuple(_article_item(a, locale, tz, gettext) for a in portraits[:max_items])),
        Block("agenda", title("agenda") % {"weeks": _weeks(agenda_weeks, gettext)},
              tuple(_event_item(e, locale, tz, gettext) for e in upcoming[:max_items]),
              url=site.agenda_url),
        Block("jobs", title("jobs"),
              tuple(_offer_item(o, locale, gettext) for o in open_offers[:max_items]),
              url=site.offers_url),
    ]
    blocks = tuple(b for b in candidates if b.items)
    lead_item = _article_item(lead, locale, tz, gettext) if lead else None
    month_label = dates.format_date(date(month.year, month.month, 1), "month", locale)
    subject = (editor.subject if editor and editor.subject else
               f"{site_name} · {month_label}" + (f" : {lead.title}" if lead else ""))
    titles = [item.title for item in ([lead_item] if lead_item else [])]
    titles += [i.title for b in blocks for i in b.items]
    preheader = (editor.preheader if editor and editor.preheader
                 else _shorten(" · ".join(titles[:3])
                               or gettext("The %(month)s newsletter") % {"month": month_label}, 140))
    order = tuple(editor.order if editor else ()) + tuple(
        b for b in BLOCKS if not editor or b not in editor.order)
    return Edition(
        month=str(month), campaign=campaign(month), subject=subject, preheader=preheader,
        send_date=send_date.isoformat(timespec="minutes"), month_label=month_label,
        edito_html=editor.edito_html if editor else "", lead=lead_item, blocks=blocks,
        order=order, sources={"editor_file": editor.path if editor else None},
    )


def _weeks(n: int, gettext: Gettext = _identity) -> str:
    return gettext(WEEK_COUNTS[n]) if n in WEEK_COUNTS else str(n)


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"
