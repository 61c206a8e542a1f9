from datetime import date
from decimal import Decimal

import pytest
from transfo_promotions.leaks import PromotionLeakError, check_tree, needles, scan_text, scan_tree
from transfo_promotions.records import Promotion
from transfo_validation.problems import ContentError

AUDIENCE = "25-45 ans, Bruxelles et Wallonie, intérêt consommation durable"
DOSSIER = Promotion(slug="vetements-1", platform="facebook", start=date(2019, 4, 24),
                    end=date(2019, 5, 3), budget=Decimal("100.00"), spent=Decimal("87.40"),
                    audience=AUDIENCE, reach=57000, impressions=98400, clicks=4870, reads=3500,
                    line=2)
ITEMS = needles([DOSSIER], "content/promotions/promotions.csv")


@pytest.mark.parametrize("text", [
    "57000 personnes", "57 000 personnes", "57\u202f000 personnes", "57&nbsp;000 personnes",
    "57&#8239;000", "57.000", "57,000", "3 500 lectures", "budget : 100,00\u00a0€",
    "87.40 EUR", "87,40 €", "Public : 25-45 ans, Bruxelles et Wallonie, intérêt consommation durable",
    "PUBLIC : 25-45 ANS,\n  BRUXELLES ET WALLONIE, INTÉRÊT CONSOMMATION DURABLE", "0,0250 € par lecture",
    '<meta name="description" content="25-45 ans, Bruxelles et Wallonie, intérêt consommation durable">',
    "&lt;p&gt;57 000 personnes&lt;/p&gt;", '{"budget": "100,00 €"}', "€100.00",
])
def test_every_way_of_writing_a_figure_is_found(text):
    assert scan_text(f"<p>{text}</p>", ITEMS)


@pytest.mark.parametrize("text", [
    "157000 habitants", "57 0001", "Plus de 1 100 personnes", "un t-shirt à 100 euros",
    "en 2019, 3 000 coopérateurs", "57", "3500000", '"price": "100.00"', "100 €",
    '<enclosure length="57000" type="image/jpeg"/>', '<img width="4870">', "il y a 3500 ans",
])
def test_ordinary_text_is_not_a_leak(text):
    assert scan_text(text, ITEMS) == []


def test_a_tree_with_a_leak_fails_with_one_line_per_leak(tmp_path):
    (tmp_path / "2019").mkdir()
    (tmp_path / "2019" / "index.html").write_text("<p>57 000 personnes touchées</p>", encoding="utf-8")
    (tmp_path / "clean.html").write_text("<p>Rien à signaler</p>", encoding="utf-8")
    (tmp_path / "image.jpg").write_bytes(b"\xff\xd8\0\0 57000 \0")
    with pytest.raises(PromotionLeakError) as caught:
        check_tree(tmp_path, [DOSSIER], "content/promotions/promotions.csv", "promotions.csv")
    error = caught.value
    assert isinstance(error, ContentError)  # so `invoke build` and `publish` stop without traceback
    lines = str(error).splitlines()
    assert lines[0].endswith("/2019/index.html: fuite: couverture de la promotion "
                             "content/promotions/promotions.csv:2 « 57 000 » trouvé dans le site "
                             "construit ; attendu : aucune donnée interne des promotions dans le "
                             "site public")
    assert len(lines) == 2 and "ne doit pas être publié" in lines[-1]


def test_the_data_file_itself_is_a_leak(tmp_path):
    (tmp_path / "promotions.csv").write_text("rien", encoding="utf-8")
    leaks = scan_tree(tmp_path, ITEMS, "promotions.csv")
    assert [leak.what for leak in leaks] == ["le fichier interne des promotions"]


def test_no_records_no_leak(tmp_path):
    (tmp_path / "index.html").write_text("57 000", encoding="utf-8")
    check_tree(tmp_path, [], "content/promotions/promotions.csv", "promotions.csv")
