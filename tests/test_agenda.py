"""Build tests of the agenda: pages, .ics files, JSON-LD, the build date, validation."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import icalendar
import pytest
from bs4 import BeautifulSoup

from tests.support import ROOT, all_text, build, copy_content, invoke, soup

AGENDA_FIXTURES = ROOT / "tests" / "fixtures" / "agenda"
PUBLIC_URL = "http://127.0.0.1:8000"
NB = "\u00a0"


def agenda_content(destination: Path) -> Path:
    """The fixture site plus the agenda fixture events, in a writable folder."""
    content = copy_content(destination)
    (content / "agenda").mkdir()
    for path in AGENDA_FIXTURES.glob("*.md"):
        shutil.copy(path, content / "agenda" / path.name)
    return content


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    return agenda_content(tmp_path_factory.mktemp("agenda") / "content")


@pytest.fixture(scope="module")
def site(content, tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("agenda-site")
    build(output, content=content, now="2019-11-30")
    return output


@pytest.fixture(scope="module")
def later_site(content, tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("agenda-later")
    build(output, content=content, now="2019-12-20")
    return output



def text_of(node) -> str:
    return " ".join(node.get_text(" ", strip=True).replace(NB, " ").replace("\u202f", " ").split())


def listed_titles(page: BeautifulSoup) -> list[str]:
    return [text_of(a) for a in page.select(".event-item__title a")]


def jsonld(path: Path) -> dict:
    script = soup(path).find("script", type="application/ld+json")
    return json.loads(script.string)


def vevents(path: Path):
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return calendar, list(calendar.walk("VEVENT"))


def test_agenda_page_groups_upcoming_events_by_month(site):
    page = soup(site / "agenda" / "index.html")
    assert [text_of(h) for h in page.select(".agenda-month h2")] == ["Décembre 2019", "Janvier 2020"]
    assert listed_titles(page) == ["Webinaire fixture", "Atelier annulé fixture", "Colloque hybride fixture"]
    whens = [text_of(p) for p in page.select(".event-item__when")]
    assert whens[0] == "mardi 10 décembre 2019, 12 h 30 – 13 h 30"
    assert whens[1] == "jeudi 12 décembre 2019, 19 h 30 – 22 h Annulé"
    assert [text_of(p) for p in page.select(".event-item__place")] == [
        "En ligne", "Cinéma fixture, Bruxelles", "Palais fixture, Namur et en ligne",
    ]
    assert page.select_one('.site-nav a[aria-current="page"]')["href"] == "/agenda/"
    webcal = page.find("a", href=re.compile(r"^webcal://"))
    assert webcal["href"] == "webcal://127.0.0.1:8000/agenda/transfo-agenda.ics"


def test_past_events_are_archived_by_year(site):
    archive = soup(site / "agenda" / "archives" / "2019" / "index.html")
    assert listed_titles(archive) == ["Conférence fixture", "Journées portes ouvertes fixture"]
    whens = [text_of(p) for p in archive.select(".event-item__when")]
    assert whens == ["jeudi 14 novembre 2019, 9 h 30 – 12 h", "du 5 au 6 octobre 2019"]
    index = soup(site / "agenda" / "archives" / "index.html")
    assert [text_of(h) for h in index.select("main h2")] == ["2019"]


def test_a_later_build_date_moves_events_to_the_archive(site, later_site):
    assert listed_titles(soup(later_site / "agenda" / "index.html")) == [
        "Colloque hybride fixture", "Annonce future fixture",
    ]
    assert listed_titles(soup(later_site / "agenda" / "archives" / "2019" / "index.html")) == [
        "Atelier annulé fixture", "Webinaire fixture", "Conférence fixture",
        "Journées portes ouvertes fixture",
    ]
    # Announced on 2019-12-05: invisible before, published after.
    assert "fxfutureeventword" not in all_text(site)
    assert (later_site / "agenda" / "fx-annonce-future" / "index.html").is_file()
    # A past event page says so and no longer offers registration or calendar links.
    webinar = soup(later_site / "agenda" / "fx-webinaire" / "index.html")
    assert "Cet événement a eu lieu." in text_of(webinar)
    assert webinar.select_one(".event-actions") is None


def test_build_log_counts_upcoming_and_archived_events(content, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")  # one log record per line
    result = invoke("build", "--content", str(content), "--output", str(tmp_path / "out"),
                    "--now", "2019-12-20", "--verbose")
    lines = [" ".join(line.split()) for line in (result.stdout + result.stderr).splitlines()]
    assert any("INFO Agenda au 2019-12-20 : 2 événement(s) à venir, 4 passé(s) aux archives." in line
               for line in lines)
    # Publish builds treat warnings as errors: the agenda only logs at INFO.
    assert not [line for line in lines if "WARNING" in line and "agenda" in line.lower()]


def test_events_stay_out_of_articles_feeds_and_topics(site):
    for name in ("archives/index.html", "archives/2019/index.html", "sujets/index.html",
                 "rubrique/actualites/index.html", "rubrique/analyses/index.html"):
        text = (site / name).read_text(encoding="utf-8")
        assert "Conférence fixture" not in text and "/agenda/fx-" not in text, name
    assert not (site / "sujet" / "fxeventtag").exists()
    assert not (site / "sujet" / "numerique").exists()
    feeds = list((site / "feeds").glob("*.xml"))
    assert feeds
    for feed in feeds:
        text = feed.read_text(encoding="utf-8")
        assert "fxeventword" not in text and "/agenda/" not in text, feed.name
    assert "fxdrafteventword" not in all_text(site)
    assert not (site / "agenda" / "fx-brouillon").exists()


def test_home_page_shows_the_next_three_events(site):
    home = soup(site / "index.html")
    block = home.select_one(".home-agenda")
    assert text_of(block.select_one("h2 a")) == "Prochains événements"
    assert listed_titles(block) == ["Webinaire fixture", "Atelier annulé fixture", "Colloque hybride fixture"]


def test_event_page_has_every_fact_and_links(site):
    path = site / "agenda" / "fx-colloque-hybride" / "index.html"
    page = soup(path)
    assert text_of(page.select_one("h1")) == "Colloque hybride fixture"
    facts = text_of(page.select_one(".event-facts"))
    for expected in ("mardi 14 janvier 2020, 9 h – 16 h 30", "Palais fixture", "Place d'Armes 1",
                     "5000 Namur", "SAW-B fixture", "40 €", "S’inscrire", "Participer en ligne"):
        assert expected in facts
    osm = page.find("a", string="Voir sur OpenStreetMap")["href"]
    assert osm.startswith("https://www.openstreetmap.org/search?query=")
    assert page.find("iframe") is None
    ics = page.select_one(".event-actions a[download]")
    assert text_of(ics) == "Ajouter à mon agenda"  # plain words; the format is in the help line
    assert ".ics" in text_of(page.select_one(".event-actions .help"))
    assert ics["href"] == "/agenda/fx-colloque-hybride/fx-colloque-hybride.ics"
    assert ics.has_attr("download")
    google = page.find("a", string="Ajouter à Google Agenda")["href"]
    assert google.startswith("https://calendar.google.com/calendar/render?action=TEMPLATE&")
    assert "dates=20200114T080000Z%2F20200114T153000Z" in google
    assert page.select_one('link[rel="canonical"]')["href"] == PUBLIC_URL + "/agenda/fx-colloque-hybride/"


def test_a_cancelled_event_offers_no_google_calendar_link(site):
    """Google's link adds a new, confirmed event no later change reaches; the .ics file, whose
    UID and SEQUENCE let a calendar that imported it mark it cancelled, stays."""
    page = soup(site / "agenda" / "fx-atelier-annule" / "index.html")
    assert page.find("a", string="Ajouter à Google Agenda") is None
    ics = page.select_one(".event-actions a[download]")
    assert ics["href"] == "/agenda/fx-atelier-annule/fx-atelier-annule.ics"


def test_event_jsonld(site):
    data = jsonld(site / "agenda" / "fx-colloque-hybride" / "index.html")
    assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
    assert data["name"] == "Colloque hybride fixture"
    assert data["startDate"] == "2020-01-14T09:00:00+01:00"
    assert data["endDate"] == "2020-01-14T16:30:00+01:00"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    place, virtual = data["location"]
    assert place["@type"] == "Place" and place["name"] == "Palais fixture"
    assert place["address"] == {"@type": "PostalAddress", "addressCountry": "BE",
                                "streetAddress": "Place d'Armes 1", "postalCode": "5000",
                                "addressLocality": "Namur"}
    assert virtual == {"@type": "VirtualLocation", "url": "https://exemple.be/live"}
    assert data["organizer"] == {"@type": "Organization", "name": "SAW-B fixture", "url": "https://exemple.be/sawb"}
    assert data["offers"]["price"] == "40.00" and data["offers"]["priceCurrency"] == "EUR"
    assert data["offers"]["url"] == "https://exemple.be/inscription-colloque"
    [image] = data["image"]  # the stripped copy, never the original file
    assert re.fullmatch(rf"{PUBLIC_URL}/media/alpha\.[0-9a-f]{{10}}\.\d+\.jpg", image), image
    assert (site / image.removeprefix(PUBLIC_URL + "/")).is_file()
    assert data["description"] == "Une journée sur la digitalisation."
    cancelled = jsonld(site / "agenda" / "fx-atelier-annule" / "index.html")
    assert cancelled["eventStatus"] == "https://schema.org/EventCancelled"
    assert cancelled["location"]["@type"] == "Place"
    online = jsonld(site / "agenda" / "fx-webinaire" / "index.html")
    assert online["location"] == {"@type": "VirtualLocation", "url": "https://exemple.be/webinaire"}
    assert online["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    all_day = jsonld(site / "agenda" / "fx-portes-ouvertes" / "index.html")
    assert (all_day["startDate"], all_day["endDate"]) == ("2019-10-05", "2019-10-06")


def test_event_ics_files_parse_back(site):
    calendar, [event] = vevents(site / "agenda" / "fx-atelier-annule" / "fx-atelier-annule.ics")
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Brussels"
    assert str(event["UID"]) == "fx-atelier-annule@127.0.0.1"
    assert str(event["STATUS"]) == "CANCELLED"
    start = event.decoded("DTSTART")
    assert start.isoformat() == "2019-12-12T19:30:00+01:00"
    assert event.decoded("DTSTAMP").isoformat() == "2019-11-29T10:00:00+00:00"
    assert int(event["SEQUENCE"]) > 0
    assert str(event["LOCATION"]) == "Cinéma fixture, Rue d'Arenberg 3, 1000 Bruxelles"
    assert str(event["URL"]) == PUBLIC_URL + "/agenda/fx-atelier-annule/"
    assert "<" not in str(event["DESCRIPTION"]) and "La séance est annulée." in str(event["DESCRIPTION"])
    _calendar, [all_day] = vevents(site / "agenda" / "fx-portes-ouvertes" / "fx-portes-ouvertes.ics")
    assert str(all_day.decoded("DTSTART")) == "2019-10-05" and str(all_day.decoded("DTEND")) == "2019-10-07"
    assert int(all_day["SEQUENCE"]) == 0


def test_subscribable_calendar_holds_upcoming_and_recent_events(site, later_site):
    _calendar, events = vevents(site / "agenda" / "transfo-agenda.ics")
    uids = sorted(str(e["UID"]).split("@")[0] for e in events)
    assert uids == ["fx-atelier-annule", "fx-colloque-hybride", "fx-conference",
                    "fx-portes-ouvertes", "fx-webinaire"]
    # Builds of the same content are byte for byte identical (no clock in DTSTAMP).
    again = (site / "agenda" / "transfo-agenda.ics").read_bytes()
    _c, later = vevents(later_site / "agenda" / "transfo-agenda.ics")
    assert "fx-annonce-future@127.0.0.1" in {str(e["UID"]) for e in later}
    assert again == (site / "agenda" / "transfo-agenda.ics").read_bytes()


def test_two_builds_of_the_same_content_are_identical(site, content, tmp_path):
    output = tmp_path / "again"
    build(output, content=content, now="2019-11-30")
    for name in ("agenda/transfo-agenda.ics", "agenda/fx-colloque-hybride/fx-colloque-hybride.ics",
                 "agenda/fx-colloque-hybride/index.html"):
        assert (output / name).read_bytes() == (site / name).read_bytes(), name


@pytest.mark.slow
def test_uid_survives_a_title_edit_and_sequence_grows(site, tmp_path):
    content = agenda_content(tmp_path / "content")
    path = content / "agenda" / "fx-colloque-hybride.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Title: Colloque hybride fixture",
                                 "Title: Colloque hybride renommé\nModified: 2019-11-28 10:00"), encoding="utf-8")
    output = tmp_path / "out"
    build(output, content=content, now="2019-11-30")
    ics = "agenda/fx-colloque-hybride/fx-colloque-hybride.ics"
    _c, [before] = vevents(site / ics)
    _c, [after] = vevents(output / ics)
    assert str(after["SUMMARY"]) == "Colloque hybride renommé"
    assert str(after["UID"]) == str(before["UID"]) == "fx-colloque-hybride@127.0.0.1"
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert (output / "agenda" / "fx-colloque-hybride" / "index.html").is_file()


def test_event_mistakes_stop_the_build_with_one_line_each(tmp_path):
    content = agenda_content(tmp_path / "content")
    agenda = content / "agenda"
    (agenda / "fx-erreurs.md").write_text(
        "Title: Erreurs\nDate: 2019-11-01 10:00\nStart: 2019-12-10 14:00\nEnd: 2019-12-10 12:00\n"
        "Status: repoussé\nOrganiser: X\nSummary: Y\n\nTexte.\n", encoding="utf-8")
    (agenda / "fx-sans-lieu.md").write_text(
        "Title: Sans lieu\nDate: 2019-11-01 10:00\nStart: 2019-12-32\nOrganiser: X\nSummary: Y\n\nTexte.\n",
        encoding="utf-8")
    (agenda / "fx-sans-lieu-2.md").write_text(
        "Title: Sans lieu 2\nDate: 2019-11-01 10:00\nStart: 2019-12-20\nOrganiser: X\nSummary: Y\n\nTexte.\n",
        encoding="utf-8")
    result = build(tmp_path / "out", content=content, now="2019-11-30", check=False)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if "fx-" in line]
    assert any(re.search(r"agenda/fx-erreurs\.md:5: Status: « repoussé » inconnu ; attendu : une valeur "
                         r"parmi publié, annulé, reporté, passé en ligne, brouillon", line) for line in lines)
    assert any(re.search(r"agenda/fx-sans-lieu\.md:3: Start: « 2019-12-32 » n'est pas une date valable",
                         line) for line in lines)
    assert any(re.search(r"agenda/fx-sans-lieu-2\.md: Venue: lieu absent", line) for line in lines)
    # The end-before-start rule runs once the fields themselves are valid.
    (agenda / "fx-erreurs.md").write_text(
        (agenda / "fx-erreurs.md").read_text(encoding="utf-8").replace("Status: repoussé\n",
                                                                       "Town: Namur\nVenue: Salle\n"),
        encoding="utf-8")
    result = build(tmp_path / "out", content=content, now="2019-11-30", check=False)
    assert re.search(r"agenda/fx-erreurs\.md:4: End: fin « 2019-12-10 12:00 » antérieure au début "
                     r"« 2019-12-10 14:00 »", result.stderr)
    assert not (tmp_path / "out" / "agenda").exists()


@pytest.mark.slow
def test_sample_content_has_a_full_agenda(sample_site):
    events = [p for p in (sample_site / "agenda").glob("*/index.html") if p.parent.name != "archives"]
    assert len(events) >= 8
    statuses = {jsonld(p)["eventStatus"].rsplit("/", 1)[1] for p in events}
    modes = {jsonld(p)["eventAttendanceMode"].rsplit("/", 1)[1] for p in events}
    assert {"EventScheduled", "EventCancelled", "EventPostponed", "EventMovedOnline"} <= statuses
    assert {"OfflineEventAttendanceMode", "OnlineEventAttendanceMode", "MixedEventAttendanceMode"} <= modes
    agenda = soup(sample_site / "agenda" / "index.html")
    assert "Colloque « Économie sociale et digitalisation »" in [
        t.replace(NB, " ").replace("\u202f", " ") for t in listed_titles(agenda)
    ]
    assert (sample_site / "agenda" / "archives" / "2019" / "index.html").is_file()


def test_a_site_without_events_has_no_agenda(fixture_site):
    assert not (fixture_site / "agenda").exists()
    menu = soup(fixture_site / "index.html").select(".site-nav a")
    assert "Agenda" not in [a.get_text() for a in menu]
    assert soup(fixture_site / "index.html").select_one(".home-agenda") is None
