"""The event kind: one clear line per mistake, naming the file and the field."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from transfo_agenda.schema import EventTime, Price, TimeZoneName, duplicate_identifiers, event_kind
from transfo_validation.fields import FieldError, ParseContext
from transfo_validation.schema import validate

VALID = """Title: Colloque
Date: 2019-11-20 09:00
Start: 2020-01-14 09:00
End: 2020-01-14 16:30
Venue: Palais des Congrès
Address: Place d'Armes 1
Town: Namur
Organiser: SAW-B
Summary: Une journée sur la digitalisation.

Corps.
"""


@pytest.fixture
def ctx(tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "x.jpg").write_bytes(b"x")
    return ParseContext(content_root=tmp_path, source_path=tmp_path / "agenda" / "colloque.md")


def check(text, ctx, path="content/agenda/colloque.md"):
    doc, problems = validate(text, path, event_kind(("agenda",), ZoneInfo("Europe/Brussels")), ctx)
    return doc, [str(p) for p in problems]


def edit(**changes):
    """VALID with fields replaced in place, or added after the title."""
    lines = VALID.split("\n")
    for key, value in changes.items():
        index = next((i for i, line in enumerate(lines) if line.startswith(f"{key}:")), None)
        if index is None:
            lines.insert(1, f"{key}: {value}")
        else:
            lines[index] = f"{key}: {value}"
    return "\n".join(lines)


def without(*keys):
    return "\n".join(line for line in VALID.split("\n") if line.split(":", 1)[0] not in keys)


def test_a_valid_event_has_typed_values(ctx):
    doc, problems = check(VALID, ctx)
    assert problems == []
    assert doc.values["start"] == datetime(2020, 1, 14, 9, 0)
    assert doc.values["end"] == datetime(2020, 1, 14, 16, 30)


def test_end_before_start_names_the_file_and_field(ctx):
    _doc, problems = check(edit(End="2020-01-14 08:00"), ctx)
    assert problems == [
        "content/agenda/colloque.md:4: End: fin « 2020-01-14 08:00 » antérieure au début "
        "« 2020-01-14 09:00 » ; attendu : une fin égale ou postérieure à Start"
    ]


def test_unparsable_dates_are_one_line_each(ctx):
    _doc, problems = check(edit(Start="14/01/2020", End="demain"), ctx)
    assert len(problems) == 2
    assert problems[0].startswith("content/agenda/colloque.md:3: Start: « 14/01/2020 » n'est pas une date valable")
    assert problems[1].startswith("content/agenda/colloque.md:4: End: « demain » n'est pas une date valable")


def test_whole_day_and_timed_ends_cannot_be_mixed(ctx):
    _doc, problems = check(edit(End="2020-01-15"), ctx)
    assert len(problems) == 1 and "End: Start et End ne sont pas du même type" in problems[0]


def test_an_on_site_event_needs_its_place(ctx):
    _doc, problems = check(without("Venue", "Address", "Town"), ctx)
    assert problems == [
        "content/agenda/colloque.md: Venue: lieu absent ; attendu : Venue, Address et Town pour un "
        "événement sur place, ou Online_url pour un événement en ligne (ou les deux)"
    ]
    _doc, problems = check(without("Town"), ctx)
    assert len(problems) == 1 and ": Town: localité absente" in problems[0]


def test_a_mistyped_online_address_is_its_own_line_not_a_missing_place(ctx):
    text = without("Venue", "Address", "Town").replace("Title: Colloque",
                                                       "Title: Colloque\nOnline_url: exemple.be/live")
    _doc, problems = check(text, ctx)
    assert len(problems) == 1 and ": Online_url: " in problems[0] and "absent" not in problems[0], problems


def test_an_online_event_needs_no_address(ctx):
    text = without("Venue", "Address", "Town").replace("Title: Colloque", "Title: Colloque\nOnline_url: https://exemple.be/live")
    assert check(text, ctx)[1] == []


def test_unknown_status_suggests_the_right_one(ctx):
    _doc, problems = check(edit(Status="anulé"), ctx)
    assert len(problems) == 1
    assert ("Status: « anulé » inconnu ; attendu : une valeur parmi publié, annulé, reporté, "
            "passé en ligne, brouillon (vouliez-vous dire « annulé » ?)") in problems[0]


def test_a_status_change_needs_modified(ctx):
    _doc, problems = check(edit(Status="cancelled"), ctx)
    assert len(problems) == 1 and "Status: statut « cancelled » sans date de modification" in problems[0]
    assert check(edit(Status="cancelled", Modified="2019-11-25 10:00"), ctx)[1] == []


def test_moved_online_needs_a_link(ctx):
    _doc, problems = check(edit(Status="moved-online", Modified="2019-11-25 10:00"), ctx)
    assert len(problems) == 1 and "Status: événement passé en ligne sans lien" in problems[0]


def test_image_needs_alt_text(ctx):
    _doc, problems = check(edit(Image="images/x.jpg"), ctx)
    assert len(problems) == 1 and "Image_alt: texte alternatif absent" in problems[0]


def test_field_types(ctx):
    assert EventTime().parse("2019-10-06", ctx) == date(2019, 10, 6)
    assert EventTime().parse("2019-10-06 09:30", ctx) == datetime(2019, 10, 6, 9, 30)
    assert Price().parse("gratuit", ctx) == Decimal("0")
    assert Price().parse("12,50", ctx) == Decimal("12.50")
    with pytest.raises(FieldError, match="attendu : gratuit, ou un montant"):
        Price().parse("cher", ctx)
    assert TimeZoneName().parse("Europe/Paris", ctx) == "Europe/Paris"
    for unknown in ("Europe/Namur", "Europe", "Bruxelles" * 40):  # a folder, a name too long for a file
        with pytest.raises(FieldError, match="fuseau inconnu"):
            TimeZoneName().parse(unknown, ctx)


def test_two_events_with_one_slug_are_reported(ctx):
    first, _ = check(VALID, ctx, "content/agenda/colloque.md")
    second, _ = check(VALID, ctx, "content/agenda/2020/colloque.md")
    problems = [str(p) for p in duplicate_identifiers([first, second])]
    assert any("content/agenda/colloque.md: Slug: l'adresse « colloque » est déjà prise par "
               "content/agenda/2020/colloque.md" in p for p in problems)
