from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from transfo_offers.schema import Deadline, Keyword, offer_cross_checks, offer_kind
from transfo_offers.settings import OffersSettingsError, read_settings
from transfo_offers.vocabulary import KINDS, STATUSES
from transfo_validation.fields import FieldError, ParseContext
from transfo_validation.schema import validate

PATH = "content/offres/x.md"
KIND = offer_kind(read_settings({}), ZoneInfo("Europe/Brussels"))

GOOD = """Title: Chargé·e de projets
Kind: emploi
Organisation: Récup'Sambre ASBL
Organisation_website: https://www.recupsambre.be
Town: Namur
Region: Wallonie
Contract: CDI
Working_time: Temps plein
Date: 2019-11-18 10:00
Deadline: 2019-12-20
Apply_email: recrutement@recupsambre.be
Summary: Un poste.

La description.
"""


@pytest.fixture
def ctx(tmp_path):
    return ParseContext(content_root=tmp_path, source_path=tmp_path / "offres" / "x.md")


def check(text, ctx):
    return validate(text, PATH, KIND, ctx)


def edit(text, **changes):
    """GOOD with fields replaced (value) or removed (None)."""
    lines = []
    for line in text.splitlines():
        key = line.split(":", 1)[0].lower()
        if key in changes:
            if changes[key] is not None:
                lines.append(f"{line.split(':', 1)[0]}: {changes.pop(key)}")
            continue
        lines.append(line)
    header_end = lines.index("")
    lines[header_end:header_end] = [f"{k.capitalize()}: {v}" for k, v in changes.items() if v]
    return "\n".join(lines) + "\n"


def test_a_valid_offer_has_typed_values(ctx):
    doc, problems = check(GOOD, ctx)
    assert problems == []
    assert doc.values["kind"] == "emploi"
    assert doc.values["region"] == "wallonie"
    assert doc.values["contract"] == "cdi"
    assert doc.values["working_time"] == "temps-plein"
    assert doc.values["deadline"] == date(2019, 12, 20)


def test_accented_french_labels_are_accepted(ctx):
    for spelled, code in [("bénévolat", "benevolat"), ("Appel à projets", "appel-a-projets"),
                          ("appel-a-projets", "appel-a-projets"), ("STAGE", "stage")]:
        assert Keyword(terms=KINDS).parse(spelled, ctx) == code
    assert Keyword(terms=STATUSES).parse("Pourvue", ctx) == "filled"
    assert Keyword(terms=STATUSES).parse("clôturée", ctx) == "closed"


def test_deadline_takes_a_day_or_a_day_and_time(ctx):
    assert Deadline().parse("2019-12-12", ctx) == date(2019, 12, 12)
    assert Deadline().parse("2019-12-12 12:00", ctx) == datetime(2019, 12, 12, 12, 0)
    with pytest.raises(FieldError, match="AAAA-MM-JJ"):
        Deadline().parse("12/12/2019", ctx)


def test_unknown_kind_is_one_line_naming_file_and_field(ctx):
    _doc, problems = check(edit(GOOD, kind="emplois"), ctx)
    assert [str(p) for p in problems] == [
        "content/offres/x.md:2: Kind: « emplois » inconnu ; attendu : une valeur parmi Emploi, Stage, "
        "Bénévolat, Appel à projets (vouliez-vous dire « Emploi » ?)"
    ]


def test_deadline_before_publication(ctx):
    _doc, problems = check(edit(GOOD, deadline="2019-11-10"), ctx)
    assert len(problems) == 1
    assert str(problems[0]).startswith("content/offres/x.md:10: Deadline: date limite 2019-11-10 "
                                       "antérieure à la date de publication 2019-11-18 10:00")


def test_a_deadline_on_the_publication_day_is_fine(ctx):
    _doc, problems = check(edit(GOOD, deadline="2019-11-18"), ctx)
    assert problems == []


