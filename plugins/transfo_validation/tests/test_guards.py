"""Pure guards against awkward input: dates, amounts, local times, header continuations,
the content tree walk, reserved addresses, failed reads."""

from __future__ import annotations

import logging
import os
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from transfo_validation import tree
from transfo_validation.core_schema import first_folder, missing_local_time
from transfo_validation.fields import Amount, DateTime, Day, FieldError, Integer, ParseContext, parse_when
from transfo_validation.frontmatter import parse
from transfo_validation.markdown_header import join_continuations
from transfo_validation.plugin import ReadFailures

BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.fixture
def ctx(tmp_path):
    return ParseContext(content_root=tmp_path, source_path=tmp_path / "a.md")


@pytest.mark.parametrize("value, expected", [
    ("1900-01-01", date(1900, 1, 1)), ("2100-12-31 23:59", datetime(2100, 12, 31, 23, 59)),
    ("2019-11-14T09:30", datetime(2019, 11, 14, 9, 30)),
])
def test_dates_within_the_documented_years_are_read(value, expected):
    assert parse_when(value, "une date") == expected


@pytest.mark.parametrize("value, year", [("0001-01-01", 1), ("1899-12-31", 1899), ("2101-01-01 00:00", 2101),
                                         ("9999-12-31", 9999)])
def test_dates_outside_1900_2100_are_refused_with_their_year(value, year):
    with pytest.raises(FieldError, match=f"année {year} hors limites ; attendu : une année de 1900 à 2100"):
        parse_when(value, "une date")


def test_every_date_field_is_bounded(ctx):
    for field in (DateTime(), Day()):
        with pytest.raises(FieldError, match="hors limites"):
            field.parse("0019-11-14", ctx)


def test_an_empty_date_is_refused_because_pelican_reads_it_itself(ctx):
    assert not DateTime.blank_means_absent and Day.blank_means_absent
    with pytest.raises(FieldError, match="valeur vide .* ou pas de ligne pour ce champ"):
        DateTime().parse("  ", ctx)


@pytest.mark.parametrize("value, expected", [
    ("1500", Decimal("1500")), ("12,50", Decimal("12.50")), ("12.5", Decimal("12.5")),
    ("2 600 €", Decimal("2600")), ("2\u202f600 EUR", Decimal("2600")), ("0", Decimal("0")),
    ("1000000", Decimal("1000000")),
])
def test_amounts_editors_type_are_read(ctx, value, expected):
    assert Amount().parse(value, ctx) == expected


@pytest.mark.parametrize("value, message", [
    ("NaN", "n'est pas un montant"), ("Infinity", "n'est pas un montant"), ("inf", "n'est pas un montant"),
    ("-Infinity", "négatif"), ("-5", "négatif"), ("1e9", "n'est pas un montant"),
    ("1E+3", "n'est pas un montant"), ("12,505", "ambigu"), ("2.600", "ambigu"), ("1.000.000", "ambigu"),
    ("1000001", "dépasse 1 000 000 €"), ("٣٠٠", "n'est pas un montant"), ("0x10", "n'est pas un montant"),
])
def test_amounts_that_are_not_sums_of_euros_are_refused(ctx, value, message):
    with pytest.raises(FieldError, match=message):
        Amount().parse(value, ctx)


def test_an_amount_limit_is_per_field(ctx):
    assert Amount(maximum=Decimal(10_000)).parse("10000", ctx) == 10_000
    with pytest.raises(FieldError, match="dépasse 10 000 €"):
        Amount(maximum=Decimal(10_000)).parse("10000,01", ctx)


@pytest.mark.parametrize("value", ["1_000", "+3", "٣", " 3 3", "9" * 40])
def test_integers_are_plain_digits_of_a_sane_length(ctx, value):
    with pytest.raises(FieldError):
        Integer(minimum=1, maximum=99).parse(value, ctx)


def test_a_time_the_clocks_skip_is_missing_and_says_where_they_jump():
    assert missing_local_time(datetime(2026, 3, 29, 2, 30), BRUSSELS) == datetime(2026, 3, 29, 3, 30)
    assert missing_local_time(datetime(2026, 3, 29, 3, 0), BRUSSELS) is None
    assert missing_local_time(datetime(2026, 3, 29, 1, 59), BRUSSELS) is None


def test_a_time_the_clocks_show_twice_exists_and_means_the_first():
    assert missing_local_time(datetime(2026, 10, 25, 2, 30), BRUSSELS) is None
    assert datetime(2026, 10, 25, 2, 30, tzinfo=BRUSSELS).utcoffset().total_seconds() == 7200


