from datetime import date
from decimal import Decimal

import pytest
from transfo_promotions.parsing import parse_amount, parse_count, parse_day
from transfo_promotions.records import COLUMNS, Promotion, parse_rows, read_records, render_records

HEADER = ",".join(COLUMNS)
SLUGS = {"ce-que-cachent-nos-vetements-1-le-vrai-prix-de-la-mode-jetable", "soleil-de-meuse"}
GOOD = ("ce-que-cachent-nos-vetements-1-le-vrai-prix-de-la-mode-jetable,facebook,2019-04-24,"
        "2019-05-03,100.00,100.00,\"25-45 ans, Bruxelles\",57000,98400,4870,3500,")


@pytest.mark.parametrize("raw, expected", [
    ("100", Decimal("100")), ("100,00", Decimal("100.00")), ("87,40 €", Decimal("87.40")),
    ("1 234,50", Decimal("1234.50")), ("1\u202f234,50", Decimal("1234.50")),
    ("1.234,50", Decimal("1234.50")), ("1,234.50", Decimal("1234.50")), ("12.5", Decimal("12.5")),
    ("0,500", Decimal("0.500")), ("EUR 42.75", Decimal("42.75")),
])
def test_amounts_in_french_and_english(raw, expected):
    assert parse_amount(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("57000", 57000), ("57 000", 57000), ("57\u202f000", 57000), ("57\u00a0000", 57000),
    ("57.000", 57000), ("57,000", 57000), ("1,234,567", 1234567),
])
def test_counts_with_any_thousands_separator(raw, expected):
    assert parse_count(raw) == expected


def test_bad_numbers_and_days_say_what_is_expected():
    with pytest.raises(ValueError, match="nombre entier"):
        parse_count("57,5")
    with pytest.raises(ValueError, match="montant"):
        parse_amount("cent euros")
    for raw in ("1e6", "1e26", "1E+100000", "1_000", "\u0665\u0667", "NaN", "Infinity"):
        with pytest.raises(ValueError, match="n'est pas un montant"):
            parse_amount(raw)
        with pytest.raises(ValueError, match="nombre entier"):
            parse_count(raw)
    with pytest.raises(ValueError, match="dépasse 1 000 000 €"):
        parse_amount("2 000 000")
    assert parse_day("24/04/2019") == parse_day("2019-04-24") == date(2019, 4, 24)
    with pytest.raises(ValueError, match="AAAA-MM-JJ"):
        parse_day("24 avril")


def test_a_good_row_becomes_a_record():
    records, problems = parse_rows(f"{HEADER}\n{GOOD}\n", "promotions.csv")
    assert problems == []
    (record,) = records
    assert record == Promotion(
        slug="ce-que-cachent-nos-vetements-1-le-vrai-prix-de-la-mode-jetable",
        platform="facebook", start=date(2019, 4, 24), end=date(2019, 5, 3),
        budget=Decimal("100.00"), spent=Decimal("100.00"), audience="25-45 ans, Bruxelles",
        reach=57000, impressions=98400, clicks=4870, reads=3500, line=2,
    )


def test_a_row_copied_twice_is_one_line_not_twice_the_spend():
    records, problems = parse_rows(f"{HEADER}\n{GOOD}\n\n{GOOD}\n", "promotions.csv")
    assert [str(p) for p in problems] == [
        "promotions.csv:4: ligne: même promotion que la ligne 2 (article, plateforme, dates et dépense) ; "
        "attendu : chaque promotion une seule fois"]
    twice_imported = [f"{GOOD}cle-{n}" for n in (1, 2)]  # two ad sets an import told apart
    assert parse_rows("\n".join([HEADER, *twice_imported]), "promotions.csv")[1] == []


def test_a_spreadsheet_s_semicolon_file_is_read_as_it_was_meant():
    semicolons = "\ufeff" + HEADER.replace(",", ";") + "\r\n" + GOOD.replace(
        '"25-45 ans, Bruxelles"', '"25-45 ans; Bruxelles"').replace(",", ";").replace("100.00", "100,00") + "\r\n"
    records, problems = parse_rows(semicolons, "promotions.csv")
    assert problems == [] and records[0].reach == 57000 and records[0].audience == "25-45 ans; Bruxelles"


def test_every_mistake_is_one_french_line_naming_file_and_row(tmp_path):
    rows = [
        GOOD,
        "ce-que-cachent-nos-vetement-1,facebook,2019-04-24,2019-05-03,100,90,,1000,2000,10,5,",
        "soleil-de-meuse,facebook,2019-10-31,2019-10-23,80,79.20,,-5,100,10,5,",
        "soleil-de-meuse,facebook,2019-10-23,2019-10-31,80,95,,100,100,10,5,",
        "soleil-de-meuse,tiktok,2019-10-23,2019-10-31,-80,50,,100,100,10,5,",
    ]
    path = tmp_path / "promotions.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    records, problems = read_records(path, SLUGS)
    lines = [str(p) for p in problems]
    assert all(line.startswith(str(path)) or "promotions.csv:" in line for line in lines)
    assert any(":3: slug: article inconnu « ce-que-cachent-nos-vetement-1 » (vouliez-vous dire "
               "« ce-que-cachent-nos-vetements-1-le-vrai-prix-de-la-mode-jetable » ?)" in line
               for line in lines)
    assert any(":4: fin: fin le 2019-10-23, avant le début le 2019-10-31" in line for line in lines)
    assert any(":4: couverture: « -5 » est négatif" in line for line in lines)
    assert any(":5: depense_eur: dépense de 95 EUR supérieure au budget de 80 EUR" in line
               for line in lines)
    assert any(":6: plateforme: « tiktok » inconnue" in line for line in lines)
    assert any(":6: budget_eur: « -80 » est négatif" in line for line in lines)
    assert all("\n" not in line and "Traceback" not in line for line in lines)
    assert [r.line for r in records] == [2, 3]  # the unknown slug is a problem of the site


def test_unknown_columns_and_missing_ones_are_reported():
    _records, problems = parse_rows("slug,plateforme,debut\nx,facebook,2019-01-01\n", "p.csv")
    assert "colonne(s) absente(s) : fin, budget_eur, depense_eur" in str(problems[0])
    _records, problems = parse_rows(f"{HEADER},lectrues\n{GOOD},1\n", "p.csv")
    assert "colonne inconnue (vouliez-vous dire « lectures » ?)" in str(problems[0])


def test_the_data_file_round_trips():
    records, _ = parse_rows(f"{HEADER}\n{GOOD}\n", "p.csv")
    again, problems = parse_rows(render_records(records), "p.csv")
    assert problems == [] and again == records


def test_no_data_file_no_records(tmp_path):
    assert read_records(tmp_path / "absent.csv", SLUGS) == ([], [])


def test_an_audience_with_commas_needs_quotes():
    row = GOOD.replace('"25-45 ans, Bruxelles"', "25-45 ans, Bruxelles")
    _records, (problem,) = parse_rows(f"{HEADER}\n{row}\n", "p.csv")
    assert str(problem).startswith("p.csv:2: ligne: 1 valeur(s) de trop")
