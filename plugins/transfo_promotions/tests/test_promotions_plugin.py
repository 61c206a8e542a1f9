import time
from decimal import Decimal

import pytest
from transfo_common import files
from transfo_promotions.plugin import check_promotions
from transfo_promotions.settings import PromotionSettingsError, read_settings

ARTICLE = "Title: Le Fournil partagé\nDate: 2019-01-29 09:00\nCategory: Portraits\nSummary: x\n\nTexte.\n"
HEADER = "slug,plateforme,debut,fin,budget_eur,depense_eur,audience,couverture,impressions,clics,lectures,cle_import\n"


def site(tmp_path, rows, static=("images",)):
    (tmp_path / "articles").mkdir(parents=True)
    (tmp_path / "articles" / "fournil.md").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "promotions").mkdir()
    (tmp_path / "promotions" / "promotions.csv").write_text(HEADER + rows, encoding="utf-8")
    return {"PATH": str(tmp_path), "ARTICLE_PATHS": ["articles"], "STATIC_PATHS": list(static)}


def test_settings_defaults_and_errors_name_the_key(tmp_path):
    cfg = read_settings({"PATH": str(tmp_path)})
    assert cfg.monthly_budget == Decimal(300)
    assert cfg.data_file == tmp_path / "promotions" / "promotions.csv"
    with pytest.raises(PromotionSettingsError, match="TRANSFO_PROMOTIONS_MONTHLY_BUDGET"):
        read_settings({"TRANSFO_PROMOTIONS_MONTHLY_BUDGET": "beaucoup"})
    with pytest.raises(PromotionSettingsError, match="TRANSFO_PROMOTIONS_FILE"):
        read_settings({"TRANSFO_PROMOTIONS_FILE": "/etc/promotions.csv"})


def test_the_build_check_knows_the_articles_slugs(tmp_path):
    good = "le-fournil-partage,facebook,2019-02-01,2019-02-07,50,45,,1000,2000,50,30,\n"
    assert check_promotions({}, site(tmp_path, good)) == []


def test_the_next_build_sees_an_edited_title_though_it_keeps_the_headers_it_read(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "SETTLED_NS", 0)
    good = "le-fournil-partage,facebook,2019-02-01,2019-02-07,50,45,,1000,2000,50,30,\n"
    settings = {**site(tmp_path / "content", good), "CACHE_PATH": str(tmp_path / "cache")}
    time.sleep(0.05)
    assert check_promotions({}, settings) == []
    assert check_promotions({}, settings) == []  # from the kept headers
    assert (tmp_path / "cache" / "transfo_promotions" / "article-headers.json").is_file()
    article = tmp_path / "content" / "articles" / "fournil.md"
    article.write_text(ARTICLE.replace("Le Fournil partagé", "Le Fournil commun"), encoding="utf-8")
    (problem,) = check_promotions({}, settings)
    assert problem.field == "slug" and "(vouliez-vous dire « le-fournil-commun » ?)" in problem.message


def test_the_build_check_reports_unknown_slugs(tmp_path):
    bad = "le-fournil-partagee,facebook,2019-02-01,2019-02-07,50,45,,1000,2000,50,30,\n"
    (problem,) = check_promotions({}, site(tmp_path, bad))
    assert problem.line == 2 and problem.field == "slug"
    assert "(vouliez-vous dire « le-fournil-partage » ?)" in problem.message


@pytest.mark.parametrize("static", [("images", "promotions"), ("",), ("promotions/promotions.csv",)])
def test_a_data_file_inside_static_paths_would_be_published(tmp_path, static):
    good = "le-fournil-partage,facebook,2019-02-01,2019-02-07,50,45,,1000,2000,50,30,\n"
    (problem,) = check_promotions({}, site(tmp_path, good, static))
    assert problem.field == "fichier" and "STATIC_PATHS" in problem.message


def test_the_leak_check_remembers_clean_files_under_cache_path(tmp_path):
    from types import SimpleNamespace

    from transfo_promotions.leaks import PromotionLeakError, memory_file
    from transfo_promotions.plugin import check_for_leaks

    rows = "le-fournil-partage,facebook,2019-02-01,2019-02-07,50,45,,1000,2000,57000,30,\n"
    (tmp_path / "content").mkdir()
    settings = {**site(tmp_path / "content", rows), "CACHE_PATH": str(tmp_path / "cache")}
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("<p>Bonjour</p>", encoding="utf-8")
    pelican = SimpleNamespace(settings=settings, output_path=str(out))
    check_for_leaks(pelican)
    memory = memory_file(tmp_path / "cache" / "transfo_promotions", out)
    assert memory.is_file()
    (out / "new.html").write_text("<p>57 000 clics</p>", encoding="utf-8")
    with pytest.raises(PromotionLeakError, match="new.html"):
        check_for_leaks(pelican)

    assert read_settings(settings).leak_memory == tmp_path / "cache" / "transfo_promotions"
    off = {**settings, "CACHE_PATH": str(tmp_path / "cache-off"), "TRANSFO_PROMOTIONS_LEAK_MEMORY": False}
    assert read_settings(off).leak_memory is None
    with pytest.raises(PromotionLeakError):
        check_for_leaks(SimpleNamespace(settings=off, output_path=str(out)))
    assert not (tmp_path / "cache-off").exists()
    with pytest.raises(PromotionSettingsError, match="TRANSFO_PROMOTIONS_LEAK_MEMORY"):
        read_settings({"TRANSFO_PROMOTIONS_LEAK_MEMORY": "oui"})


def test_the_output_types_are_one_setting_checked_once():
    from transfo_promotions.filetypes import DEFAULT_OUTPUT_TYPES

    assert read_settings({}).output_types == DEFAULT_OUTPUT_TYPES
    assert {"wasm", "webmanifest", "png", "svg", "yml"} <= set(DEFAULT_OUTPUT_TYPES)
    assert not {"csv", "xlsx", "gz", "br", "eml", "jsonl", "pdf"} & set(DEFAULT_OUTPUT_TYPES)
    extended = read_settings({"TRANSFO_OUTPUT_TYPES": {**DEFAULT_OUTPUT_TYPES, "jsonld": "json"}})
    assert extended.output_types["jsonld"] == "json"
    for wrong in ({"csv": "tableur"}, {".png": "png"}, {"PNG": "png"}, ["html"]):
        with pytest.raises(PromotionSettingsError, match="TRANSFO_OUTPUT_TYPES"):
            read_settings({"TRANSFO_OUTPUT_TYPES": wrong})
