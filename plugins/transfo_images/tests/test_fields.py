from pathlib import Path

import pytest
from PIL import Image
from transfo_images.fields import FocusPoint, image_extensions
from transfo_images.processing import ORIENTATION, Focus
from transfo_validation.core_schema import article_kind
from transfo_validation.fields import FieldError, ParseContext
from transfo_validation.schema import merge, validate
from transfo_validation.settings import read_settings as validation_settings

from .conftest import photo

HEADER = """Title: Un titre
Date: 2019-11-14 09:30
Category: Actualités
Summary: Un chapô.
"""


def test_focus_point_field():
    context = ParseContext(Path("."), Path("x.md"))
    assert FocusPoint().parse("30% 40%", context) == Focus(0.3, 0.4)
    with pytest.raises(FieldError, match="ex. 30% 40%"):
        FocusPoint().parse("au centre", context)


@pytest.fixture
def check(site):
    content = Path(site["PATH"])
    settings = {**site, "ARTICLE_PATHS": ["articles"]}
    declarations = [article_kind(validation_settings(settings)), *image_extensions(settings, ("article",))]
    kind = merge(declarations)["article"]

    def check(text):
        path = content / "articles" / "x.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        _doc, problems = validate(text, str(path), kind, ParseContext(content, path))
        return [str(p) for p in problems]

    return content, check


def test_valid_article_with_focus_and_body_image(check):
    content, check = check
    photo(content / "images" / "a.jpg", size=(320, 180))
    assert check(HEADER + "Image: images/a.jpg\nImage_alt: A\nImage_focus: 10% 90%\n\n"
                 "![Une photo](images/a.jpg)\n") == []


def test_corrupt_lead_image_is_one_line(check):
    content, check = check
    (content / "images" / "a.jpg").write_bytes(b"not a jpeg")
    problems = check(HEADER + "Image: images/a.jpg\nImage_alt: A\n\nTexte.\n")
    assert len(problems) == 1
    assert "x.md:5: Image: « images/a.jpg »" in problems[0] and "illisible" in problems[0]


def test_a_lead_image_too_small_for_its_share_card_is_one_line(check):
    """A tracking pixel or an icon as lead image would be blown up into a blurred share card."""
    content, check = check
    photo(content / "images" / "pixel.png", size=(1, 1))
    problems = check(HEADER + "Image: images/pixel.png\nImage_alt: A\n\nTexte.\n")
    assert len(problems) == 1
    assert problems[0].endswith("x.md:5: Image: « images/pixel.png » : 1 × 1 pixels, trop petite pour la une "
                                "et l'aperçu de partage ; attendu : au moins 240 × 126 pixels (idéalement "
                                "1200 × 630 ou plus)")
    photo(content / "images" / "bandeau.jpg", size=(1600, 120))  # wide enough, too low
    assert "1600 × 120 pixels" in check(HEADER + "Image: images/bandeau.jpg\nImage_alt: A\n\nTexte.\n")[0]


def test_the_lead_image_size_is_read_as_displayed_and_body_images_may_be_small(check):
    """A phone photo stored on its side (EXIF orientation 6) is measured upright; a small
    picture in the text (a logo, a pictogram) is no share card and stays allowed."""
    content, check = check
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    photo(content / "images" / "debout.jpg", size=(200, 300), exif=exif)  # shown 300 x 200
    photo(content / "images" / "logo.png", size=(64, 64))
    assert check(HEADER + "Image: images/debout.jpg\nImage_alt: A\n\n![Logo](images/logo.png)\n") == []
    photo(content / "images" / "couche.jpg", size=(300, 200), exif=exif)  # shown 200 x 300
    assert "200 × 300 pixels" in check(HEADER + "Image: images/couche.jpg\nImage_alt: A\n\nTexte.\n")[0]


def test_body_images_missing_or_corrupt(check):
    content, check = check
    (content / "images" / "bad.png").write_bytes(b"\x89PNG broken")
    problems = check(HEADER + "\n![Absente](images/absente.jpg)\n\n![Cassée](/images/bad.png)\n"
                     "![Externe](https://example.org/x.jpg)\n")
    assert len(problems) == 2
    assert "x.md:6: corps: image « images/absente.jpg » introuvable" in problems[0]  # with their lines
    assert "x.md:8: corps: image « images/bad.png »" in problems[1]


def test_focus_needs_an_image_and_a_valid_value(check):
    _content, check = check
    assert "point focal sans image" in check(HEADER + "Image_focus: 10% 10%\n\nTexte.\n")[0]
    assert "Image_focus" in check(HEADER + "Image_focus: milieu\n\nTexte.\n")[0]


def test_an_image_the_cache_encoded_is_not_decoded_again(check, site, monkeypatch):
    from transfo_images import fields
    from transfo_images.planning import plan_image
    from transfo_images.processing import DerivativeJob, run_job
    from transfo_images.settings import read_settings as images_settings

    content, check = check
    decoded = []
    real = fields.check_decodable
    monkeypatch.setattr(fields, "check_decodable", lambda path, limit: (decoded.append(path.name), real(path, limit)))
    text = HEADER + "Image: images/a.jpg\nImage_alt: A\n\n![Une photo](images/a.jpg)\n"
    photo(content / "images" / "a.jpg", size=(320, 180))
    assert check(text) == [] and decoded == ["a.jpg", "a.jpg"]  # lead and body, nothing encoded yet

    plan = plan_image(images_settings(site), "images/a.jpg")
    run_job(DerivativeJob(plan.source, plan.outputs, 40_000_000))
    decoded.clear()
    assert check(text) == [] and decoded == []

    (content / "images" / "a.jpg").write_bytes(b"not a jpeg")  # other bytes: their own check
    problems = check(text)
    assert len(problems) == 2 and all("illisible" in problem for problem in problems)
