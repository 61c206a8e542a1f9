import io

import pytest
from PIL import Image
from transfo_images.processing import (
    ARTIST,
    CENTRE,
    COPYRIGHT,
    ORIENTATION,
    CardJob,
    CropJob,
    DerivativeJob,
    Focus,
    ImageReadError,
    Output,
    as_focus,
    check_decodable,
    crop_box,
    derivative_widths,
    encode,
    parse_focus,
    plain,
    render_card,
    run_job,
    wrap,
)
from transfo_images.settings import read_settings

from .conftest import ROOT, photo

WIDTHS = (400, 800, 1200, 1600)
LIMIT = 40_000_000  # pixels


@pytest.mark.parametrize("source, expected", [
    (1600, (400, 800, 1200, 1600)),
    (2400, (400, 800, 1200, 1600)),
    (900, (400, 800, 900)),
    (320, (320,)),
    (400, (400,)),
])
def test_derivative_widths_never_enlarge(source, expected):
    assert derivative_widths(source, WIDTHS) == expected


@pytest.mark.parametrize("text, expected", [
    ("30% 40%", Focus(0.3, 0.4)),
    ("0% 100%", Focus(0.0, 1.0)),
    ("12,5 % 50 %", Focus(0.125, 0.5)),
    ("50%,50%", Focus(0.5, 0.5)),
])
def test_parse_focus(text, expected):
    assert parse_focus(text) == expected


@pytest.mark.parametrize("text", ["30 40", "30%", "120% 10%", "gauche", ""])
def test_parse_focus_refuses(text):
    with pytest.raises(ValueError):
        parse_focus(text)


def test_as_focus_is_defensive():
    assert as_focus(None) == CENTRE
    assert as_focus("n'importe quoi") == CENTRE
    assert as_focus((0.2, 0.8)) == Focus(0.2, 0.8)
    assert as_focus("10% 20%").css == "10% 20%"


def test_crop_box_follows_the_focus_and_stays_inside():
    # A wide image cropped to a narrower ratio: full height, x centred on the focus.
    assert crop_box((2000, 630), (1200, 630), Focus(0.5, 0.5)) == (400, 0, 1600, 630)
    assert crop_box((2000, 630), (1200, 630), Focus(0.0, 0.5)) == (0, 0, 1200, 630)
    assert crop_box((2000, 630), (1200, 630), Focus(1.0, 0.5)) == (800, 0, 2000, 630)
    # A tall image: full width, y follows the focus.
    left, top, right, bottom = crop_box((800, 1200), (1200, 630), Focus(0.5, 0.1))
    assert (left, top, right) == (0, 0, 800) and bottom == 420


def test_derivatives_have_their_width_format_orientation_and_only_kept_metadata(tmp_path):
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # stored sideways: 1200x800 shown as 800x1200
    exif[ARTIST] = "Photographe"
    exif[COPYRIGHT] = "(c) Transfo"
    exif[0x010F] = "MarqueQuiFuit"
    source = photo(tmp_path / "s.jpg", size=(1200, 800), exif=exif)
    formats = read_settings({"THEME": str(ROOT / "theme")}).formats
    outputs = tuple(Output(w, round(1200 * w / 800), fmt, 70, tmp_path / f"{w}.{fmt}")
                    for w in (400, 800) for fmt in formats)
    assert run_job(DerivativeJob(source, outputs, LIMIT)) == len(outputs)
    for output in outputs:
        with Image.open(output.cache_file) as image:
            assert image.format == {"jpeg": "JPEG", "webp": "WEBP", "avif": "AVIF"}[output.fmt]
            assert image.size == (output.width, output.height)
            tags = image.getexif()
            assert tags.get(ARTIST) == "Photographe"
            assert tags.get(COPYRIGHT) == "(c) Transfo"
            assert 0x010F not in tags and ORIENTATION not in tags
    assert "avif" not in formats or len(formats) == 3


def test_jpeg_fallback_flattens_transparency():
    image = Image.new("RGBA", (10, 10), (0, 0, 0, 0))
    with Image.open(io.BytesIO(encode(image, "jpeg", 80))) as decoded:
        assert decoded.mode == "RGB"
        assert decoded.getpixel((5, 5)) == pytest.approx((255, 255, 255), abs=2)


