"""transfo_dossiers.api: what other plugins read of an article's dossier, through its functions."""

from datetime import date, datetime
from types import SimpleNamespace as NS
from zoneinfo import ZoneInfo

import pytest
from transfo_dossiers.api import DossierField, dossier_field, dossier_part, mark_parts
from transfo_dossiers.logic import Declaration, assemble

TZ = ZoneInfo("Europe/Brussels")


def art(title, day, dossier=None, number=None):
    return NS(title=title, date=datetime(2019, 11, day, 9, tzinfo=TZ), dossier=dossier,
              dossier_part=number, url=f"2019/11/{title}/")


def assembled(published, scheduled=()):
    declaration = Declaration(slug="textile", title="Textile", page=NS(content=""), start=date(2019, 10, 1),
                              image="images/x.jpg", image_alt="x")
    (dossier,), numbers = assemble([declaration], published, list(scheduled), date(2019, 11, 30),
                                   lambda slug: f"dossiers/{slug}/")
    mark_parts(dossier, [numbers[id(part)][1] for part in dossier.parts])
    return dossier


def test_published_parts_know_their_place_previous_and_next():
    first, second = art("un", 5, "textile"), art("deux", 12, "textile")
    dossier = assembled([second, first], [art("trois", 30, "textile")])
    one, two = dossier_part(first), dossier_part(second)
    assert (one.dossier, one.number, one.total, one.previous, one.next) == (dossier, 1, 3, None, second)
    assert (two.number, two.total, two.previous, two.next) == (2, 3, first, None)
    # what templates read stays in step with the accessor
    assert (second.dossier_part, second.dossier_total, second.dossier_previous) == (2, 3, first)


def test_articles_outside_an_assembled_dossier_have_no_part():
    assert dossier_part(art("seul", 5)) is None
    assert dossier_part(art("pas-encore", 5, "textile", 2)) is None  # header only: not assembled
    assert dossier_part(NS(title="sans attribut")) is None


@pytest.mark.parametrize("dossier,number,expected", [
    ("textile", 2, DossierField("textile", 2)),
    ("textile", "3", DossierField("textile", 3)),  # a header read as text
    ("textile", None, DossierField("textile", None)),
    ("textile", "deux", DossierField("textile", None)),
    (None, 2, None),
    ("", None, None),
])
def test_the_field_is_what_the_header_says(dossier, number, expected):
    assert dossier_field(art("a", 5, dossier, number)) == expected


def test_the_field_still_names_the_dossier_once_assembled():
    part = art("un", 5, "textile")  # unnumbered: the assembly numbers it by date
    assembled([part])
    assert dossier_field(part) == DossierField("textile", 1)
    assert dossier_part(part).number == 1