def test_a_deadline_the_clocks_skip_is_refused_as_in_the_agenda(ctx):
    """02:30 on the morning Brussels goes to summer time does not exist: the page would say
    2 h 30 and the offer close at 3 h 30."""
    _doc, problems = check(edit(GOOD, deadline="2027-03-28 02:30"), ctx)
    assert [str(p) for p in problems] == [
        "content/offres/x.md:10: Deadline: « 2027-03-28 02:30 » n'existe pas à Europe/Brussels (les "
        "horloges passent à l'heure d'été) ; attendu : une heure qui existe, par ex. 2027-03-28 03:30"]
    for fine in ("2027-03-28 03:30", "2027-03-28", "2027-10-31 02:30"):
        assert check(edit(GOOD, deadline=fine), ctx)[1] == []


def test_job_without_place(ctx):
    _doc, problems = check(edit(GOOD, town=None, region=None), ctx)
    assert [(p.field, p.message.split(" ;")[0]) for p in problems] == [
        ("Town", "lieu absent pour une offre de type « emploi »")
    ]
    _doc, problems = check(edit(GOOD, town=None, region=None, remote="oui"), ctx)
    assert problems == []


def test_town_needs_its_region(ctx):
    _doc, problems = check(edit(GOOD, region=None), ctx)
    assert [p.field for p in problems] == ["Region"]


def test_a_mistyped_field_is_one_line_not_also_called_absent(ctx):
    _doc, problems = check(edit(GOOD, apply_email="x@", organisation_website="pas un site",
                                contract="CDI?"), ctx)
    assert [p.field for p in problems] == ["Organisation_website", "Contract", "Apply_email"], problems
    assert not any("absent" in str(p) or "aucun moyen" in str(p) for p in problems), problems


def test_no_way_to_apply(ctx):
    _doc, problems = check(edit(GOOD, apply_email=None), ctx)
    assert len(problems) == 1
    assert "Apply_url: aucun moyen de postuler" in str(problems[0])


def test_a_job_names_contract_working_time_and_website(ctx):
    _doc, problems = check(edit(GOOD, contract=None, working_time=None, organisation_website=None), ctx)
    assert sorted(p.field for p in problems) == ["Contract", "Organisation_website", "Working_time"]


def test_a_call_for_projects_needs_no_place_contract_or_website(ctx):
    text = edit(GOOD, kind="appel à projets", town=None, region=None, contract=None,
                working_time=None, organisation_website=None)
    _doc, problems = check(text, ctx)
    assert problems == []


def test_salary_range_must_be_ordered(ctx):
    _doc, problems = check(edit(GOOD, salary_min="3000", salary_max="2500"), ctx)
    assert [p.field for p in problems] == ["Salary_max"]


def test_every_problem_at_once(ctx):
    text = edit(GOOD, kind="job offer", deadline="demain", apply_email=None, status="ouvert-e")
    _doc, problems = check(text, ctx)
    assert {"Deadline", "Kind", "Status"} <= {p.field for p in problems}


def test_reserved_and_duplicate_slugs(ctx, tmp_path):
    one, _ = check(edit(GOOD, slug="emploi"), ctx)
    two, _ = check(edit(GOOD, slug="poste"), ctx)
    three, _ = check(edit(GOOD, slug="poste"), ctx)
    problems = offer_cross_checks({"offer": [one, two, three]}, {}, read_settings({}))
    messages = [p.message for p in problems]
    assert sum("déjà prise" in m for m in messages) == 2
    assert any("« emploi » est celle d'une liste d'offres" in m for m in messages)


def test_settings_errors_name_the_key():
    with pytest.raises(OffersSettingsError, match="TRANSFO_OFFER_URL"):
        read_settings({"TRANSFO_OFFER_URL": "offres/"})
    with pytest.raises(OffersSettingsError, match="TRANSFO_OFFERS_SOON_DAYS"):
        read_settings({"TRANSFO_OFFERS_SOON_DAYS": "7"})
    assert read_settings({}).listing_url == "offres/"
