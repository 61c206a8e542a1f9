from datetime import datetime
from types import SimpleNamespace as NS
from zoneinfo import ZoneInfo

import pytest
from transfo_publication.logic import (
    NavItem,
    featured,
    latest_by_rubric,
    navigation,
    reading_minutes,
    split_scheduled,
)
from transfo_publication.settings import PublicationSettingsError, parse_now, read_settings

TZ = ZoneInfo("Europe/Brussels")


def category(name):
    return NS(name=name, slug=name.lower(), url=f"rubrique/{name.lower()}/")


def new_year_2026(tz):
    return datetime(2026, 1, 1, tzinfo=tz)


def art(day, **kw):
    return NS(date=datetime(2019, 11, day, 10, tzinfo=TZ), **kw)


def test_bare_build_date_means_the_end_of_that_day():
    now = parse_now("2019-11-30", TZ)
    assert now == datetime(2019, 11, 30, 23, 59, 59, tzinfo=TZ)
    assert parse_now("2019-11-30T08:00", TZ) == datetime(2019, 11, 30, 8, 0, tzinfo=TZ)
    assert parse_now(None, TZ, clock=new_year_2026).year == 2026
    with pytest.raises(PublicationSettingsError, match="TRANSFO_NOW"):
        parse_now("30/11/2019", TZ)


def test_settings_validation_names_the_key():
    with pytest.raises(PublicationSettingsError, match="TRANSFO_HOME_FEATURED"):
        read_settings({"TRANSFO_HOME_FEATURED": 0})


def test_articles_after_the_build_date_are_held_back():
    a, b = art(29), art(30)
    published, scheduled = split_scheduled([a, b], datetime(2019, 11, 29, 23, 0, tzinfo=TZ))
    assert published == [a] and scheduled == [b]


def test_reading_time_counts_words_not_tags():
    html = "<p>" + " ".join(["mot"] * 460) + "</p><img src=x alt='y'>"
    assert reading_minutes(html, 230) == 2
    assert reading_minutes("", 230) == 1


def test_featured_keeps_order_and_limit():
    items = [art(1, featured=True), art(2), art(3, featured=True), art(4, featured=True)]
    assert featured(items, 2) == [items[0], items[2]]


def test_latest_by_rubric_follows_configured_order_and_skips_featured():
    a, b, c = art(1), art(2), art(3)
    rows = latest_by_rubric([(category("Analyses"), [a]), (category("Actualités"), [b, c])],
                            ("Actualités", "Analyses"), limit=1, exclude=[b])
    assert [(row[0].name, row[1]) for row in rows] == [("Actualités", [c]), ("Analyses", [a])]


def test_navigation_lists_rubrics_with_articles_then_extras():
    nav = navigation([(category("Analyses"), [1]), (category("Actualités"), [1]), (category("Portraits"), [])],
                     ("Actualités", "Analyses", "Portraits"),
                     [NavItem("Agenda", "agenda/", "agenda", 60)])
    assert [item.label for item in nav] == ["Actualités", "Analyses", "Agenda"]
    assert nav[0].key == "rubrique:actualités"


def test_an_extra_item_with_a_rubric_key_replaces_the_rubric_entry():
    nav = navigation([(category("Analyses"), [1]), (category("Dossiers"), [1])], ("Analyses", "Dossiers"),
                     [NavItem("Dossiers", "dossiers/", "rubrique:dossiers", 1)])
    assert [(item.label, item.url) for item in nav] == [("Analyses", "rubrique/analyses/"),
                                                        ("Dossiers", "dossiers/")]


def test_now_option_keeps_the_two_date_forms_and_turns_the_words_into_this_minute():
    from datetime import timezone

    from transfo_publication.settings import NowError, now_option

    clock = lambda tz: datetime(2026, 12, 4, 17, 41, 12, tzinfo=timezone.utc).astimezone(tz)  # noqa: E731
    assert now_option("2026-12-04") == "2026-12-04"
    assert now_option(" 2026-12-04T08:30 ") == "2026-12-04T08:30"
    for word in ("aujourd'hui", "Aujourd’hui", "today", "TODAY"):
        assert now_option(word, clock=clock) == "2026-12-04T17:41+00:00"
    assert parse_now(now_option("today", clock=clock), TZ) == datetime(2026, 12, 4, 18, 41, tzinfo=TZ)
    assert now_option(now_option("today", clock=clock)) == "2026-12-04T17:41+00:00"  # idempotent
    for bad in ("04/12/2026", "2026-12-4", "2026-12-04T8h30", "demain", "1899-12-31", "2101-01-01", ""):
        with pytest.raises(NowError, match="attendu"):
            now_option(bad)
