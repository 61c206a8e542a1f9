"""Promotions: internal records checked by the build, never published, and the tasks.

The sample's data file is content/promotions/promotions.csv; these tests build
the real sample (and copies of it with mistakes or leaks) with the real tasks.
"""

from __future__ import annotations

import csv
import html
import io
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from transfo_admin.assets import decap_files
from transfo_promotions.leaks import memory_file

from tests.support import ROOT, build, build_with_settings, invoke

DATA_FILE = ROOT / "content" / "promotions" / "promotions.csv"
DOSSIER = "ce-que-cachent-nos-vetements-1-le-vrai-prix-de-la-mode-jetable"
FIXTURES = ROOT / "tests" / "fixtures" / "promotions"
SVG = "{http://www.w3.org/2000/svg}"


def sample_records() -> list[dict]:
    with DATA_FILE.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))

DECAP_DIST = ROOT / "node_modules" / "decap-cms" / "dist"


def whole_tree_text(output: Path) -> str:
    """Every file of the built site, whatever its type, entities decoded, every
    kind of space made plain: what a reader or a crawler could find. Decap CMS's
    own files, copied byte for byte from npm into admin/, are left out: their
    minified code holds number lists of every kind, and no content reaches them."""
    vendor = {path.name: path.read_bytes() for path in decap_files(DECAP_DIST)}
    chunks = []
    for path in sorted(output.rglob("*")):
        if path.parent == output / "admin" and vendor.get(path.name) == path.read_bytes():
            continue
        if path.is_file():
            text = html.unescape(path.read_bytes().decode("utf-8", errors="ignore"))
            chunks.append(re.sub(r"[\u00a0\u202f\u2009]", " ", text))
    return "\n".join(chunks)


@pytest.fixture
def content_copy(tmp_path) -> Path:
    return Path(shutil.copytree(ROOT / "content", tmp_path / "content"))


def test_sample_records_reference_real_articles_with_the_dossier_boost():
    records = sample_records()
    slugs = {r["slug"] for r in records}
    built_from = {p.stem for p in (ROOT / "content" / "articles").rglob("*.md")}
    assert slugs <= built_from  # these articles are not given a Slug: field
    dossier = [r for r in records if r["slug"] == DOSSIER]
    assert [(r["couverture"], r["lectures"], r["depense_eur"]) for r in dossier] == [
        ("57000", "3500", "100.00")]
    months = {r["debut"][:7] for r in records}
    assert len(records) >= 6 and len(months) >= 4


@pytest.mark.slow
def test_no_promotion_figure_reaches_the_built_site(sample_site):
    text = whole_tree_text(sample_site)
    lowered = text.casefold()
    for needle in ("57000", "57 000", "57.000", "57,000", "3 500", "100,00 €", "100,00 EUR",
                   "100.00 EUR", "0,0286", "slug,plateforme,debut", "transfo-rapport-interne"):
        assert needle.casefold() not in lowered, needle
    for record in sample_records():
        assert record["audience"].casefold() not in lowered, record["audience"]
        spent = record["depense_eur"]
        if not spent.endswith(".00"):
            assert spent not in text and spent.replace(".", ",") not in text, spent
        assert f"{spent.replace('.', ',')} €" not in text
        for column in ("couverture", "impressions"):
            value = int(record[column])
            assert f"{value:,}".replace(",", " ") not in text, value


@pytest.mark.slow
def test_the_data_file_and_the_report_are_never_copied(sample_site):
    names = {p.name for p in sample_site.rglob("*")}
    assert "promotions.csv" not in names
    assert not [p for p in sample_site.rglob("*.csv")]
    assert not (sample_site / "promotions").exists()
    assert not (sample_site / "reports").exists()


@pytest.mark.slow
def test_a_bad_record_stops_the_build_with_one_line_each(content_copy, tmp_path):
    data = content_copy / "promotions" / "promotions.csv"
    with data.open("a", encoding="utf-8") as handle:
        handle.write("ce-que-cachent-nos-vetement-1,facebook,2019-12-01,2019-12-05,50,40,,100,100,1,1,\n")
        handle.write(f"{DOSSIER},facebook,2019-12-10,2019-12-01,50,40,,100,100,1,1,\n")
        handle.write(f"{DOSSIER},facebook,2019-12-10,2019-12-12,50,40,,-100,100,1,1,\n")
        handle.write(f"{DOSSIER},facebook,2019-12-10,2019-12-12,50,60,,100,100,1,1,\n")
    result = build(tmp_path / "out", content=content_copy, check=False)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "promotions.csv:" in line]
    assert len(lines) == 4
    assert lines[0].endswith(f"promotions.csv:12: slug: article inconnu « ce-que-cachent-nos-vetement-1 » "
                             f"(vouliez-vous dire « {DOSSIER} » ?) ; attendu : le slug d'un "
                             "article de content/articles")
    assert "promotions.csv:13: fin: fin le 2019-12-01, avant le début le 2019-12-10" in lines[1]
    assert "promotions.csv:14: couverture: « -100 » est négatif" in lines[2]
    assert "promotions.csv:15: depense_eur: dépense de 60 EUR supérieure au budget de 50 EUR" in lines[3]
    assert not (tmp_path / "out" / "index.html").exists()
    checked = invoke("check", "--content", str(content_copy), check=False)
    assert checked.returncode == 2 and sum("promotions.csv:" in line
                                           for line in checked.stdout.splitlines()) == 4


