"""What each boost brought: pure functions from records to figures.

Ratios are None when their denominator is zero (a boost with no read has no
cost per read). Money stays Decimal; rounding happens only when displayed.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from .records import Promotion

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Figures:
    """Totals of one or several boosts, and the ratios that compare them."""

    spent: Decimal
    budget: Decimal
    reach: int
    impressions: int
    clicks: int
    reads: int

    @property
    def cost_per_read(self) -> Decimal | None:
        """EUR per landing-page view: 100 EUR / 3500 reads = 0.0286 EUR."""
        return self.spent / self.reads if self.reads else None

    @property
    def reach_per_euro(self) -> Decimal | None:
        return Decimal(self.reach) / self.spent if self.spent else None

    @property
    def click_through_rate(self) -> Decimal | None:
        """Link clicks per impression (0.012 = 1.2 %)."""
        return Decimal(self.clicks) / self.impressions if self.impressions else None

    @property
    def frequency(self) -> Decimal | None:
        """Times each reached person saw the ad on average: impressions / reach."""
        return Decimal(self.impressions) / self.reach if self.reach else None


def figures_of(records: Iterable[Promotion]) -> Figures:
    records = list(records)
    return Figures(
        spent=sum((r.spent for r in records), Decimal(0)),
        budget=sum((r.budget for r in records), Decimal(0)),
        reach=sum(r.reach for r in records),
        impressions=sum(r.impressions for r in records),
        clicks=sum(r.clicks for r in records),
        reads=sum(r.reads for r in records),
    )


@dataclass(frozen=True)
class BoostFigures:
    record: Promotion
    figures: Figures


@dataclass(frozen=True)
class ArticleFigures:
    """All boosts of one article added up. Reach is summed: people reached by
    two boosts count twice (Ads Manager gives no de-duplicated total)."""

    slug: str
    boosts: int
    figures: Figures


@dataclass(frozen=True)
class MonthFigures:
    month: str  # YYYY-MM
    spent: Decimal  # spread over the boosts' days
    budget: Decimal  # the monthly budget setting

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.spent

    @property
    def over_budget(self) -> bool:
        return self.spent > self.budget


def per_boost(records: Iterable[Promotion]) -> list[BoostFigures]:
    """Each boost with its figures, in start order."""
    return [BoostFigures(r, figures_of([r]))
            for r in sorted(records, key=lambda r: (r.start, r.slug, r.platform))]


def per_article(records: Iterable[Promotion]) -> list[ArticleFigures]:
    """Each promoted article with its boosts added up, most spent first."""
    by_slug: dict[str, list[Promotion]] = defaultdict(list)
    for record in records:
        by_slug[record.slug].append(record)
    rows = [ArticleFigures(slug, len(items), figures_of(items)) for slug, items in by_slug.items()]
    return sorted(rows, key=lambda a: (-a.figures.spent, a.slug))


def month_key(value: date) -> str:
    return f"{value.year:04d}-{value.month:02d}"


def spend_by_month(record: Promotion) -> dict[str, Decimal]:
    """A boost's spending spread over its days, so a boost from 25 April to
    5 May counts in both months; the cents add up to the amount spent."""
    days = (record.end - record.start).days + 1
    counts: dict[str, int] = defaultdict(int)
    for offset in range(days):
        counts[month_key(record.start + timedelta(days=offset))] += 1
    shares: dict[str, Decimal] = {}
    left = record.spent
    months = sorted(counts)
    for month in months[:-1]:
        share = (record.spent * counts[month] / days).quantize(CENT, ROUND_HALF_UP)
        shares[month] = share
        left -= share
    shares[months[-1]] = left
    return shares


def per_month(records: Iterable[Promotion], monthly_budget: Decimal) -> list[MonthFigures]:
    """Spending of every month from the first boost to the last, empty ones included."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for record in records:
        for month_key, amount in spend_by_month(record).items():
            totals[month_key] += amount
    if not totals:
        return []
    first, last = min(totals), max(totals)
    year, month = int(first[:4]), int(first[5:])
    rows = []
    while f"{year:04d}-{month:02d}" <= last:
        key = f"{year:04d}-{month:02d}"
        rows.append(MonthFigures(key, totals.get(key, Decimal(0)), Decimal(monthly_budget)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return rows


def ranked_by_cost_per_read(records: Iterable[Promotion]) -> list[BoostFigures]:
    """Boosts that brought reads, cheapest read first; ties: more reads, then earlier."""
    rows = [b for b in per_boost(records) if b.figures.cost_per_read is not None]
    return sorted(rows, key=lambda b: (b.figures.cost_per_read, -b.figures.reads,
                                       b.record.start, b.record.slug))


def best_and_worst(records: Iterable[Promotion]) -> tuple[BoostFigures | None, BoostFigures | None]:
    ranked = ranked_by_cost_per_read(records)
    return (ranked[0], ranked[-1]) if ranked else (None, None)


def _month_bounds(month: str | date) -> tuple[date, date]:
    if isinstance(month, datetime):
        month = month.date()
    if isinstance(month, date):
        year, number = month.year, month.month
    else:
        try:
            year, number = (int(part) for part in str(month).split("-"))
        except ValueError:
            raise ValueError(f"month: expected 'YYYY-MM' or a date, got {month!r}") from None
    last_day = calendar.monthrange(year, number)[1]
    return date(year, number, 1), date(year, number, last_day)


def best_performer(records: Iterable[Promotion], month: str | date) -> Promotion | None:
    """The boost running in `month` ("YYYY-MM" or a date) with the lowest cost
    per read, or None when no boost of that month brought a read.

    For the newsletter to lead with its article (`.slug`): the figures are
    internal and must never be printed in anything sent or published.
    """
    first, last = _month_bounds(month)
    running = [r for r in records if r.start <= last and r.end >= first]
    ranked = ranked_by_cost_per_read(running)
    return ranked[0].record if ranked else None
