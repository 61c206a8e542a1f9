"""Reading Pelican's context defensively: other features may be missing or half-built."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace as NS
from zoneinfo import ZoneInfo

import pytest
from transfo_dossiers.api import Dossier, mark_parts
from transfo_newsletter.snapshot import snapshot_from_context

TZ = ZoneInfo("Europe/Brussels")
SETTINGS = {"TIMEZONE": "Europe/Brussels", "TRANSFO_RUBRICS": ["Actualités", "Portraits"]}


def article(slug, **extra):
    return NS(slug=slug, title=f"<em>{slug}</em>", url=f"2019/11/{slug}/",
              date=datetime(2019, 11, 5, 9, tzinfo=TZ), summary="<p>Un &amp; deux</p>",
              category=NS(name="Actualités"), **extra)


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
    event = NS(title="Salon", url="agenda/salon/", start=date(2019, 12, 5), end=None,
               all_day=True, status="planned", town="Namur", venue="Namur Expo", online_url="")
    online = NS(slug="web", title="Webinaire", url="agenda/web/",
                start=datetime(2019, 12, 10, 12, 30, tzinfo=TZ), online_url="https://x.org")
    offer = NS(slug="job", title="Job", url="offres/job/", kind_label="Emploi",
               organisation=NS(name="Alpha"), deadline=datetime(2019, 12, 20, 23, 59, tzinfo=TZ),
               town="", region="bruxelles", region_label="Bruxelles")
    site = snapshot_from_context({"articles": [part], "scheduled_articles": [scheduled], "dossiers": [dossier],
                                  "events": [event, online], "offers": [offer]}, SETTINGS)
    record, later = site.articles
    assert (record.dossier, record.dossier_part, record.featured) == ("textile", 2, True)
    assert (later.dossier, later.dossier_part) == ("textile", 3)  # not assembled: what its header says
    assert site.dossiers[0].title == "Textile"
    salon, webinar = site.events
    assert (salon.slug, salon.place, salon.start) == ("salon", "Namur Expo, Namur",
                                                      datetime(2019, 12, 5, tzinfo=TZ))
    assert webinar.place == "en ligne"

    (job,) = site.offers
    assert (job.organisation, job.place, job.deadline) == ("Alpha", "Bruxelles", date(2019, 12, 20))


@pytest.mark.parametrize("venue,online,status,place", [
    ("Namur Expo", "", "planned", "Namur Expo, Namur"),
    ("Namur Expo", "https://x.org", "planned", "Namur Expo, Namur et en ligne"),
    ("Namur Expo", "https://x.org", "moved-online", "en ligne"),
    ("", "https://x.org", "planned", "en ligne"),
])
def test_the_place_follows_the_attendance_mode(venue, online, status, place):
    event = NS(slug="e", title="E", url="agenda/e/", start=date(2019, 12, 5), end=None, all_day=True,
               status=status, town="Namur" if venue else "", venue=venue, online_url=online)
    (record,) = snapshot_from_context({"articles": [], "dossiers": [], "events": [event], "offers": []},
                                      SETTINGS).events
    assert record.place == place
