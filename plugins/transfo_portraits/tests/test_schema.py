from pathlib import Path

import pytest
from transfo_portraits.schema import AnnuaireUrl, article_extension
from transfo_portraits.settings import PortraitsSettingsError, read_settings
from transfo_validation.core_schema import article_kind
from transfo_validation.fields import FieldError, ParseContext
from transfo_validation.schema import merge, validate
from transfo_validation.settings import read_settings as validation_settings

ROOT = Path("/nonexistent")
CTX = ParseContext(content_root=ROOT, source_path=ROOT / "x.md")
CFG = read_settings({})
ARTICLE = merge([article_kind(validation_settings({"PATH": str(ROOT)})), article_extension(CFG)])["article"]


def check(category, *fields):
    text = "\n".join(["Title: t", "Date: 2019-10-10 09:00", f"Category: {category}", "Summary: s",
                      *fields]) + "\n\nCorps"
    _doc, problems = validate(text, "articles/p.md", ARTICLE, CTX)
    return [str(p) for p in problems]


def test_a_complete_portrait_is_valid():
    assert check("Portraits", "Person: Samira Haddouche", "Sector: Alimentation et restauration",
                 "Town: Charleroi", "Region: Wallonie", "Website: https://www.example.org/",
                 "Annuaire: https://annuaire.economiesociale.be/entreprise/x") == []


def test_portrait_fields_only_in_portraits():
    problems = check("Analyses", "Sector: Énergie", "Town: Liège")
    assert problems == [
        "articles/p.md:5: Sector: champ de portrait dans un article de la rubrique « Analyses » ; "
        "attendu : ce champ seulement dans la rubrique « Portraits », ou Category: Portraits",
        "articles/p.md:6: Town: champ de portrait dans un article de la rubrique « Analyses » ; "
        "attendu : ce champ seulement dans la rubrique « Portraits », ou Category: Portraits",
    ]


def test_a_portrait_needs_who_sector_town_and_region():
    problems = check("Portraits", "Town: Liège")
    assert [p.split(": ")[1] for p in problems] == ["Person", "Sector", "Region"]
    assert "ni Person ni Enterprise" in problems[0]


def test_region_and_sector_come_from_lists():
    problems = check("Portraits", "Enterprise: X", "Sector: Energie", "Town: Liège", "Region: wallonie")
    assert any("vouliez-vous dire « Énergie »" in p for p in problems)
    assert any("vouliez-vous dire « Wallonie »" in p for p in problems)


def test_annuaire_must_be_the_directory():
    field = AnnuaireUrl()
    assert field.parse("https://annuaire.economiesociale.be/x", CTX).endswith("/x")
    for bad in ("https://www.economiesociale.be/annuaire", "http://annuaire.economiesociale.be/x",
                "annuaire.economiesociale.be/x"):
        with pytest.raises(FieldError, match="annuaire.economiesociale.be"):
            field.parse(bad, CTX)


def test_settings_are_checked_with_the_key_named():
    with pytest.raises(PortraitsSettingsError, match="TRANSFO_PORTRAITS_REGIONS"):
        read_settings({"TRANSFO_PORTRAITS_REGIONS": "Wallonie"})