def test_crop_job_keeps_the_focal_point(tmp_path):
    # An orange subject near the left edge: a centred crop would lose it.
    source = photo(tmp_path / "s.jpg", size=(3000, 1000), box=(100, 400, 300, 600))
    target = tmp_path / "share.jpg"
    run_job(CropJob(source, Focus(200 / 3000, 0.5), (1200, 630), 85, target, LIMIT))
    with Image.open(target) as image:
        assert image.size == (1200, 630)
        red, green, blue = image.getpixel((126, 315))
        assert red > 200 and blue < 100  # the orange subject
    run_job(CropJob(source, CENTRE, (1200, 630), 85, target, LIMIT))
    with Image.open(target) as image:
        red, green, blue = image.getpixel((126, 315))
        assert not (red > 200 and blue < 100)


def test_card_is_1200_by_630_in_the_magazine_colours(tmp_path):
    cfg = read_settings({"THEME": str(ROOT / "theme")})
    target = tmp_path / "card.jpg"
    run_job(CardJob("Un titre très long " * 8, "Dossier · partie 2/3", "Transfo", "Le magazine",
                    cfg.card_fonts, tuple(cfg.colours.items()), (1200, 630), 85, target))
    with Image.open(target) as image:
        assert image.size == (1200, 630)
        assert image.getpixel((600, 620)) == pytest.approx((11, 85, 99), abs=6)  # teal band
        assert image.getpixel((1190, 10)) == pytest.approx((244, 239, 230), abs=6)  # cream
    assert target.stat().st_size < 8 * 1024 * 1024


def test_render_card_wraps_titles_to_fit():
    cfg = read_settings({"THEME": str(ROOT / "theme")})
    card = render_card("Court", "", "Transfo", "", cfg.card_fonts, cfg.colours, (1200, 630))
    assert card.size == (1200, 630)
    from PIL import ImageFont
    font = ImageFont.truetype(str(cfg.card_fonts[0]), 40)
    assert all(font.getlength(line) <= 300 for line in wrap("un deux trois quatre cinq six", font, 300))


def test_corrupt_and_missing_images_raise_a_french_reason(tmp_path):
    good = photo(tmp_path / "good.jpg")
    truncated = tmp_path / "truncated.jpg"
    truncated.write_bytes(good.read_bytes()[:2000])
    garbage = tmp_path / "garbage.jpg"
    garbage.write_bytes(b"not an image at all")
    check_decodable(good, LIMIT)
    for path in (truncated, garbage, tmp_path / "absent.jpg"):
        with pytest.raises(ImageReadError) as error:
            check_decodable(path, LIMIT)
        assert "Traceback" not in str(error.value) and str(error.value)


def test_a_damaged_image_is_said_in_french_without_pillow_s_english(tmp_path):
    """Pillow says "image file is truncated (…)" or "broken data stream…": an editor reads why in
    French, and whether the end of the file is missing is the one detail that helps."""
    good = photo(tmp_path / "good.jpg")
    truncated = tmp_path / "truncated.jpg"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(ImageReadError) as error:
        check_decodable(truncated, LIMIT)
    assert str(error.value) == "image tronquée : la fin du fichier manque (copie ou envoi interrompu ?)"
    png = tmp_path / "good.png"
    Image.new("RGB", (40, 30), "red").save(png)
    data = bytearray(png.read_bytes())
    data[-20:-14] = b"\x00" * 6  # the pixel data's last bytes: its checksum no longer matches
    broken = tmp_path / "broken.png"
    broken.write_bytes(bytes(data))
    with pytest.raises(ImageReadError) as error:
        check_decodable(broken, LIMIT)
    assert str(error.value) == "image corrompue : ses données ne se décodent pas"


def test_a_card_shows_a_title_s_text_markup_taken_away_but_not_its_less_than_signs():
    assert plain("Les <30 ans et les >50 ans") == "Les <30 ans et les >50 ans"
    assert plain("Bru<em>xelles</em> &amp; R&amp;D") == "Bruxelles & R&D"


def test_card_lines_never_start_with_french_punctuation():
    from PIL import ImageFont

    cfg = read_settings({"THEME": str(ROOT / "theme")})
    font = ImageFont.truetype(str(cfg.card_fonts[0]), 40)
    for width in range(150, 700, 10):
        for line in wrap("Inclusion numérique (2) : « accompagner » plutôt que former ?", font, width):
            assert not line.startswith((":", "?", "»")) and not line.endswith("«")
