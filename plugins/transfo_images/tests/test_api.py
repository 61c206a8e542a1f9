"""transfo_images.api: what other plugins reach of the image library, through its functions."""

from pathlib import Path

from PIL import Image
from transfo_images.api import CONTEXT_KEY, ImageLibrary, email_image, image_library, published_copy

from .conftest import photo


def test_without_the_plugin_there_is_no_library_and_no_copy():
    assert image_library({}) is None
    assert published_copy({}, "images/a.jpg") is None


def test_the_library_of_the_context_and_its_published_copy(site):
    photo(Path(site["PATH"]) / "images" / "a.jpg", size=(1700, 1000))
    library = ImageLibrary(site)
    context = {CONTEXT_KEY: library}
    assert image_library(context) is library
    assert published_copy(context, None) is None
    copy = published_copy(context, "images/a.jpg", "articles/a.md")
    assert copy.url.startswith("https://example.org/") and copy.url.endswith(".jpg")
    with Image.open(Path(site["OUTPUT_PATH"]) / copy.path) as image:
        assert image.size[0] == 1600 and not image.getexif()


def test_the_email_image_is_the_narrowest_jpeg_wide_enough(site):
    photo(Path(site["PATH"]) / "images" / "a.jpg", size=(1700, 1000))
    library = ImageLibrary(site)
    wide = email_image(library, "/images/a.jpg", 1200)
    assert wide.output_rel.endswith(".1200.jpg") and wide.file is None  # planned, not encoded yet
    assert email_image(library, "images/a.jpg", 500).output_rel.endswith(".800.jpg")
    assert email_image(library, "images/a.jpg", 5000).output_rel.endswith(".1600.jpg")  # the widest
    assert email_image(library, "images/absente.jpg", 1200) is None
    library.published_copy("images/a.jpg")  # encodes the derivatives
    assert email_image(library, "images/a.jpg", 1600).file.is_file()
