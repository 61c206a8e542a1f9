from pathlib import Path

import pytest
from pelican.settings import DEFAULT_CONFIG
from transfo_validation.core_schema import (
    article_kind,
    duplicate_slugs,
    page_kind,
    summary_without_internal_links_rule,
)
from transfo_validation.fields import ParseContext, Text
from transfo_validation.schema import ContentKind, KindExtension, merge, validate
from transfo_validation.settings import ValidationSettings, ValidationSettingsError, read_settings

CFG = ValidationSettings(
    content_root=Path("."),
    rubrics=("Actualités", "Analyses", "Portraits", "Dossiers"),
    article_paths=("articles",),
    article_excludes=(),
    page_paths=("pages",),
    slug_substitutions=tuple(DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]),
)

GOOD = """Title: Un titre
Date: 2019-11-14 09:30
Category: Actualités
Summary: Un chapô.
Image: images/photo.jpg
Image_alt: Une photo

Le corps.
"""


@pytest.fixture
def ctx(tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "photo.jpg").write_bytes(b"x")
    return ParseContext(content_root=tmp_path, source_path=tmp_path / "a.md")


def check(text, ctx, kind=None):
    return validate(text, "content/articles/a.md", kind or article_kind(CFG), ctx)


def test_a_valid_article_has_no_problem_and_typed_values(ctx):
    doc, problems = check(GOOD, ctx)
    assert problems == []
    assert doc.values["category"] == "Actualités"
    assert doc.values["date"].year == 2019


def test_every_problem_of_a_file_is_reported_at_once(ctx):
    text = """Title: Un titre
Date: 14/11/2019
Catgory: Actualités
Image: images/photo.jpg

Corps ![](images/photo.jpg)
"""
    _doc, problems = check(text, ctx)
    lines = [str(p) for p in problems]
    assert len(lines) == 6, lines
    assert "content/articles/a.md:2: Date: « 14/11/2019 » n'est pas une date valable" in lines[0]
    assert any("Catgory: champ inconnu (vouliez-vous dire « Category » ?)" in l for l in lines)
    assert any(l.startswith("content/articles/a.md: Category: champ obligatoire absent") for l in lines)
    assert any(l.startswith("content/articles/a.md: Summary: champ obligatoire absent") for l in lines)
    assert any(l.startswith("content/articles/a.md: Image_alt: texte alternatif absent") for l in lines)
    assert any("corps: image « images/photo.jpg » sans texte alternatif" in l for l in lines)
    assert all("\n" not in l for l in lines)


def test_rules_run_on_valid_fields(ctx):
    text = GOOD.replace("Image_alt: Une photo\n", "") + "\n![](images/photo.jpg)\n"
    _doc, problems = check(text, ctx)
    fields = [p.field for p in problems]
    assert fields == ["Image_alt", "corps"]


def test_unknown_rubric_and_bad_status(ctx):
    text = GOOD.replace("Actualités", "Actualite").replace("Le corps.", "") + ""
    text = text.replace("Image_alt: Une photo", "Image_alt: Une photo\nStatus: brouilon")
    _doc, problems = check(text, ctx)
    messages = {p.field: p.message for p in problems}
    assert "vouliez-vous dire « Actualités »" in messages["Category"]
    assert messages["Status"] == ("« brouilon » inconnu ; attendu : une valeur parmi publié, brouillon "
                                  "(vouliez-vous dire « brouillon » ?)")


def test_duplicate_field_and_malformed_header_line(ctx):
    text = GOOD.replace("Summary: Un chapô.", "Summary: Un chapô.\nSummary: Deux.\nligne sans deux-points")
    _doc, problems = check(text, ctx)
    messages = [str(p) for p in problems]
    assert any("Summary: champ présent deux fois" in m for m in messages)
    assert any("en-tête: ligne illisible « ligne sans deux-points »" in m for m in messages)


def test_modified_before_date(ctx):
    _doc, problems = check(GOOD.replace("Summary:", "Modified: 2019-01-01\nSummary:"), ctx)
    assert [p.field for p in problems] == ["Modified"]


def test_an_internal_link_in_a_summary_no_generator_resolves_is_refused(ctx):
    """Events and offers show their summary as read: Pelican's {filename} links stay unresolved."""
    article = article_kind(CFG)
    kind = ContentKind(name="event", folders=("agenda",), fields=article.fields,
                       rules=(summary_without_internal_links_rule,))
    for link in ("{filename}/articles/x.md", "|filename|../articles/x.md", "{static}/images/photo.jpg"):
        _doc, problems = check(GOOD.replace("Un chapô.", f"Lire [ceci]({link})."), ctx, kind)
        assert [str(p) for p in problems] == [f"content/articles/a.md:4: Summary: lien interne « {link} » dans "
                                              "le résumé, qui serait publié sans adresse ; attendu : ce lien dans "
                                              "le texte, sous l'en-tête"]
    for fine in ("Les {3} saisons | un bilan", "Lire [ceci](https://exemple.be/{filename})."):
        assert check(GOOD.replace("Un chapô.", fine), ctx, kind)[1] == []


