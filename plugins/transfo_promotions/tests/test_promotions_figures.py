from datetime import date
from decimal import Decimal

from transfo_promotions.figures import (
    best_and_worst,
    best_performer,
    figures_of,
    per_article,
    per_month,
    spend_by_month,
)
from transfo_promotions.records import Promotion


def boost(slug, start, end, spent, reads, reach=1000, impressions=2000, clicks=100, budget=None,
          platform="facebook"):
    return Promotion(slug=slug, platform=platform, start=start, end=end,
                     budget=Decimal(budget if budget is not None else spent),
                     spent=Decimal(spent), reach=reach, impressions=impressions, clicks=clicks,
                     reads=reads)


DOSSIER = boost("vetements-1", date(2019, 4, 24), date(2019, 5, 3), "100", 3500, reach=57000,
                impressions=98400, clicks=4870)


def test_cost_per_read_of_the_dossier_boost():
    figures = figures_of([DOSSIER])
    assert round(figures.cost_per_read, 4) == Decimal("0.0286")
    assert figures.reach_per_euro == Decimal(570)
    assert round(figures.click_through_rate, 4) == Decimal("0.0495")
    assert round(figures.frequency, 2) == Decimal("1.73")


def test_no_reads_no_cost_per_read():
    figures = figures_of([boost("x", date(2019, 1, 1), date(2019, 1, 1), "0", 0, reach=0,
                                impressions=0)])
    assert figures.cost_per_read is None and figures.reach_per_euro is None
    assert figures.click_through_rate is None and figures.frequency is None


def test_a_boost_is_spread_over_its_months_to_the_cent():
    shares = spend_by_month(boost("x", date(2019, 4, 24), date(2019, 5, 3), "100", 1))
    assert shares == {"2019-04": Decimal("70.00"), "2019-05": Decimal("30.00")}
    odd = spend_by_month(boost("x", date(2019, 1, 31), date(2019, 2, 2), "10", 1))
    assert sum(odd.values()) == Decimal("10")


def test_months_against_the_budget_include_empty_months():
    records = [DOSSIER, boost("y", date(2019, 7, 1), date(2019, 7, 31), "320", 900)]
    months = per_month(records, Decimal(300))
    assert [m.month for m in months] == ["2019-04", "2019-05", "2019-06", "2019-07"]
    assert months[2].spent == 0 and not months[2].over_budget
    assert months[3].over_budget and months[3].remaining == Decimal(-20)


def test_articles_add_their_boosts_up():
    second = boost("vetements-1", date(2019, 5, 10), date(2019, 5, 12), "20", 500,
                   platform="instagram")
    (article,) = per_article([DOSSIER, second])
    assert article.boosts == 2 and article.figures.spent == Decimal(120)
    assert article.figures.reads == 4000 and article.figures.cost_per_read == Decimal("0.03")


def test_best_and_worst_by_cost_per_read():
    cheap = DOSSIER
    dear = boost("dear", date(2019, 6, 1), date(2019, 6, 10), "120", 300)
    nothing = boost("nothing", date(2019, 6, 1), date(2019, 6, 10), "10", 0)
    best, worst = best_and_worst([dear, nothing, cheap])
    assert best.record is cheap and worst.record is dear


def test_best_performer_of_a_month_for_the_newsletter():
    november = boost("nov-a", date(2019, 11, 6), date(2019, 11, 20), "112.30", 980)
    overlap = boost("nov-b", date(2019, 10, 30), date(2019, 11, 10), "88.75", 470)
    records = [DOSSIER, november, overlap]
    assert best_performer(records, "2019-11") is november
    assert best_performer(records, date(2019, 5, 15)) is DOSSIER
    assert best_performer(records, "2019-08") is None
