"""Small generated images and settings for the image plugin's unit tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[3]


def photo(path: Path, size=(2000, 1200), exif=None, colour=(232, 131, 58), box=None) -> Path:
    """A gradient 'photo' with an orange subject in `box`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mask = Image.linear_gradient("L").resize(size)
    teal, cream = Image.new("RGB", size, (11, 85, 99)), Image.new("RGB", size, (244, 239, 230))
    image = Image.composite(teal, cream, mask)
    if box:
        ImageDraw.Draw(image).rectangle(box, fill=colour)
    fmt = {".png": "PNG", ".webp": "WEBP"}.get(path.suffix, "JPEG")
    options = {"exif": exif} if exif is not None else {}
    image.save(path, fmt, **options)
    return path


@pytest.fixture
def site(tmp_path) -> dict:
    """Pelican-like settings for a content folder and cache in tmp_path."""
    content = tmp_path / "content"
    (content / "images").mkdir(parents=True)
    return {
        "PATH": str(content),
        "OUTPUT_PATH": str(tmp_path / "output"),
        "CACHE_PATH": str(tmp_path / "cache"),
        "THEME": str(ROOT / "theme"),
        "SITENAME": "Transfo",
        "SITESUBTITLE": "Le magazine de l'économie sociale",
        "SITEURL": "",
        "PUBLIC_URL": "https://example.org",
        "TRANSFO_IMAGES_WORKERS": 1,
    }