@pytest.mark.slow
def test_a_figure_in_an_article_fails_the_build(content_copy, tmp_path):
    article = content_copy / "articles" / "2019" / "soleil-de-meuse-lenergie-qui-appartient-aux-liegeois.md"
    article.write_text(article.read_text(encoding="utf-8")
                       + "\nNotre publicité a touché 57 000 personnes pour 100,00 €.\n", encoding="utf-8")
    result = build(tmp_path / "out", content=content_copy, check=False)
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr
    leaks = [line for line in result.stderr.splitlines() if ": fuite: " in line]
    page = "2019/10/soleil-de-meuse-lenergie-qui-appartient-aux-liegeois/index.html: fuite: "
    assert any(page + "couverture de la promotion" in line and "« 57 000 »" in line for line in leaks)
    assert any(page + "budget de la promotion" in line and "« 100,00 € »" in line for line in leaks)
    assert result.stderr.strip().splitlines()[-1].endswith("ce site ne doit pas être publié.")
    # Building again changes nothing: the leaking output must not pass for up to date.
    again = build(tmp_path / "out", content=content_copy, check=False)
    assert again.returncode == 3 and "« 57 000 »" in again.stderr


@pytest.mark.slow
def test_a_leaking_template_fails_the_build(tmp_path):
    overrides = tmp_path / "templates"
    overrides.mkdir()
    audience = sample_records()[0]["audience"]
    (overrides / "404.html").write_text(
        f"<!DOCTYPE html><html lang=\"fr-BE\"><title>404</title><p>Public visé : {audience}</p></html>",
        encoding="utf-8")
    result = build_with_settings(tmp_path, f"THEME_TEMPLATES_OVERRIDES = [{str(overrides)!r}]", tmp_path / "out")
    assert result.returncode == 3, result.stderr
    assert f"/404.html: fuite: audience de la promotion content/promotions/promotions.csv:2 « {audience} »" \
        in result.stderr


@pytest.mark.publish
def test_publish_refuses_a_leaking_site(content_copy, tmp_path):
    page = content_copy / "pages" / "a-propos.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nCampagne : 57 000 personnes touchées.\n",
                    encoding="utf-8")
    root = tmp_path / "public"
    result = invoke("publish", "--root", str(root), "--content", str(content_copy),
                    "--now", "2019-11-30", check=False)
    assert result.returncode != 0
    assert "a-propos/index.html: fuite: couverture" in result.stderr
    assert not (root / "current").exists()
    releases = root / "releases"
    assert not releases.exists() or not [p for p in releases.iterdir() if not p.name.startswith(".")]


def test_promotions_link_prints_the_public_address_with_utm():
    result = invoke("promotions-link", DOSSIER)
    link = result.stdout.strip()
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == (
        f"https://www.economiesociale.be/transfo/2019/04/{DOSSIER}/")
    assert parse_qs(parts.query) == {"utm_source": ["facebook"], "utm_medium": ["paid_social"],
                                     "utm_campaign": [DOSSIER]}
    wrong = invoke("promotions-link", "ce-que-cachent-nos-vetement-1", check=False)
    assert wrong.returncode == 2 and f"vouliez-vous dire « {DOSSIER} »" in wrong.stderr


def test_promotions_report_parses_back(tmp_path):
    out = tmp_path / "rapport"
    invoke("promotions-report", "--output", str(out))
    page = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    row = page.select_one(f'#par-promotion tr[data-slug="{DOSSIER}"]')
    cells = [" ".join(td.get_text().split()).replace("\u202f", " ").replace("\u00a0", " ")
             for td in row.find_all("td")]
    assert "0,0286 €" in cells and "57 000" in cells and "3 500" in cells and "100,00 €" in cells
    best = page.select(".highlights section")[0]
    assert "Ce que cachent nos vêtements (1)" in best.get_text()
    november = [tr for tr in page.select("tr.over")]
    assert [" ".join(tr.th.get_text().split()) for tr in november] == ["novembre 2019"]
    rows = list(csv.DictReader(io.StringIO((out / "rapport-promotions.csv").read_text(encoding="utf-8-sig")),
                               delimiter=";"))
    assert len(rows) == len(sample_records())
    assert {r["slug"]: r["cout_par_lecture_eur"] for r in rows}[DOSSIER] == "0,0286"
    for name in ("depenses-par-mois.svg", "cout-par-lecture.svg"):
        root = ET.parse(out / name).getroot()
        assert root.tag == f"{SVG}svg" and not list(root.iter(f"{SVG}script"))
    refused = invoke("promotions-report", "--output", str(ROOT / "output" / "rapport"), check=False)
    assert refused.returncode == 2 and not (ROOT / "output" / "rapport").exists()
    # A publish root of any name (invoke publish --root /srv/transfo): never into its live release
    root = tmp_path / "srv"
    (root / "releases" / "20191130-000000-000000").mkdir(parents=True)
    (root / "current").symlink_to(Path("releases") / "20191130-000000-000000")
    live = invoke("promotions-report", "--output", str(root / "current" / "rapport"), check=False)
    assert live.returncode == 2 and "un dossier de publications (invoke publish --root)" in live.stderr
    assert not (root / "releases" / "20191130-000000-000000" / "rapport").exists()