def test_duplicate_slugs_name_the_other_file(ctx):
    one, _ = validate(GOOD, "content/articles/a.md", article_kind(CFG), ctx)
    two, _ = validate(GOOD, "content/articles/b.md", article_kind(CFG), ctx)
    problems = list(duplicate_slugs([one, two], CFG))
    assert [str(p) for p in problems] == [
        "content/articles/a.md:1: Title: l'adresse « un-titre » est déjà prise par "
        "content/articles/b.md ; attendu : un titre ou un Slug différent",
        "content/articles/b.md:1: Title: l'adresse « un-titre » est déjà prise par "
        "content/articles/a.md ; attendu : un titre ou un Slug différent",
    ]


def test_extensions_add_fields_and_refuse_clashes():
    base = ContentKind("article", ("articles",), {"title": Text()})
    kinds = merge([base, KindExtension("article", {"dossier": Text()})])
    assert set(kinds["article"].fields) == {"title", "dossier"}
    with pytest.raises(ValueError, match="declared twice"):
        merge([base, KindExtension("article", {"title": Text()})])
    with pytest.raises(ValueError, match="unknown content kind"):
        merge([KindExtension("event", {})])


def test_pages_have_their_own_schema(ctx):
    _doc, problems = validate("Title: À propos\nSlug: a-propos\n\nTexte", "content/pages/p.md",
                              page_kind(CFG), ctx)
    assert problems == []


def test_settings_are_checked():
    with pytest.raises(ValidationSettingsError, match="TRANSFO_RUBRICS"):
        read_settings({"TRANSFO_RUBRICS": []})


def test_a_wrong_image_path_is_one_problem(ctx):
    _doc, problems = check(GOOD.replace("images/photo.jpg", "images/absente.jpg"), ctx)
    assert [p.field for p in problems] == ["Image"]


def test_a_draft_is_checked_for_what_it_says_only(ctx):
    """Required fields may wait in a draft; a value that is there must still be right."""
    draft = "Title: Un titre\nDate: 2019-11-14 09:30\nCategory:\nSummary:\nStatus: brouillon\n\nTexte.\n"
    assert check(draft, ctx)[1] == []
    wrong = draft.replace("Date: 2019-11-14 09:30", "Date: 14/11/2019")
    assert [str(p) for p in check(wrong, ctx)[1]] == [
        "content/articles/a.md:2: Date: « 14/11/2019 » n'est pas une date valable ; "
        "attendu : une date AAAA-MM-JJ ou AAAA-MM-JJ HH:MM (ex. 2019-11-14 09:30)"]
    published = draft.replace("Status: brouillon", "Status: publié")
    fields = sorted(p.field for p in check(published, ctx)[1])
    assert fields == ["Category", "Summary"]


def test_comments_left_in_a_body_are_refused_once_published(ctx):
    text = GOOD.replace("Le corps.", "Le corps.\n\n<!-- Consigne : remplacez ce\ntexte. -->\nFin.\n<!-- deux")
    problems = [str(p) for p in check(text, ctx)[1]]
    assert problems == [
        "content/articles/a.md:10: corps: commentaire laissé dans le texte « <!-- Consigne : remplacez "
        "ce texte. --> » ; attendu : supprimez-le (consigne du modèle : Markdown le recopierait dans "
        "la page publiée)",
        "content/articles/a.md:13: corps: commentaire laissé dans le texte « <!-- deux --> » ; attendu : "
        "supprimez-le (consigne du modèle : Markdown le recopierait dans la page publiée)",
    ]
    assert check(text.replace("Image_alt: Une photo", "Image_alt: Une photo\nStatus: draft"), ctx)[1] == []


def test_a_continuation_indented_too_little_says_the_indent_the_guide_asks(ctx):
    """docs/guide-redaction.md: a value goes on, on the next line, indented by four spaces or a tab;
    two spaces used to be « ligne illisible », with « Champ: valeur » as the only way out."""
    _doc, problems = check(GOOD.replace("Summary: Un chapô.", "Summary: Un chapô\n  sur deux lignes."), ctx)
    assert [str(p).split(": ", 1)[1] for p in problems] == [
        "en-tête: ligne illisible « sur deux lignes. » décalée de 2 espace(s) ; attendu : la suite de la "
        "valeur précédente décalée de quatre espaces (ou d'une tabulation), ou « Champ: valeur »"]
