"""Pure functions: when an offer closes, what readers are told, what is listed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, tzinfo
from decimal import Decimal
from typing import TYPE_CHECKING

from babel import Locale
from transfo_i18n.dates import format_date, format_time
from transfo_i18n.numbers import euros
from transfo_validation.vocabulary import Term

from . import vocabulary as v

if TYPE_CHECKING:  # model builds offers with this module's functions
    from .model import Offer

END_OF_DAY = time(23, 59, 59)

OPEN, EXPIRED, FILLED, CLOSED = "open", "expired", "filled", "closed"


def deadline_moment(value: date | datetime, tz: tzinfo) -> datetime:
    """The aware moment an offer closes; a bare day means the end of that day."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(tz)
    return datetime.combine(value, END_OF_DAY, tzinfo=tz)


def offer_state(status: str | None, deadline: datetime, now: datetime) -> str:
    """open, expired (deadline passed), filled or closed (by the editor)."""
    if status == "filled":
        return FILLED
    if status == "closed":
        return CLOSED
    return EXPIRED if deadline < now else OPEN


def days_until(deadline: datetime, now: datetime, tz: tzinfo) -> int:
    """Calendar days from `now` to the deadline, in the site's zone (0: today)."""
    return (deadline.astimezone(tz).date() - now.astimezone(tz).date()).days


def plural(count: int, one: str, other: str, locale: str = "fr_BE") -> str:
    """`one` or `other` by the locale's plural rule (French: 0 and 1 are singular)."""
    return one if Locale.parse(locale).plural_form(count) == "one" else other


def closing_label(deadline: datetime, now: datetime, tz: tzinfo, *, has_time: bool = False,
                  soon_days: int = 7, locale: str = "fr_BE") -> str:
    """"Clôture aujourd’hui", "Clôture demain", "Clôture dans 3 jours", "Clôture le 12 décembre"...

    A deadline already passed reads "Clôturée le 15 novembre 2019".
    """
    local = deadline.astimezone(tz)
    at = f" à {format_time(local, locale)}" if has_time else ""
    if deadline < now:
        return f"Clôturée le {format_date(local, 'long', locale)}"
    days = days_until(deadline, now, tz)
    if days == 0:
        return f"Clôture aujourd’hui{at}"
    if days == 1:
        return f"Clôture demain{at}"
    if days <= soon_days:
        return f"Clôture dans {days} {plural(days, 'jour', 'jours', locale)}{at}"
    style = "day_month" if local.year == now.astimezone(tz).year else "long"
    return f"Clôture le {format_date(local, style, locale)}{at}"


def deadline_label(deadline: datetime, *, has_time: bool = False, locale: str = "fr_BE") -> str:
    """"Clôture le 20 décembre 2019" (" à 12 h" with a time): true whenever it is read.

    For feeds, whose entries readers keep and read days after the build: "Clôture dans
    3 jours" or "Clôture demain" there would go on saying so after the deadline.
    """
    at = f" à {format_time(deadline, locale)}" if has_time else ""
    return f"Clôture le {format_date(deadline, 'long', locale)}{at}"


def is_closing_soon(deadline: datetime, now: datetime, tz: tzinfo, soon_days: int) -> bool:
    return now <= deadline and days_until(deadline, now, tz) <= soon_days


def salary_text(low: Decimal | None, high: Decimal | None, period: str | None,
                locale: str = "fr_BE") -> str:
    """"De 2 450 € à 3 100 € bruts par mois"; empty when no amount is given."""
    unit = v.by_code(v.SALARY_PERIODS, period or "mois") or v.SALARY_PERIODS[0]
    suffix = f"bruts {unit.label}"
    if low is not None and high is not None and low != high:
        return f"De {euros(low, locale)} à {euros(high, locale)} {suffix}"
    if low is not None:
        return f"{'À partir de ' if high is None else ''}{euros(low, locale)} {suffix}"
    if high is not None:
        return f"Jusqu’à {euros(high, locale)} {suffix}"
    return ""


def place_text(town: str | None, region: str | None, remote: bool) -> str:
    """"Namur (Wallonie)", "Télétravail", "Liège (Wallonie) ou télétravail"."""
    term = v.by_code(v.REGIONS, region)
    if town:
        where = f"{town} ({term.label})" if term and term.code != "belgique" else town
        return f"{where} ou télétravail" if remote else where
    if remote:
        return "Télétravail"
    return term.label if term else ""


def sort_open(offers: Iterable[Offer]) -> list[Offer]:
    """Open offers, soonest deadline first (then newest, then title)."""
    candidates = [o for o in offers if o.is_open]
    return sorted(candidates, key=lambda o: (o.deadline, -o.date.timestamp(), o.title))


def latest_open(offers: Iterable[Offer], limit: int) -> list[Offer]:
    """The most recently published open offers, for the home page."""
    candidates = [o for o in offers if o.is_open]
    return sorted(candidates, key=lambda o: (o.date, o.title), reverse=True)[:limit]


def by_kind(offers: Iterable[Offer]) -> list[tuple[Term, list[Offer]]]:
    """[(kind term, its offers)] in the vocabulary's order, every kind present."""
    return [(kind, [o for o in offers if o.kind == kind.code]) for kind in v.KINDS]


def count_states(offers: Iterable[Offer]) -> dict[str, int]:
    counts = {OPEN: 0, EXPIRED: 0, FILLED: 0, CLOSED: 0}
    for offer in offers:
        counts[offer.status] += 1
    return counts