@pytest.mark.slow
def test_promotions_import_twice_adds_nothing(content_copy):
    data = content_copy / "promotions" / "promotions.csv"
    before = len(sample_records())
    first = invoke("promotions-import", str(FIXTURES / "ads-manager-fr.csv"), "--content", str(content_copy))
    assert "1 ajoutée(s), 0 mise(s) à jour, 1 déjà présente(s), 1 ligne(s) sans article" in first.stdout
    assert "ads-manager-fr.csv:4: URL du site web: publicité « Jours Fous bilan »" in first.stderr
    after_first = data.read_bytes()
    second = invoke("promotions-import", str(FIXTURES / "ads-manager-fr.csv"), "--content", str(content_copy))
    assert "0 ajoutée(s), 0 mise(s) à jour, 2 déjà présente(s)" in second.stdout
    assert data.read_bytes() == after_first
    english = invoke("promotions-import", str(FIXTURES / "ads-manager-en.csv"), "--content", str(content_copy))
    assert "2 ajoutée(s)" in english.stdout and "Jours Fous 2020 - annonce" in english.stderr
    with data.open(encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == before + 3
    checked = invoke("check", "--content", str(content_copy), check=False)
    assert "promotions.csv" not in checked.stdout + checked.stderr


def test_an_import_with_a_bad_row_names_it_and_fails(content_copy, tmp_path):
    """An amount in scientific notation (1e30) is a bad row, not a number the report cannot print."""
    lines = (FIXTURES / "ads-manager-fr.csv").read_text(encoding="utf-8").splitlines()
    bad = lines[2].replace('"96,35"', '"1e30"')
    export = tmp_path / "export.csv"
    export.write_text("\n".join([lines[0], lines[1], bad]) + "\n", encoding="utf-8")
    data = content_copy / "promotions" / "promotions.csv"
    before = data.read_bytes()
    result = invoke("promotions-import", str(export), "--content", str(content_copy), check=False)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert "export.csv:3:" in result.stderr and "« 1e30 » n'est pas un montant" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("1 ligne(s) en erreur, non importée(s)")
    assert "0 ajoutée(s), 0 mise(s) à jour, 1 déjà présente(s)" in result.stdout and data.read_bytes() == before


def test_several_problems_in_the_data_file_are_all_reported_in_order(content_copy):
    """Found by mypy: the tasks sorted Problems, which have no order, so two problems or more
    ended in a TypeError traceback instead of the editor's lines."""
    data = content_copy / "promotions" / "promotions.csv"
    with data.open("a", encoding="utf-8") as handle:
        handle.write("article-inexistant-b,facebook,2019-04-24,2019-05-03,10.00,10.00,,1000,2000,30,20,\n")
        handle.write("article-inexistant-a,facebook,2019-04-24,2019-05-03,10.00,10.00,,1000,2000,30,20,\n")
    result = invoke("promotions-import", str(FIXTURES / "ads-manager-fr.csv"), "--content", str(content_copy),
                    check=False)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if "article-inexistant" in line]
    assert len(lines) == 2 and "article-inexistant-b" in lines[0], result.stderr  # file order: line 4, then 5


@pytest.mark.slow
def test_a_leak_added_after_a_clean_build_is_found_by_the_next_build(content_copy, tmp_path):
    """The leak check remembers the files it found clean (in the cache): a page
    rewritten by the next build is searched again, whatever the memory says."""
    out = tmp_path / "out"
    build(out, content=content_copy)
    assert memory_file(ROOT / "cache" / "transfo_promotions", out).is_file()
    article = content_copy / "articles" / "2019" / "soleil-de-meuse-lenergie-qui-appartient-aux-liegeois.md"
    article.write_text(article.read_text(encoding="utf-8")
                       + "\nNotre publicité a touché 57 000 personnes.\n", encoding="utf-8")
    result = build(out, content=content_copy, check=False)
    assert result.returncode == 3, result.stderr
    assert "soleil-de-meuse-lenergie-qui-appartient-aux-liegeois/index.html: fuite: couverture" \
        in result.stderr
