"""In Chromium: agenda → event page → .ics download; axe-core finds nothing to fix."""

from __future__ import annotations

import icalendar
import pytest

from tests.support import axe_violations, build, describe, open_menu, serve
from tests.test_agenda import agenda_content

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def agenda_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("agenda-browser")
    output = root / "out"
    build(output, content=agenda_content(root / "content"), now="2019-11-30")
    with serve(output) as url:
        yield url


def test_from_the_agenda_to_a_calendar_file(page, agenda_url):
    page.goto(f"{agenda_url}/")
    open_menu(page)
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Agenda").click()
    page.wait_for_url(f"{agenda_url}/agenda/")
    assert page.get_by_role("heading", level=1).inner_text() == "Agenda"
    page.get_by_role("link", name="Colloque hybride fixture").click()
    page.wait_for_url(f"{agenda_url}/agenda/fx-colloque-hybride/")
    assert page.get_by_role("heading", level=1).inner_text() == "Colloque hybride fixture"
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ajouter à mon agenda").click()
    download = download_info.value
    assert download.suggested_filename == "fx-colloque-hybride.ics"
    with open(download.path(), "rb") as handle:
        calendar = icalendar.Calendar.from_ical(handle.read())
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == "fx-colloque-hybride@127.0.0.1"
    assert str(event["SUMMARY"]) == "Colloque hybride fixture"
    assert event.decoded("DTSTART").isoformat() == "2020-01-14T09:00:00+01:00"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", [
    "/agenda/",
    "/agenda/fx-colloque-hybride/",
    "/agenda/fx-atelier-annule/",
    "/agenda/archives/2019/",
    "/",
])
def test_agenda_pages_have_no_axe_violations(reading_tab, agenda_url, path, scheme):
    page = reading_tab(scheme=scheme)
    page.goto(agenda_url + path)
    violations = axe_violations(page)
    assert not violations, describe(violations)
