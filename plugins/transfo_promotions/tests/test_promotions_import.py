import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from transfo_promotions.adsimport import import_export, map_headers
from transfo_promotions.records import Promotion, parse_rows, render_records

FIXTURES = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "promotions"
SLUGS = {
    "ce-que-cachent-nos-vetements-1-le-vrai-prix-de-la-mode-jetable",
    "inclusion-numerique-3-quand-les-services-publics-passent-au-tout-numerique",
    "jours-fous-ce-que-les-visiteurs-sont-venus-chercher",
    "samira-haddouche-cheffe-et-formatrice-en-cuisine-on-apprend-a-se-relever",
    "les-ateliers-du-confluent-a-namur-le-travail-adapte-sans-rabais-sur-la-qualite",
}


def export(name):
    return (FIXTURES / name).read_bytes()


@pytest.mark.parametrize("headers", [
    ["Reporting starts", "Reporting ends", "Reach", "Impressions", "Link clicks",
     "Landing page views", "Amount spent (EUR)", "Website URL"],
    ["Début des rapports", "Fin des rapports", "Couverture", "Impressions", "Clics sur un lien",
     "Vues de page de destination", "Montant dépensé (EUR)", "URL du site web"],
])
def test_headers_are_mapped_in_both_languages(headers):
    mapping, problems = map_headers(headers)
    assert problems == []
    assert set(mapping) == {"start", "end", "reach", "impressions", "clicks", "reads", "spent", "url"}


def test_an_export_in_dollars_is_refused():
    _mapping, problems = map_headers(["Reporting starts", "Amount spent (USD)", "Website URL"])
    assert any("USD" in p for p in problems)


def test_french_export_with_decimal_commas_and_narrow_spaces():
    result = import_export(export("ads-manager-fr.csv"), "fr.csv", SLUGS, [])
    assert result.problems == []
    by_slug = {r.slug: r for r in result.added}
    dossier = by_slug["ce-que-cachent-nos-vetements-1-le-vrai-prix-de-la-mode-jetable"]
    assert (dossier.reach, dossier.impressions, dossier.clicks, dossier.reads) == (57000, 98400, 4870, 3500)
    assert dossier.spent == Decimal("100.00") and dossier.start == date(2019, 4, 24)
    third = by_slug["inclusion-numerique-3-quand-les-services-publics-passent-au-tout-numerique"]
    assert third.reach == 22340 and third.spent == Decimal("96.35")
    assert third.start == date(2019, 12, 12) and third.end == date(2019, 12, 20)  # 12/12/2019
    assert third.audience == "Travailleurs sociaux et bibliothèques, Wallonie et Bruxelles"


def test_english_export_path_or_utm_and_daily_budget():
    result = import_export(export("ads-manager-en.csv"), "en.csv", SLUGS, [])
    by_slug = {r.slug: r for r in result.added}
    samira = by_slug["samira-haddouche-cheffe-et-formatrice-en-cuisine-on-apprend-a-se-relever"]
    assert samira.reach == 12480 and samira.spent == Decimal("42.75")
    assert samira.import_key == "ad:23843120000000101|2019-08-28"
    ateliers = by_slug["les-ateliers-du-confluent-a-namur-le-travail-adapte-sans-rabais-sur-la-qualite"]
    assert ateliers.budget == Decimal("50.00")  # 5.00 a day for 10 days


def test_unmatched_rows_are_reported_with_the_closest_article():
    result = import_export(export("ads-manager-fr.csv"), "fr.csv", SLUGS, [])
    (unmatched,) = result.unmatched
    text = str(unmatched)
    assert text.startswith("fr.csv:4: URL du site web: publicité « Jours Fous bilan »")
    assert "(vouliez-vous dire « jours-fous-ce-que-les-visiteurs-sont-venus-chercher » ?)" in text
    assert "ligne non importée" in text
    assert len(import_export(export("ads-manager-en.csv"), "en.csv", SLUGS, []).unmatched) == 1


def test_importing_twice_adds_nothing():
    first = import_export(export("ads-manager-fr.csv"), "fr.csv", SLUGS, [])
    # Through the data file, as the task does.
    written, problems = parse_rows(render_records(first.records), "promotions.csv")
    assert problems == []
    second = import_export(export("ads-manager-fr.csv"), "fr.csv", SLUGS, written)
    assert second.added == [] and second.updated == []
    assert len(second.duplicates) == 2 and len(second.records) == 2


def test_a_boost_typed_by_hand_is_not_imported_again():
    typed = Promotion(slug="ce-que-cachent-nos-vetements-1-le-vrai-prix-de-la-mode-jetable",
                      platform="facebook", start=date(2019, 4, 24), end=date(2019, 5, 3),
                      budget=Decimal(100), spent=Decimal("100.00"), reach=57000, reads=3500)
    result = import_export(export("ads-manager-fr.csv"), "fr.csv", SLUGS, [typed])
    assert [r.slug for r in result.duplicates] == [typed.slug]
    assert len(result.records) == 2


def test_a_later_export_of_a_running_boost_updates_it():
    header = "Ad ID,Reporting starts,Reporting ends,Reach,Landing page views,Amount spent (EUR),Website URL\n"
    url = "https://x.be/2019/12/inclusion-numerique-3-quand-les-services-publics-passent-au-tout-numerique/"
    early = f"{header}42,2019-12-12,2019-12-15,\"10,000\",400,50.00,{url}\n".encode()
    later = f"{header}42,2019-12-12,2019-12-20,\"22,340\",802,96.35,{url}\n".encode()
    first = import_export(early, "a.csv", SLUGS, [])
    second = import_export(later, "b.csv", SLUGS, first.records)
    assert second.added == [] and len(second.updated) == 1
    (record,) = second.records
    assert record.reach == 22340 and record.end == date(2019, 12, 20)


def test_bad_rows_name_file_row_and_column():
    data = ("Reporting starts,Reporting ends,Reach,Amount spent (EUR),Ad set budget,Website URL\n"
            "2019-12-20,2019-12-12,100,10,20,https://x.be/?utm_campaign=jours-fous-ce-que-les-visiteurs-sont-venus-chercher\n"
            "2019-12-12,2019-12-20,-3,30,20,https://x.be/?utm_campaign=jours-fous-ce-que-les-visiteurs-sont-venus-chercher\n"
            ).encode()
    result = import_export(data, "x.csv", SLUGS, [])
    lines = sorted(str(p) for p in result.problems)
    assert lines[0].startswith("x.csv:2: Reporting ends: fin le 2019-12-12, avant le début")
    assert any(line.startswith("x.csv:3: Reach: « -3 » est négatif") for line in lines)
    assert result.added == []


def test_utf16_tab_separated_exports_are_read():
    data = (FIXTURES / "ads-manager-fr.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(data.splitlines()))
    tabbed = "\n".join("\t".join(row) for row in rows).encode("utf-16")
    result = import_export(tabbed, "fr.tsv", SLUGS, [])
    assert len(result.added) == 2 and len(result.unmatched) == 1