def test_continuations_join_as_validation_reads_them():
    lines = ["Title: Un titre", "    sur deux lignes", "Tags: a,", "    b", "", "    du code"]
    assert join_continuations(lines) == ["Title: Un titre sur deux lignes", "Tags: a, b", "", "    du code"]
    raw = parse("\n".join(lines).replace("    b", "\tb"))
    assert raw.fields == {"title": "Un titre sur deux lignes", "tags": "a, b"}
    assert raw.body_line == 6
    assert join_continuations(["    du code", "suite"]) == ["    du code", "suite"]  # no header


def test_markdown_reads_a_space_before_the_colon_as_the_check_does():
    import markdown
    from transfo_validation.markdown_header import HeaderExtension

    assert join_continuations(["Title : a", "Tags\u00a0: b", "", "Note : texte"]) == \
        ["Title: a", "Tags: b", "", "Note : texte"]
    md = markdown.Markdown(extensions=["meta", HeaderExtension()])
    html = md.convert("Title : Un titre\nTags\u00a0: a, b\nSummary : s\n\nCorps : texte")
    meta = vars(md)["Meta"]  # set by the meta extension as it converts
    assert meta == {"title": ["Un titre"], "tags": ["a, b"], "summary": ["s"]}
    assert html == "<p>Corps : texte</p>"
    assert parse("Title : Un titre\nTags\u00a0: a, b\nSummary : s\n\nCorps : texte").fields == \
        {key: value[0] for key, value in meta.items()}


def test_form_feeds_are_not_line_ends():
    raw = parse("Title: a\x0cb\nSummary: c\n\nCorps")
    assert raw.fields["title"] == "a\x0cb" and raw.lines["summary"] == 2


def test_the_walk_follows_links_once_and_names_what_it_cannot_read(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.md").write_text("x")
    (tmp_path / "a" / ".cache.md").write_text("hidden")
    (tmp_path / "a" / "retour").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "autre").symlink_to(tmp_path / "a" / "b", target_is_directory=True)
    (tmp_path / "casse.md").symlink_to(tmp_path / "rien")
    os.mkfifo(tmp_path / "tube.md")
    listing = tree.walk(tmp_path)
    assert listing.files == [tmp_path / "a" / "b" / "x.md"]
    why = {path.name: text for path, text in listing.unreadable}
    assert set(why) == {"retour", "autre", "casse.md", "tube.md"}  # "autre": a/b reached again
    assert "en boucle" in why["retour"] and "lus deux fois" in why["autre"] and "a/b" in why["autre"]
    (tmp_path / "zz").mkdir()
    (tmp_path / "a" / "vers-zz").symlink_to(tmp_path / "zz", target_is_directory=True)
    why = {path.name: text for path, text in tree.walk(tmp_path).unreadable}
    assert "vers-zz" in why and "zz" not in why  # the link is named, never the folder it doubles
    assert "cassé" in why["casse.md"] and "fichier ordinaire" in why["tube.md"]


def test_the_walk_never_follows_a_link_out_of_its_boundary(tmp_path):
    content, outside = tmp_path / "content", tmp_path / "ailleurs"
    (content / "articles").mkdir(parents=True)
    (content / "pages").mkdir()
    (content / "pages" / "p.md").write_text("p")
    outside.mkdir()
    (outside / "cles.md").write_text("secret")
    (content / "articles" / "lien.md").symlink_to(outside / "cles.md")
    (content / "articles" / "dossier").symlink_to(outside, target_is_directory=True)
    (content / "articles" / "page.md").symlink_to(content / "pages" / "p.md")  # inside content/: read
    listing = tree.walk(content / "articles", boundary=content)
    assert listing.files == [content / "articles" / "page.md"]
    why = {path.name: text for path, text in listing.unreadable}
    assert set(why) == {"lien.md", "dossier"} and all("hors du dossier content/" in text for text in why.values())
    assert [path.name for path, _ in tree.walk(content / "articles").unreadable] == ["dossier", "lien.md", "page.md"]


@pytest.mark.parametrize("path, folder", [("agenda/", "agenda"), ("/pagefind/x.js", "pagefind"),
                                          ("rubrique/{slug}/", "rubrique"), ("{slug}/", None),
                                          ("404.html", None), ("https://x.be/a/", None), ("", None)])
def test_first_folder_of_an_output_path(path, folder):
    assert first_folder(path) == folder


def test_a_file_pelican_fails_to_read_becomes_a_line(tmp_path):
    logger = logging.getLogger("pelican.generators")
    handler = ReadFailures(tmp_path)
    logger.addHandler(handler)
    try:
        try:
            raise ValueError("'' is not a valid date\nmore")
        except ValueError:
            logger.exception("Could not process %s", "articles/x.md", exc_info=False)
        logger.error("Something else")
    finally:
        logger.removeHandler(handler)
    (problem,) = handler.problems
    assert problem.path.endswith("articles/x.md") and problem.field == "fichier"
    assert "(ValueError : '' is not a valid date) ;" in problem.message
