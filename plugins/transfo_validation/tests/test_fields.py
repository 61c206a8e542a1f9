import re
import unicodedata
from datetime import datetime
from decimal import Decimal

import pytest
from transfo_validation.fields import (
    Amount,
    Boolean,
    Choice,
    DateTime,
    Email,
    FieldError,
    ImagePath,
    Integer,
    ParseContext,
    Slug,
    TextList,
    Url,
    closest,
    control_character,
)


@pytest.fixture
def ctx(tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "photo.jpg").write_bytes(b"x")
    return ParseContext(content_root=tmp_path, source_path=tmp_path / "a.md")


def test_choice_suggests_the_right_case_and_near_misses(ctx):
    field = Choice(choices=("Actualités", "Analyses"))
    assert field.parse("Analyses", ctx) == "Analyses"
    with pytest.raises(FieldError, match="vouliez-vous dire « Actualités »"):
        field.parse("actualités", ctx)
    with pytest.raises(FieldError, match="vouliez-vous dire « Actualités »"):
        field.parse("Actualité", ctx)
    with pytest.raises(FieldError, match="attendu : une valeur parmi Actualités, Analyses$"):
        field.parse("Sport", ctx)


def test_datetime_accepts_the_documented_forms_only(ctx):
    assert DateTime().parse("2019-11-14 09:30", ctx) == datetime(2019, 11, 14, 9, 30)
    assert DateTime().parse("2019-11-14", ctx) == datetime(2019, 11, 14)
    for bad in ("14/11/2019", "2019-13-01", "demain"):
        with pytest.raises(FieldError, match="AAAA-MM-JJ"):
            DateTime().parse(bad, ctx)


def test_boolean_in_french_and_english(ctx):
    assert Boolean().parse("oui", ctx) is True
    assert Boolean().parse("Non", ctx) is False
    with pytest.raises(FieldError, match="oui ou non"):
        Boolean().parse("peut-être", ctx)


def test_lists_split_like_pelican(ctx):
    assert TextList().parse("a, b,c", ctx) == ["a", "b", "c"]
    assert TextList().parse("Doe, Jane; Roe, Rick", ctx) == ["Doe, Jane", "Roe, Rick"]
    with pytest.raises(FieldError, match="élément vide"):
        TextList().parse("a,,b", ctx)


def test_url_slug_integer_amount(ctx):
    assert Url().parse("https://www.economiesociale.be/", ctx)
    with pytest.raises(FieldError):
        Url().parse("www.economiesociale.be", ctx)
    assert Slug().parse("jours-fous-2019", ctx) == "jours-fous-2019"
    with pytest.raises(FieldError):
        Slug().parse("Jours Fous", ctx)
    assert Integer(minimum=1).parse("3", ctx) == 3
    with pytest.raises(FieldError, match="supérieur ou égal à 1"):
        Integer(minimum=1).parse("0", ctx)
    assert Amount().parse("12,50 €", ctx) == Decimal("12.50")
    with pytest.raises(FieldError, match="négatif"):
        Amount().parse("-3", ctx)


def test_image_path_must_exist_and_be_an_image(ctx):
    assert ImagePath().parse("images/photo.jpg", ctx) == "images/photo.jpg"
    assert ImagePath().parse("{static}/images/photo.jpg", ctx) == "images/photo.jpg"
    with pytest.raises(FieldError, match="introuvable"):
        ImagePath().parse("images/absente.jpg", ctx)
    with pytest.raises(FieldError, match="n'est pas une image"):
        ImagePath().parse("images/doc.pdf", ctx)


def test_empty_value_is_refused(ctx):
    with pytest.raises(FieldError, match="valeur vide"):
        DateTime().parse("  ", ctx)


def test_closest():
    assert closest("Catgory", ["Category", "Tags"]) == "Category"
    assert closest("zzz", ["Category"]) is None


@pytest.mark.parametrize("value,reason", [
    ('https://x.be/"onmouseover="alert(1)', 'contient le caractère "'),
    ("https://x.be/l'atelier", "contient le caractère '"),
    ("https://x.be/<b>", "contient le caractère <"),
    ("https://x.be/a b", "contient une espace"),
    ("https://x.be/\ta", "contient une espace"),
    ("https://x.be/\x00", "caractère de contrôle (U+0000)"),
    ("https://x.be/\u200b", "caractère invisible (U+200B)"),
    ("javascript:alert(1)", "n'est pas une adresse web complète"),
    ("mailto:a@b.be", "n'est pas une adresse web complète"),
    ("https://x.be:8o/", "port illisible"),
])
def test_url_refuses_what_could_leave_its_attribute(ctx, value, reason):
    with pytest.raises(FieldError, match=re.escape(reason)) as refused:
        Url().parse(value, ctx)
    message = str(refused.value)
    assert message.endswith("attendu : une adresse web complète commençant par https:// ou http://")
    assert message.isprintable()  # one line, invisible characters spelt out


def test_url_keeps_ordinary_addresses_as_typed(ctx):
    for value in ("https://exemple.be/économie-sociale?a=1&b=2#x", "http://[::1]:8000/", "https://x.be"):
        assert Url().parse(value, ctx) == value


@pytest.mark.parametrize("value", ['a"b@x.be', "<script>@x.be", "a b@x.be", "x@y.be?subject=hi",
                                   "x@y.be>", "x@localhost", "a@b.be\u202e"])
def test_email_refuses_anything_but_a_plain_address(ctx, value):
    with pytest.raises(FieldError, match="attendu : une adresse e-mail") as refused:
        Email().parse(value, ctx)
    assert str(refused.value).isprintable()


def test_email_accepts_plain_and_accented_addresses(ctx):
    for value in ("prenom.nom@exemple.be", "jean+lettre@mail.economiesociale.be", "andré@exemple.be"):
        assert Email().parse(value, ctx) == value


def test_control_characters_are_unicodes_category_cc_but_tabs_and_line_breaks():
    every = [chr(code) for code in range(0x10000) if not 0xD800 <= code <= 0xDFFF]  # Cc is all in the BMP
    wanted = [char for char in every if unicodedata.category(char) == "Cc" and char not in "\t\n\r"]
    assert [char for char in every if control_character(char) is not None] == wanted
    assert control_character("a\tb\r\nc\u0085d\x00") == "U+0085" and control_character("R&D « x »") is None
