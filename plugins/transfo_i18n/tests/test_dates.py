from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from transfo_i18n.dates import format_date, format_datetime, format_time, isoformat, to_local

BRUSSELS = ZoneInfo("Europe/Brussels")


def test_long_dates_in_french():
    assert format_date(date(2019, 11, 14)) == "14 novembre 2019"
    assert format_date(date(2019, 10, 6), "full") == "dimanche 6 octobre 2019"
    assert format_date(date(2019, 11, 14), "month") == "novembre 2019"


def test_first_of_the_month_is_premier():
    assert format_date(date(2019, 2, 1)) == "1er février 2019"
    assert format_date(date(2019, 2, 1), "full") == "vendredi 1er février 2019"
    assert format_date(date(2019, 2, 11)) == "11 février 2019"


def test_times_follow_french_typography():
    assert format_time(datetime(2019, 11, 14, 9, 30)) == "9\u00a0h\u00a030"
    assert format_time(datetime(2019, 11, 14, 14, 0)) == "14\u00a0h"


def test_utc_values_are_shown_in_brussels_time():
    utc = datetime(2019, 11, 14, 8, 30, tzinfo=timezone.utc)
    assert format_datetime(utc, BRUSSELS) == "jeudi 14 novembre 2019, 9\u00a0h\u00a030"
    assert isoformat(utc, BRUSSELS) == "2019-11-14T09:30:00+01:00"
    summer = to_local(datetime(2019, 7, 1, 12, 0), BRUSSELS)
    assert summer.utcoffset().total_seconds() == 7200


def test_a_dutch_edition_only_changes_the_locale():
    assert format_date(date(2019, 11, 14), locale="nl_BE") == "14 november 2019"
    assert format_time(datetime(2019, 11, 14, 9, 30), locale="nl_BE") == "9:30"


def test_memoised_dates_follow_every_input():
    """format_date is memoised: each input (day, style, locale) still changes the text,
    and equal instants in different zones keep their own calendar day."""
    day = date(2019, 11, 14)
    assert format_date(day) == "14 novembre 2019"
    assert format_date(day) == "14 novembre 2019"  # from the memo
    assert format_date(date(2019, 11, 15)) == "15 novembre 2019"
    assert format_date(date(2020, 11, 14)) == "14 novembre 2020"
    assert format_date(day, "short") == "14/11/2019"
    assert format_date(day, "full") == "jeudi 14 novembre 2019"
    assert format_date(day, "long", "en") == "14 November 2019"
    assert format_date(day, "long", "nl_BE") == "14 november 2019"
    assert format_date(date(2019, 12, 1), "long", "en") == "1 December 2019"
    assert format_date(date(2019, 12, 1), "long", "fr_BE") == "1er décembre 2019"
    late_utc = datetime(2019, 11, 13, 23, 30, tzinfo=timezone.utc)
    brussels = late_utc.astimezone(BRUSSELS)
    assert late_utc == brussels  # the same instant, equal for Python
    assert format_date(late_utc) == "13 novembre 2019"
    assert format_date(brussels) == "14 novembre 2019"
    assert format_date(datetime(2019, 11, 14, 9, 30, tzinfo=BRUSSELS), "month") == "novembre 2019"
