"""The .ics files parse back with icalendar; the JSON-LD has what Google asks for."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import icalendar
from transfo_agenda import ical, jsonld, model

BRUSSELS = ZoneInfo("Europe/Brussels")
META = ical.CalendarMeta(name="Transfo · Agenda", description="Les événements", timezone="Europe/Brussels")


def absolute(path):
    return f"https://www.exemple.be/{path}"


def make(slug="colloque", **extra):
    values = {
        "title": "Colloque", "slug": slug, "start": datetime(2020, 1, 14, 9), "end": datetime(2020, 1, 14, 16, 30),
        "date": datetime(2019, 11, 20, 9, tzinfo=BRUSSELS), "organiser": "SAW-B",
        "summary_html": "<p>Une journée.</p>",
        "source": SimpleNamespace(content="<p>Le <strong>programme</strong>.</p>"),
        "venue": "Palais des Congrès", "address": "Place d'Armes 1", "postal_code": "5000", "town": "Namur",
        **extra,
    }
    return model.make_event(values, source_path=f"agenda/{slug}.md", url=f"agenda/{slug}/",
                            ics_url=f"agenda/{slug}/{slug}.ics", uid_domain="www.exemple.be",
                            site_tz=BRUSSELS, locale="fr_BE")


def parse(data: bytes):
    calendar = icalendar.Calendar.from_ical(data)
    return calendar, list(calendar.walk("VEVENT"))


def test_timed_event_round_trips():
    event = make(modified=datetime(2019, 11, 25, 10, tzinfo=BRUSSELS), price=Decimal("40"),
                 registration="https://exemple.be/inscription", tags=["numérique"])
    calendar, [vevent] = parse(ical.render_calendar([event], META, absolute))
    assert str(calendar["VERSION"]) == "2.0"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Brussels"]
    assert str(vevent["UID"]) == "colloque@www.exemple.be"
    assert vevent.decoded("DTSTART") == datetime(2020, 1, 14, 9, tzinfo=BRUSSELS)
    assert vevent.decoded("DTSTART").utcoffset() == timedelta(hours=1)
    assert vevent.decoded("DTEND") == datetime(2020, 1, 14, 16, 30, tzinfo=BRUSSELS)
    assert vevent.decoded("DTSTAMP") == datetime(2019, 11, 25, 10, tzinfo=BRUSSELS)
    assert int(vevent["SEQUENCE"]) == model.sequence_from(event.modified) > 0
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert str(vevent["LOCATION"]) == "Palais des Congrès, Place d'Armes 1, 5000 Namur"
    assert str(vevent["URL"]) == "https://www.exemple.be/agenda/colloque/"
    description = str(vevent["DESCRIPTION"])
    assert "<" not in description
    assert description.startswith("Une journée.\n\nLe programme.\n\nOrganisation : SAW-B\nPrix : 40\u00a0€")
    assert "Inscription : https://exemple.be/inscription" in description


def test_cancelled_event_says_so():
    event = make(status="cancelled", modified=datetime(2019, 11, 29, 11, tzinfo=BRUSSELS))
    _calendar, [vevent] = parse(ical.render_calendar([event], META, absolute))
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert str(vevent["SUMMARY"]) == "ANNULÉ – Colloque"


def test_whole_days_use_dates_and_an_exclusive_end():
    event = make(start=date(2019, 10, 5), end=date(2019, 10, 6))
    calendar, [vevent] = parse(ical.render_calendar([event], META, absolute))
    assert vevent.decoded("DTSTART") == date(2019, 10, 5)
    assert vevent.decoded("DTEND") == date(2019, 10, 7)
    assert vevent.decoded("DTSTAMP") == datetime(2019, 11, 20, 9, tzinfo=BRUSSELS)
    assert int(vevent["SEQUENCE"]) == 0


def test_same_content_same_bytes():
    events = [make("a"), make("b", start=date(2019, 10, 5), end=None)]
    assert ical.render_calendar(events, META, absolute) == ical.render_calendar(events, META, absolute)


def test_jsonld_of_a_hybrid_paid_event():
    event = make(online_url="https://exemple.be/live", price=Decimal("40"),
                 registration="https://exemple.be/inscription", image="images/x.jpg", image_alt="x")
    data = jsonld.event_jsonld(event, absolute,
                               image_url="https://www.exemple.be/media/x.0123456789.1600.jpg")
    assert data["@type"] == "Event" and data["name"] == "Colloque"
    assert data["startDate"] == "2020-01-14T09:00:00+01:00"
    assert data["endDate"] == "2020-01-14T16:30:00+01:00"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    place, virtual = data["location"]
    assert place["@type"] == "Place" and place["address"]["@type"] == "PostalAddress"
    assert place["address"]["addressLocality"] == "Namur" and place["address"]["postalCode"] == "5000"
    assert virtual == {"@type": "VirtualLocation", "url": "https://exemple.be/live"}
    assert data["offers"]["price"] == "40.00" and data["offers"]["priceCurrency"] == "EUR"
    assert data["offers"]["url"] == "https://exemple.be/inscription"
    assert data["organizer"] == {"@type": "Organization", "name": "SAW-B"}
    assert data["image"] == ["https://www.exemple.be/media/x.0123456789.1600.jpg"]
    assert data["description"] == "Une journée."


def test_jsonld_of_an_online_cancelled_event():
    event = make(title="A </script> B", venue="", address="", postal_code="", town="",
                 online_url="https://exemple.be/live", status="cancelled",
                 modified=datetime(2019, 11, 29, tzinfo=BRUSSELS))
    data = jsonld.event_jsonld(event, absolute)
    assert data["name"] == "A </script> B"
    assert data["location"] == {"@type": "VirtualLocation", "url": "https://exemple.be/live"}
    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    assert "offers" not in data


def test_an_empty_calendar_still_has_a_component():
    calendar = icalendar.Calendar.from_ical(ical.render_calendar([], META, absolute))
    assert [c.name for c in calendar.subcomponents] == ["VTIMEZONE"]
    assert calendar.walk("VEVENT") == []


def test_an_event_moved_online_is_at_its_link_not_its_old_place():
    event = make(status="moved-online", online_url="https://exemple.be/live",
                 modified=datetime(2019, 11, 29, 11, tzinfo=BRUSSELS))
    _calendar, [vevent] = parse(ical.render_calendar([event], META, absolute))
    assert str(vevent["LOCATION"]) == "https://exemple.be/live"
    hybrid = make(online_url="https://exemple.be/live")
    _calendar, [vevent] = parse(ical.render_calendar([hybrid], META, absolute))
    assert str(vevent["LOCATION"]) == "Palais des Congrès, Place d'Armes 1, 5000 Namur et en ligne"


def test_calendar_description_keeps_the_addresses_of_the_body_s_links():
    body = ('<p>Le <a href="https://exemple.be/programme.pdf?j=1&amp;v=2">programme complet</a>, '
            'inscription par <a href="mailto:info@exemple.be">courriel</a> ou sur '
            '<a href="https://exemple.be/inscription">https://exemple.be/inscription</a>.</p>')
    event = make(source=SimpleNamespace(content=body))
    _calendar, [vevent] = parse(ical.render_calendar([event], META, absolute))
    assert str(vevent["DESCRIPTION"]).split("\n\n")[1] == (
        "Le programme complet (https://exemple.be/programme.pdf?j=1&v=2), inscription par "
        "courriel (info@exemple.be) ou sur https://exemple.be/inscription.")
    assert event.summary == "Une journée."  # lists and Google keep the words alone


def test_a_calendar_named_after_an_event_escapes_its_title_and_summary():
    """One event's own .ics is named after it: its title's « , ; \\ » are escaped as RFC 5545 asks,
    and a summary with a line break (<br>) no longer stops the build."""
    event = make(title='Atelier, vélo ; « R&D » \\ fin', summary_html="<p>Ligne un<br>ligne deux</p>")
    meta = ical.CalendarMeta(name=event.title, description=event.summary, timezone="Europe/Brussels")
    data = ical.render_calendar([event], meta, absolute)
    calendar, [vevent] = parse(data)
    for name in ("NAME", "X-WR-CALNAME"):
        assert as_text(str(calendar[name])) == event.title
    assert as_text(str(calendar["X-WR-CALDESC"])) == "Ligne un\n\nligne deux"
    assert str(vevent["SUMMARY"]) == event.title


def as_text(raw: str) -> str:
    """A value read as a TEXT property, as calendar apps read NAME: icalendar 7.3 unescapes only
    the properties whose type it knows, so the value is given to it as a SUMMARY."""
    probe = icalendar.Calendar.from_ical(f"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:{raw}\r\n"
                                         "END:VEVENT\r\nEND:VCALENDAR\r\n")
    return str(probe.walk("VEVENT")[0]["SUMMARY"])
