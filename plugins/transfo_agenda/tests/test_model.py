"""Pure agenda logic: time zones, upcoming/past, SEQUENCE, links, grouping."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

from transfo_agenda import model

BRUSSELS = ZoneInfo("Europe/Brussels")


def make(slug="colloque", start=datetime(2020, 1, 14, 9, 0), end=datetime(2020, 1, 14, 16, 30), **extra):
    values = {
        "title": "Colloque", "slug": slug, "start": start, "end": end,
        "date": datetime(2019, 11, 20, 9, tzinfo=BRUSSELS), "organiser": "SAW-B",
        "summary_html": "<p>Une journée d&rsquo;échanges.</p>",
        "source": SimpleNamespace(content="<p>Corps <em>riche</em>.</p>"),
        "venue": "Palais des Congrès", "address": "Place d'Armes 1", "postal_code": "5000", "town": "Namur",
        **extra,
    }
    return model.make_event(values, source_path=f"agenda/{slug}.md", url=f"agenda/{slug}/",
                            ics_url=f"agenda/{slug}/{slug}.ics", uid_domain="www.exemple.be",
                            site_tz=BRUSSELS, locale="fr_BE")


def test_timed_event_is_aware_in_brussels():
    event = make()
    assert event.start == datetime(2020, 1, 14, 9, 0, tzinfo=BRUSSELS)
    assert event.start.utcoffset() == timedelta(hours=1)
    assert not event.all_day and event.has_end
    assert event.when.replace("\u00a0", " ") == "mardi 14 janvier 2020, 9 h – 16 h 30"
    assert event.uid == "colloque@www.exemple.be"
    assert event.summary == "Une journée d’échanges."
    assert event.status == "planned" and event.attendance == "offline"


def test_other_time_zones_are_converted():
    event = make(timezone="Europe/London")
    assert event.start.hour == 10 and event.start.tzinfo.key == "Europe/Brussels"


def test_whole_days_cover_the_last_day():
    event = make(start=date(2019, 10, 5), end=date(2019, 10, 6))
    assert event.all_day
    assert event.start == datetime(2019, 10, 5, tzinfo=BRUSSELS)
    assert event.last_day == date(2019, 10, 6)
    assert event.when == "du 5 au 6 octobre 2019"
    single = make(start=date(2019, 10, 6), end=None)
    assert single.first_day == single.last_day == date(2019, 10, 6)


def test_upcoming_until_the_end_has_passed():
    event = make(start=date(2019, 12, 13), end=date(2019, 12, 15))
    during = datetime(2019, 12, 14, 12, tzinfo=BRUSSELS)
    after = datetime(2019, 12, 16, 0, 1, tzinfo=BRUSSELS)
    assert model.split_by_now([event], during) == ([event], [])
    assert model.split_by_now([event], after) == ([], [event])


def test_a_timed_event_without_an_end_is_upcoming_until_the_end_of_its_day():
    """docs/agenda.md: « à venir » until the end of its last day; a 9 h talk is not over at 10 h."""
    talk = make(start=datetime(2019, 12, 14, 9, 0), end=None)
    assert not talk.has_end and talk.end == talk.start
    for moment in (datetime(2019, 12, 14, 10, 0), datetime(2019, 12, 14, 23, 59, 59)):
        assert model.split_by_now([talk], moment.replace(tzinfo=BRUSSELS)) == ([talk], [])
    assert model.split_by_now([talk], datetime(2019, 12, 15, 0, 0, tzinfo=BRUSSELS)) == ([], [talk])
    timed = make(start=datetime(2019, 12, 14, 9, 0), end=datetime(2019, 12, 14, 12, 0))
    assert model.split_by_now([timed], datetime(2019, 12, 14, 12, 1, tzinfo=BRUSSELS)) == ([], [timed])


def test_calendar_feed_keeps_recent_past_events():
    old = make("old", start=date(2019, 1, 5), end=None)
    recent = make("recent", start=date(2019, 11, 10), end=None)
    now = datetime(2019, 11, 30, 23, 59, tzinfo=BRUSSELS)
    assert model.in_calendar_feed([old, recent], now, past_days=90) == [recent]


def test_sequence_is_stable_and_grows_with_modified():
    assert model.sequence_from(None) == 0
    first = model.sequence_from(datetime(2019, 11, 25, 10, 0, tzinfo=BRUSSELS))
    assert first == model.sequence_from(datetime(2019, 11, 25, 10, 0, tzinfo=BRUSSELS))
    assert model.sequence_from(datetime(2019, 11, 25, 10, 1, tzinfo=BRUSSELS)) == first + 1
    assert first < 2**31  # RFC 5545 INTEGER


def test_hybrid_and_online_attendance():
    assert make(online_url="https://exemple.be/live").attendance == "mixed"
    online = make(venue="", address="", postal_code="", town="", online_url="https://exemple.be/live")
    assert online.attendance == "online" and online.map_url == ""
    moved = make(status="moved-online", online_url="https://exemple.be/live")
    assert moved.attendance == "online" and not moved.is_onsite


def test_plain_map_and_google_calendar_links():
    event = make(price=Decimal("0"))
    assert event.free
    osm = urlparse(event.map_url)
    assert osm.netloc == "www.openstreetmap.org"
    assert parse_qs(osm.query)["query"] == ["Place d'Armes 1, 5000 Namur, BE"]
    google = parse_qs(urlparse(event.google_calendar_url).query)
    assert google["dates"] == ["20200114T080000Z/20200114T153000Z"]
    assert google["text"] == ["Colloque"] and google["ctz"] == ["Europe/Brussels"]
    all_day = make(start=date(2019, 10, 5), end=date(2019, 10, 6))
    assert parse_qs(urlparse(all_day.google_calendar_url).query)["dates"] == ["20191005/20191007"]


def test_grouping_by_month_and_year():
    a = make("a", start=date(2019, 12, 13), end=None)
    b = make("b", start=date(2019, 12, 3), end=None)
    c = make("c", start=date(2020, 1, 14), end=None)
    months = model.group_by_month([a, b, c], "fr_BE")
    assert [(label, [e.slug for e in events]) for label, _y, _m, events in months] == [
        ("décembre 2019", ["b", "a"]), ("janvier 2020", ["c"]),
    ]
    assert {year: [e.slug for e in events] for year, events in model.group_by_year([a, b, c]).items()} == {
        2020: ["c"], 2019: ["a", "b"],
    }


def test_html_to_text():
    assert model.html_to_text("<p>Un &amp; deux</p>\n<ul><li>trois</li></ul>") == "Un & deux\n\ntrois"


def test_google_calendar_link_of_an_event_moved_online_gives_its_link():
    event = make(status="moved-online", online_url="https://exemple.be/live",
                 modified=datetime(2019, 11, 29, 11, tzinfo=BRUSSELS))
    google = parse_qs(urlparse(event.google_calendar_url).query)
    assert google["location"] == ["https://exemple.be/live"]
    assert event.map_url == ""


def test_google_calendar_link_only_for_an_event_that_takes_place():
    modified = datetime(2019, 11, 29, 11, tzinfo=BRUSSELS)
    assert make(status="cancelled", modified=modified).google_calendar_url == ""
    assert make(status="postponed", modified=modified).google_calendar_url == ""
    assert make().google_calendar_url.startswith("https://calendar.google.com/")
    assert make(status="moved-online", online_url="https://exemple.be/live",
                modified=modified).google_calendar_url.startswith("https://calendar.google.com/")


def test_a_price_is_written_as_french_readers_write_it_and_as_offers_write_salaries():
    """« 10000 € » on an event, « 2 850 € » on an offer: one formatter (transfo_i18n.numbers)."""
    assert make(price=Decimal("10000")).price_text == "10\u202f000\u00a0€"
    assert make(price=Decimal("12.5")).price_text == "12,50\u00a0€"
    assert make(price=Decimal("0")).price_text == "" and make().price_text == ""
