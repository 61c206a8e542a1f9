"""The leak check's reading of text: normalisation, markup, numbers, file types."""

import gzip
import random
import re
import unicodedata
from decimal import Decimal

import pytest
from babel.numbers import format_currency, format_decimal
from transfo_promotions import filetypes
from transfo_promotions.report import refused_folder
from transfo_promotions.spellings import compact, normalise, numbers, readable_text

# Default_Ignorable_Code_Point (Unicode's DerivedCoreProperties.txt), written out in full.
IGNORABLE = {0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFEFF, 0xFFA0,
             *range(0x180B, 0x1810), *range(0x200B, 0x2010), *range(0x202A, 0x202F),
             *range(0x2060, 0x2070), *range(0xFE00, 0xFE10), *range(0x1BCA0, 0x1BCA4),
             *range(0x1D173, 0x1D17B), *range(0xE0000, 0xE1000)}


def reference_normalise(text: str) -> str:
    """The definition, character by character: slow and obviously right."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if ord(c) not in IGNORABLE)
    text = re.sub("[\u2019\u2018\u02bc]", "'", text)
    return re.sub(r"\s+", " ", text).casefold()


def test_normalise_is_its_definition_on_random_texts():
    alphabet = ["5", "7", "0", " ", ",", ".", "k", "K", "é", "E\u0301", "\u00a0", "\u202f", "\u2009",
                "\u2007", "\u3000", "\n", "\t", "\u2026", "\u2019", "\uff15", "\U0001d7d3", "\u00bd",
                "ß", "€"] + [chr(c) for c in sorted(IGNORABLE)[::97]] + ["\u200b", "\u2060", "\u00ad"]
    rng = random.Random(20)
    for _ in range(4000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 14)))
        assert normalise(text) == reference_normalise(text), repr(text)


@pytest.mark.parametrize("written", [
    "57 000", "57\u00a0000", "57\u202f000", "57\u2009000", "57\u2007000", "57\u200b000", "5\u200c7\u200d000",
    "57\u2060000", "57\ufeff000", "5\u00ad7000", "\uff15\uff17\uff10\uff10\uff10", "57\n  000", "5\u200e7 000",
])
def test_every_space_and_invisible_character_gives_the_same_number(written):
    assert [r.value for n in numbers(normalise(written)) for r in n.readings][0] == 57000


@pytest.mark.parametrize("written, value, scaled, currency", [
    ("57 000", 57000, False, False), ("57.000", 57000, False, False), ("57,000", 57000, False, False),
    ("57'000", 57000, False, False), ("57000", 57000, False, False), ("57k", 57000, True, False),
    ("57K", 57000, True, False), ("57 k", 57000, True, False), ("57,0 k", 57000, True, False),
    ("57.0k", 57000, True, False), ("57 mille", 57000, True, False), ("57 thousand", 57000, True, False),
    ("1,2 million", 1200000, True, False), ("58,4 €", Decimal("58.4"), False, True),
    ("58,40 €", Decimal("58.40"), False, True), ("58.4 EUR", Decimal("58.4"), False, True),
    ("€58.40", Decimal("58.40"), False, True), ("58,40 EUR", Decimal("58.40"), False, True),
    ("58.40€", Decimal("58.40"), False, True), ("€ 58,40", Decimal("58.40"), False, True),
    ("58,40 euros", Decimal("58.40"), False, True), ("58€40", Decimal("58.40"), False, True),
    ("1.234,50 €", Decimal("1234.50"), False, True),
    ("1,234.50 EUR", Decimal("1234.50"), False, True), ("0,0286", Decimal("0.0286"), False, False),
])
def test_each_spelling_is_read_as_its_value(written, value, scaled, currency):
    [number] = numbers(normalise(f"Il y a {written} ici."))
    assert value in [r.value for r in number.readings]
    assert (number.scaled, number.currency) == (scaled, currency)


@pytest.mark.parametrize("text", [
    "en 2019, 3 projets", "le 24.04.2019", "x57000", "157000 habitants", "57 0001", "57kg", "57 km",
    "photo.8.400.jpg", "http://127.0.0.1:8000/", "02 543 00 00", "1.234.5",
])
def test_what_is_no_number_of_interest(text):
    assert [r.value for n in numbers(normalise(text)) for r in n.readings
            if r.value in (57000, 8400, 1234, Decimal("1234.5"))] == []


@pytest.mark.parametrize("locale", ["fr_BE", "fr_FR", "en_GB", "de_CH", "nl_BE"])
def test_every_number_babel_writes_is_read_back(locale):
    """Babel is the reference for how a locale writes numbers and amounts."""
    rng = random.Random(locale)
    for _ in range(300):
        count = rng.randrange(1000, 10_000_000)
        amount = Decimal(rng.randrange(1, 10_000_000)) / 100
        for written, value in ((format_decimal(count, locale=locale), count),
                               (format_currency(amount, "EUR", locale=locale), amount)):
            values = [r.value for n in numbers(normalise(f"soit {written} au total")) for r in n.readings]
            assert value in values, (written, values)


def test_readable_text_joins_inline_markup_and_keeps_attributes_comments_and_addresses():
    page = ('<p>Bru<em>xel</em>les, 57<span class="x">000</span></p><!-- 98 400 -->'
            '<img alt="Public 4&#8239;870" src="/stats/57%20000/" width="98400">'
            '<a href="/?q=58%2C40+%E2%82%AC" title="Titre">lien</a><![CDATA[ 3 500 ]]>')
    text = normalise(readable_text(page, markup=True))
    assert "bruxelles" in text and "57000" in text and "98 400" in text and "3 500" in text
    assert "public 4 870" in text and "/stats/57 000/" in text and "58,40 €" in text
    assert "98400" not in text  # a width is no one's figure


def test_readable_text_reads_markup_escaped_in_a_feed_and_json_escapes():
    feed = ("<description>&lt;p&gt;Bru&lt;em&gt;xelles&lt;/em&gt; &lt;img alt=&quot;57k&quot;&gt;&lt;/p&gt;"
            "</description>")
    assert "bruxelles" in normalise(readable_text(feed, markup=True))
    assert "57k" in normalise(readable_text(feed, markup=True))
    assert "intérêt 57 000" in normalise(readable_text('{"t": "int\\u00e9r\\u00eat 57\\u00a0000"}', markup=True))


def test_compact_ignores_spacing_punctuation_accents_and_slugs():
    audience = compact(normalise("25-45 ans, Bruxelles et Wallonie, intérêt consommation"))
    assert audience == "2545ansbruxellesetwallonieinteretconsommation"
    assert compact(normalise("/25-45-ans-bruxelles-et-wallonie-interet-consommation/")) == audience


# --- file types -------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 40
GOOD = {
    "html": "<p>é</p>".encode(), "xml": b"<?xml version='1.0'?><rss/>", "svg": b"<svg xmlns='x'/>",
    "json": b'{"a": 1}', "calendar": b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text": b"User-agent: *",
    "code": b"let a = 1;", "jpeg": b"\xff\xd8\xff\xe0" + b"\0" * 40, "png": PNG, "gif": b"GIF89a" + b"\0" * 40,
    "webp": b"RIFF\0\0\0\0WEBPVP8 ", "avif": b"\0\0\0\x1cftypavif\0\0\0\0avifmif1", "ico": b"\0\0\1\0\1\0",
    "woff2": b"wOF2\0\1", "woff": b"wOFF\0\1", "font": b"\0\1\0\0\0\x11", "wasm": b"\0asm\1\0\0\0",
}


@pytest.mark.parametrize("kind", sorted(GOOD))  # Pagefind's own format: its bundle is checked whole (leaks)
def test_each_kind_accepts_its_content_and_refuses_a_disguised_spreadsheet(kind):
    assert filetypes.content_problem(filetypes.KINDS[kind], GOOD[kind]) is None
    xlsx = b"PK\3\4\x14\0\6\0" + b"\0" * 60
    assert filetypes.content_problem(filetypes.KINDS[kind], xlsx) == "une archive ZIP (xlsx, docx, odt, zip…)"


@pytest.mark.parametrize("data, seen", [
    ("slug,budget\n".encode("utf-16"), "un texte UTF-16"), (gzip.compress(b"slug,budget", mtime=0), "une archive gzip"),
    (b"%PDF-1.7", "un document PDF"), (b"slug,plateforme\n", "du texte"), (PNG, "une image PNG"),
    (b"\0\0\0\0\x07", "des données binaires"), (gzip.compress(b"not pagefind", mtime=0), "une archive gzip"),
])
def test_what_a_refused_file_looks_like_is_named(data, seen):
    assert filetypes.content_problem(filetypes.KINDS["jpeg"], data) == seen
    assert filetypes.looks_like(data[:filetypes.HEAD_BYTES]) == seen


def test_text_kinds_refuse_nul_bytes_and_broken_utf8():
    html = filetypes.KINDS["html"]
    assert filetypes.content_problem(html, "<p>57 000</p>".encode("utf-16-le")) is not None
    assert filetypes.content_problem(html, b"<p>\xe9t\xe9</p>") is not None  # Latin-1
    assert filetypes.content_problem(filetypes.KINDS["json"], b"slug,budget") == "du texte"


@pytest.mark.parametrize("name, suffix", [
    ("a/index.html", "html"), ("photo.JPG", "jpg"), ("promotions.csv.gz", "gz"), ("CNAME", ""),
    (".env", ""), ("a.b/c", ""), ("wasm.fr-be.pagefind", "pagefind"),
])
def test_extension(name, suffix):
    assert filetypes.extension(name) == suffix


# --- the report's folder ----------------------------------------------------------------------

def test_the_report_refuses_folders_inside_the_site_even_through_a_link(tmp_path):
    output, public, content = tmp_path / "output", tmp_path / "public", tmp_path / "content"
    (public / "releases" / "r1").mkdir(parents=True)
    (public / "current").symlink_to(public / "releases" / "r1")
    (tmp_path / "elsewhere").symlink_to(output)  # output/ does not even exist yet
    places = {"le site construit": output, "le dossier des publications": public, "le contenu": content}
    for target in (output, output / "rapport", public / "current" / "rapport", tmp_path / "elsewhere" / "r",
                   content / "images"):
        line = refused_folder(target, places)
        assert line is not None and line.startswith(f"{target}: dossier du rapport dans ")
        assert "\n" not in line and "attendu : un dossier hors du site" in line
    assert refused_folder(tmp_path / "reports" / "promotions", places) is None
    assert refused_folder(tmp_path / "outputs", places) is None  # a neighbour, not inside
