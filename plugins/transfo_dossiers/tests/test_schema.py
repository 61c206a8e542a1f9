from pathlib import Path

from transfo_dossiers.schema import article_extension, cross_problems, dossier_kind
from transfo_validation.core_schema import article_kind
from transfo_validation.fields import ParseContext
from transfo_validation.schema import merge, validate
from transfo_validation.settings import read_settings

ROOT = Path("/nonexistent")
CTX = ParseContext(content_root=ROOT, source_path=ROOT / "x.md")
ARTICLE = merge([article_kind(read_settings({"PATH": str(ROOT)})), article_extension()])["article"]
DOSSIER = dossier_kind("dossiers")


def dossier(slug, start="2019-10-01", end=None, status=None):
    text = f"Title: {slug}\nSlug: {slug}\nStart: {start}\n" + (f"End: {end}\n" if end else "")
    text += f"Status: {status}\n" if status else ""
    doc, problems = validate(text + "Image_alt: x\n\nIntro", f"dossiers/{slug}.md",
                             DOSSIER, CTX)
    return doc


def part(name, slug, number=None, date="2019-10-10 09:00", status=None):
    lines = [f"Title: {name}", f"Date: {date}", "Category: Dossiers", "Summary: s", f"Dossier: {slug}"]
    if number is not None:
        lines.append(f"Dossier_part: {number}")
    if status:
        lines.append(f"Status: {status}")
    doc, problems = validate("\n".join(lines) + "\n\nCorps", f"articles/{name}.md", ARTICLE, CTX)
    assert problems == []
    return doc


def messages(problems):
    return [str(p) for p in problems]


def test_a_well_formed_dossier_has_no_problem():
    parts = [part("a", "vetements", 1), part("b", "vetements", 2), part("c", "vetements", 3)]
    assert cross_problems([dossier("vetements")], parts, "dossiers") == []


def test_unknown_slug_names_the_file_and_suggests_the_closest():
    problems = messages(cross_problems([dossier("inclusion-numerique"), dossier("vetements")],
                                       [part("a", "inclusion-numeriqe", 1)], "dossiers"))
    assert len(problems) == 1
    assert problems[0].startswith("articles/a.md:5: Dossier: dossier « inclusion-numeriqe » inconnu")
    assert "vouliez-vous dire « inclusion-numerique » ?" in problems[0]


def test_two_parts_with_one_number():
    problems = messages(cross_problems([dossier("d")], [part("a", "d", 1), part("b", "d", 1)],
                                      "dossiers"))
    assert problems == ["articles/b.md:6: Dossier_part: partie 1 déjà attribuée à articles/a.md ; "
                        "attendu : un numéro par partie"]


def test_a_gap_in_numbering():
    problems = messages(cross_problems([dossier("d")], [part("a", "d", 1), part("c", "d", 3)],
                                      "dossiers"))
    assert problems == ["articles/c.md:6: Dossier_part: partie 3 alors qu'il n'y a pas de partie 2 ; "
                        "attendu : des numéros qui se suivent à partir de 1"]


def test_a_part_outside_the_dossier_dates():
    problems = messages(cross_problems(
        [dossier("d", start="2019-10-01", end="2019-10-31")],
        [part("a", "d", 1, date="2019-09-30 09:00"), part("b", "d", 2, date="2019-10-31 18:00"),
         part("c", "d", 3, date="2019-11-01 09:00")], "dossiers"))
    assert len(problems) == 2
    assert problems[0].startswith("articles/a.md:2: Date: 2019-09-30 hors des dates du dossier « d »")
    assert problems[1].startswith("articles/c.md:2: Date: 2019-11-01 hors des dates")


def test_drafts_are_checked_once_they_are_published():
    parts = [part("a", "d", 1), part("x", "d", 5, status="draft"), part("y", "e", 1, status="draft")]
    assert cross_problems([dossier("d")], parts, "dossiers") == []
    published = [part("a", "d", 1), part("y", "e", 1)]
    problems = messages(cross_problems([dossier("d")], published, "dossiers"))
    assert len(problems) == 1 and problems[0].startswith("articles/y.md:5: Dossier: dossier « e » inconnu")


def test_numbered_and_unnumbered_parts_do_not_mix():
    problems = messages(cross_problems([dossier("d")], [part("a", "d", 1), part("b", "d")], "dossiers"))
    assert problems == ["articles/b.md:5: Dossier: numéro de partie absent alors que d'autres parties "
                        "de ce dossier sont numérotées ; attendu : un champ Dossier_part"]


def test_duplicate_dossier_slugs_and_end_before_start():
    assert messages(cross_problems([dossier("d"), dossier("d")], [], "dossiers")) == [
        "dossiers/d.md:2: Slug: le dossier « d » est déjà déclaré dans dossiers/d.md ; attendu : un Slug unique"
    ]
    text = "Title: d\nSlug: d\nStart: 2019-10-01\nEnd: 2019-09-01\nImage_alt: x\n\nIntro"
    _doc, problems = validate(text, "dossiers/d.md", DOSSIER, CTX)
    assert any("fin le 2019-09-01, avant le début le 2019-10-01" in str(p) for p in problems)


def test_a_published_part_of_a_draft_dossier_names_the_draft_not_an_unknown_slug():
    """invoke new --kind dossier makes a draft: its published part was « inconnu », with the
    dossier's slug listed nowhere, and the editor looked for a typo."""
    problems = messages(cross_problems([dossier("d", status="brouillon"), dossier("e")],
                                       [part("a", "d", 1), part("b", "d", 2, status="brouillon")], "dossiers"))
    assert problems == ["articles/a.md:5: Dossier: dossier « d » encore en brouillon (dossiers/d.md) ; "
                        "attendu : le dossier publié (Status: publié) avant ses parties, ou cette partie "
                        "en brouillon"]
