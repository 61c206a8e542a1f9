"""The snapshot: plain records of the site, read through the providing plugins' accessors."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from types import SimpleNamespace as NS
from zoneinfo import ZoneInfo

import pytest
from transfo_agenda.api import Event
from transfo_dossiers.api import Dossier, mark_parts
from transfo_newsletter.snapshot import snapshot_from_context
from transfo_offers.api import Offer, Organisation

TZ = ZoneInfo("Europe/Brussels")
SETTINGS = {"TIMEZONE": "Europe/Brussels", "TRANSFO_RUBRICS": ["Actualités", "Portraits"]}


def article(slug, **extra):
    return NS(slug=slug, title=f"<em>{slug}</em>", url=f"2019/11/{slug}/",
              date=datetime(2019, 11, 5, 9, tzinfo=TZ), metadata={"summary": "<p>Un &amp; deux</p>"},
              category=NS(name="Actualités"), **extra)


def event(slug, title, start, **extra):
    values = dict(title=title, slug=slug, uid=f"{slug}@x.be", url=f"agenda/{slug}/",
                  ics_url=f"agenda/{slug}/{slug}.ics", source_path=f"agenda/{slug}.md", start=start,
                  end=start, all_day=False, has_end=False, status="planned", when="", date=start,
                  modified=None, organiser="SAW-B", summary="", summary_html="")
    return Event(**{**values, **extra})


def offer(slug, title, deadline, **extra):
    return Offer(title=title, slug=slug, url=f"offres/{slug}/", save_as=f"offres/{slug}/index.html",
                 absolute_url=f"https://x.be/offres/{slug}/", kind="emploi", kind_label="Emploi",
                 organisation=Organisation("Alpha"), date=deadline, deadline=deadline,
                 deadline_has_time=False, status="open", closing_label="", closing_soon=False, **extra)


def test_only_articles_no_other_feature():
    site = snapshot_from_context({"articles": [article("a")]}, SETTINGS)
    (record,) = site.articles
    assert (record.title, record.summary, record.category) == ("a", "Un & deux", "Actualités")
    assert (site.dossiers, site.events, site.offers) == ((), (), ())
    assert site.portrait_category == "Portraits"


def test_scheduled_articles_are_kept_for_later_send_dates():
    site = snapshot_from_context({"articles": [article("a")],
                                  "scheduled_articles": [article("b")]}, SETTINGS)
    assert [a.slug for a in site.articles] == ["a", "b"]


def test_dossier_parts_events_and_offers():
    first = article("un", dossier="textile")
    part = article("p", dossier="textile", featured=True, image="images/x.jpg", image_alt="Un portant")
    dossier = Dossier(slug="textile", title="Textile", url="dossiers/textile/", page=None, summary="",
                      image="", image_alt="", image_credit="", start=date(2019, 10, 1), end=None,
                      is_running=True, parts=[first, part])
    mark_parts(dossier, [1, 2])  # as the dossiers plugin does: part 2, numbered by date
    scheduled = article("s", dossier="textile", dossier_part=3)
    salon = event("salon", "Salon", datetime(2019, 12, 5, tzinfo=TZ), all_day=True, town="Namur",
                  venue="Namur Expo")
    online = event("web", "Webinaire", datetime(2019, 12, 10, 12, 30, tzinfo=TZ), online_url="https://x.org")
    job = offer("job", "Job", datetime(2019, 12, 20, 23, 59, tzinfo=TZ), region="bruxelles",
                region_label="Bruxelles")
    site = snapshot_from_context({"articles": [part], "scheduled_articles": [scheduled], "dossiers": [dossier],
                                  "events": [salon, online], "offers": [job]}, SETTINGS)
    record, later = site.articles
    assert (record.dossier, record.dossier_part, record.featured) == ("textile", 2, True)
    assert (later.dossier, later.dossier_part) == ("textile", 3)  # not assembled: what its header says
    assert site.dossiers[0].title == "Textile"
    fair, webinar = site.events
    assert (fair.slug, fair.place, fair.start, fair.all_day) == ("salon", "Namur Expo, Namur",
                                                                 datetime(2019, 12, 5, tzinfo=TZ), True)
    assert webinar.place == "en ligne"

    (record,) = site.offers
    assert (record.organisation, record.place, record.deadline) == ("Alpha", "Bruxelles", date(2019, 12, 20))
    in_town = offer("b", "B", datetime(2019, 12, 20, tzinfo=TZ), town="Namur", region_label="Wallonie")
    assert snapshot_from_context({"offers": [in_town]}, SETTINGS).offers[0].place == "Namur"


def test_the_portraits_rubric_is_the_portraits_setting():
    site = snapshot_from_context({}, {**SETTINGS, "TRANSFO_PORTRAITS_RUBRIC": "Rencontres"})
    assert site.portrait_category == "Rencontres"


@pytest.mark.parametrize("venue,online,status,place", [
    ("Namur Expo", "", "planned", "Namur Expo, Namur"),
    ("Namur Expo", "https://x.org", "planned", "Namur Expo, Namur et en ligne"),
    ("Namur Expo", "https://x.org", "moved-online", "en ligne"),
    ("", "https://x.org", "planned", "en ligne"),
])
def test_the_place_follows_the_attendance_mode(venue, online, status, place):
    one = event("e", "E", datetime(2019, 12, 5, tzinfo=TZ), all_day=True, status=status,
                town="Namur" if venue else "", venue=venue, online_url=online)
    (record,) = snapshot_from_context({"events": [one]}, SETTINGS).events
    assert record.place == place


def test_drafts_are_kept_so_that_citing_one_says_it_is_a_draft():
    """Pelican keeps drafts in context["drafts"]: without them, `Une:` naming a draft said « inconnu »."""
    site = snapshot_from_context({"articles": [article("a")],
                                  "drafts": [article("b", status="draft")]}, SETTINGS)
    assert [(a.slug, a.status) for a in site.articles] == [("a", "published"), ("b", "draft")]


@pytest.mark.parametrize("status, withdrawn", [("open", False), ("expired", False), ("filled", True),
                                               ("closed", True)])
def test_an_offer_filled_or_closed_is_withdrawn(status, withdrawn):
    job = offer("job", "Job", datetime(2019, 12, 20, 23, 59, tzinfo=TZ), region_label="Bruxelles")
    record, = snapshot_from_context({"offers": [replace(job, status=status)]}, SETTINGS).offers
    assert record.withdrawn is withdrawn
