from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace as NS
from zoneinfo import ZoneInfo

import pytest
from transfo_offers import logic
from transfo_offers.logic import closing_label, deadline_moment, offer_state, plural, salary_text

TZ = ZoneInfo("Europe/Brussels")
NOW = datetime(2019, 11, 30, 23, 59, 59, tzinfo=TZ)  # what `--now 2019-11-30` gives
MORNING = datetime(2019, 11, 30, 9, 0, tzinfo=TZ)


def at(day, month=12, year=2019, hour=23, minute=59, second=59):
    return datetime(year, month, day, hour, minute, second, tzinfo=TZ)


def test_a_bare_day_closes_at_its_end_in_brussels():
    moment = deadline_moment(date(2019, 12, 12), TZ)
    assert moment == datetime(2019, 12, 12, 23, 59, 59, tzinfo=TZ)
    assert moment.isoformat() == "2019-12-12T23:59:59+01:00"
    assert deadline_moment(datetime(2020, 7, 1, 12, 0), TZ).isoformat() == "2020-07-01T12:00:00+02:00"


def test_state_follows_deadline_and_status():
    assert offer_state("open", at(3), NOW) == "open"
    assert offer_state("open", at(29, 11), NOW) == "expired"
    assert offer_state("filled", at(31), NOW) == "filled"
    assert offer_state("closed", at(31), NOW) == "closed"
    # A deadline later the same day is still open in the morning, not at night.
    noon = datetime(2019, 11, 30, 12, 0, tzinfo=TZ)
    assert offer_state("open", noon, MORNING) == "open"
    assert offer_state("open", noon, NOW) == "expired"


def test_french_plural_rules():
    assert [plural(n, "jour", "jours") for n in (0, 1, 2, 3)] == ["jour", "jour", "jours", "jours"]


@pytest.mark.parametrize(("deadline", "now", "has_time", "expected"), [
    (at(30, 11), MORNING, False, "Clôture aujourd’hui"),
    (at(30, 11, hour=12, minute=0, second=0), MORNING, True, "Clôture aujourd’hui à 12\u00a0h"),
    (at(1), NOW, False, "Clôture demain"),
    (at(2), NOW, False, "Clôture dans 2 jours"),
    (at(3), NOW, False, "Clôture dans 3 jours"),
    (at(7), NOW, False, "Clôture dans 7 jours"),
    (at(8), NOW, False, "Clôture le 8 décembre"),
    (at(12), NOW, False, "Clôture le 12 décembre"),
    (at(1), datetime(2019, 11, 1, 9, 0, tzinfo=TZ), False, "Clôture le 1er décembre"),
    (at(17, 1, 2020, 12, 0, 0), NOW, True, "Clôture le 17 janvier 2020 à 12\u00a0h"),
    (at(22, 11), NOW, False, "Clôturée le 22 novembre 2019"),
])
def test_closing_label(deadline, now, has_time, expected):
    assert closing_label(deadline, now, TZ, has_time=has_time, soon_days=7) == expected


def test_closing_label_counts_calendar_days_not_hours():
    # One minute past midnight: the deadline at 23:59:59 the next day is "demain".
    just_after_midnight = datetime(2019, 12, 2, 0, 1, tzinfo=TZ)
    assert closing_label(at(3), just_after_midnight, TZ) == "Clôture demain"
    assert logic.days_until(at(3), just_after_midnight, TZ) == 1


def test_closing_soon_window():
    assert logic.is_closing_soon(at(3), NOW, TZ, 7)
    assert not logic.is_closing_soon(at(12), NOW, TZ, 7)
    assert not logic.is_closing_soon(at(29, 11), NOW, TZ, 7)


def test_salary_text():
    assert salary_text(Decimal(2450), Decimal(3100), "mois") == (
        "De 2\u202f450\u00a0€ à 3\u202f100\u00a0€ bruts par mois"
    )
    assert salary_text(Decimal(1520), None, None) == "À partir de 1\u202f520\u00a0€ bruts par mois"
    assert salary_text(None, Decimal("14.5"), "heure") == "Jusqu’à 14,50\u00a0€ bruts de l'heure"
    assert salary_text(Decimal(2000), Decimal(2000), "mois") == "2\u202f000\u00a0€ bruts par mois"
    assert salary_text(None, None, None) == ""


def test_place_text():
    assert logic.place_text("Namur", "wallonie", False) == "Namur (Wallonie)"
    assert logic.place_text("Liège", "wallonie", True) == "Liège (Wallonie) ou télétravail"
    assert logic.place_text("", None, True) == "Télétravail"
    assert logic.place_text("", "bruxelles", False) == "Bruxelles"


def offer(title, deadline, status="open", day=20):
    return NS(title=title, deadline=deadline, date=at(day, 11, hour=10, minute=0, second=0),
              status=status, is_open=status == "open", kind="emploi")


def test_listing_orders_open_offers_by_soonest_deadline():
    offers = [offer("B", at(20)), offer("A", at(3)), offer("gone", at(1), "expired"),
              offer("C", at(20), day=25)]
    assert [o.title for o in logic.sort_open(offers)] == ["A", "C", "B"]
    assert [o.title for o in logic.latest_open(offers, 2)] == ["C", "B"]
    assert logic.count_states(offers) == {"open": 3, "expired": 1, "filled": 0, "closed": 0}
    kinds = dict((kind.code, items) for kind, items in logic.by_kind(logic.sort_open(offers)))
    assert list(kinds) == ["emploi", "stage", "benevolat", "appel-a-projets"]
    assert len(kinds["emploi"]) == 3 and kinds["stage"] == []
