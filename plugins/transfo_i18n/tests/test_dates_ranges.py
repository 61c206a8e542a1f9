"""Date ranges for the agenda, in French."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from transfo_i18n.dates import format_date_range, format_datetime_range, format_day_range

BRUSSELS = ZoneInfo("Europe/Brussels")
NB = "\u00a0"


def plain(text: str) -> str:
    return text.replace(NB, " ")


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (date(2019, 10, 6), date(2019, 10, 6), "dimanche 6 octobre 2019"),
        (date(2019, 10, 5), date(2019, 10, 6), "du 5 au 6 octobre 2019"),
        (date(2019, 10, 1), date(2019, 10, 3), "du 1er au 3 octobre 2019"),
        (date(2019, 11, 30), date(2019, 12, 2), "du 30 novembre au 2 décembre 2019"),
        (date(2019, 12, 30), date(2020, 1, 2), "du 30 décembre 2019 au 2 janvier 2020"),
        (date(2020, 2, 1), date(2020, 2, 1), "samedi 1er février 2020"),
    ],
)
def test_whole_days(first, last, expected):
    assert format_day_range(first, last) == expected


def test_timed_on_one_day():
    start = datetime(2019, 11, 14, 9, 30, tzinfo=BRUSSELS)
    end = datetime(2019, 11, 14, 12, 0, tzinfo=BRUSSELS)
    assert plain(format_datetime_range(start, end, BRUSSELS)) == "jeudi 14 novembre 2019, 9 h 30 – 12 h"


def test_timed_without_end_shows_the_start_only():
    start = datetime(2020, 1, 14, 9, 0, tzinfo=BRUSSELS)
    assert plain(format_datetime_range(start, None, BRUSSELS)) == "mardi 14 janvier 2020, 9 h"
    assert plain(format_datetime_range(start, start, BRUSSELS)) == "mardi 14 janvier 2020, 9 h"


def test_timed_over_several_days():
    start = datetime(2019, 11, 14, 9, 30, tzinfo=BRUSSELS)
    end = datetime(2019, 11, 15, 17, 0, tzinfo=BRUSSELS)
    assert plain(format_datetime_range(start, end, BRUSSELS)) == (
        "du 14 novembre 2019, 9 h 30 au 15 novembre 2019, 17 h"
    )


def test_utc_values_are_shown_in_brussels_time():
    start = datetime(2019, 11, 14, 8, 30, tzinfo=ZoneInfo("UTC"))
    end = datetime(2019, 11, 14, 11, 0, tzinfo=ZoneInfo("UTC"))
    assert plain(format_datetime_range(start, end, BRUSSELS)) == "jeudi 14 novembre 2019, 9 h 30 – 12 h"


def test_format_date_range_dispatches_on_all_day():
    start = datetime(2019, 10, 5, 0, 0, tzinfo=BRUSSELS)
    end = datetime(2019, 10, 6, 23, 59, 59, tzinfo=BRUSSELS)
    assert format_date_range(start, end, BRUSSELS, all_day=True) == "du 5 au 6 octobre 2019"
    assert format_date_range(date(2019, 10, 6), None, BRUSSELS, all_day=True) == "dimanche 6 octobre 2019"
    timed = datetime(2019, 11, 14, 9, 30, tzinfo=BRUSSELS)
    assert plain(format_date_range(timed, None, BRUSSELS)) == "jeudi 14 novembre 2019, 9 h 30"


def test_plain_dates_are_whole_days_without_the_all_day_flag():
    # Found by mypy: a date without all_day=True reached the timed branch and raised AttributeError.
    assert format_date_range(date(2019, 10, 6), None, BRUSSELS) == "dimanche 6 octobre 2019"
    assert format_date_range(date(2019, 10, 5), date(2019, 10, 6), BRUSSELS) == "du 5 au 6 octobre 2019"


def test_a_range_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError):
        format_day_range(date(2019, 10, 6), date(2019, 10, 5))
    with pytest.raises(ValueError):
        format_datetime_range(datetime(2019, 10, 6, 10, tzinfo=BRUSSELS),
                              datetime(2019, 10, 6, 9, tzinfo=BRUSSELS), BRUSSELS)


def test_other_locales_get_a_plain_dash():
    assert format_day_range(date(2019, 10, 5), date(2019, 10, 6), "en_GB") == (
        "5 October 2019 – 6 October 2019"
    )
