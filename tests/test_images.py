"""Build tests of responsive images and share cards (transfo_images).

The image fixture site (tests/fixtures/images/content) is copied into a
temporary folder for each test that builds it; builds that count encoded
images use a temporary CACHE_PATH, so they never share the project's cache.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image
from transfo_quality.pages import TOOL_FOLDERS

from tests.support import ROOT, build, copy_content, html_files, python, soup

IMAGES_CONTENT = ROOT / "tests" / "fixtures" / "images" / "content"
PUBLIC_URL = "http://127.0.0.1:8000"
ENCODED = re.compile(r"Images : (\d+) fichier\(s\) encodé\(s\)")
ARTICLE = "2019/11/latelier-partage-ouvre-ses-portes/index.html"
OG_PROPERTIES = ("og:title", "og:description", "og:type", "og:url", "og:image", "og:image:width",
                 "og:image:height", "og:image:alt", "og:locale", "og:site_name")
TWITTER_NAMES = ("twitter:card", "twitter:title", "twitter:description", "twitter:image")



def meta(page: BeautifulSoup) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for tag in page.find_all("meta"):
        key = tag.get("property") or tag.get("name")
        if key:
            found.setdefault(key, []).append(tag.get("content", ""))
    return found


# `invoke build` with the cache folder (CACHE_PATH) of the test, so runs never share a cache.
BUILD = """
import logging, sys
from pelican import Pelican
from pelican.log import init
from pelican.settings import read_settings
from transfo_validation.problems import ContentError
init(level=logging.INFO)
content, output, cache = sys.argv[1:4]
settings = read_settings({config!r}, override={{
    "PATH": content, "OUTPUT_PATH": output, "CACHE_PATH": cache}})
try:
    Pelican(settings).run()
except ContentError as error:
    print(error, file=sys.stderr)
    sys.exit(error.exitcode)
""".format(config=str(ROOT / "pelicanconf.py"))


def build_verbose(content: Path, output: Path, cache: Path) -> subprocess.CompletedProcess:
    result = python("-c", BUILD, str(content), str(output), str(cache), env={**os.environ, "COLUMNS": "250"})
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def encoded(result) -> int:
    counts = ENCODED.findall(result.stdout + result.stderr)
    assert counts, f"no image summary in the build log:\n{result.stderr[-3000:]}"
    return sum(int(c) for c in counts)


@pytest.fixture(scope="module")
def images_site(tmp_path_factory) -> tuple[Path, Path]:
    """The image fixture site built once, with its own cache: (cache, output)."""
    base = tmp_path_factory.mktemp("images-site")
    content = copy_content(base / "content", IMAGES_CONTENT)
    build_verbose(content, base / "output", base / "cache")
    return base / "cache", base / "output"


# --- derivatives ---------------------------------------------------------------------------

def test_lead_image_has_every_width_and_format_never_enlarged(images_site):
    _cache, output = images_site
    page = soup(output / ARTICLE)
    picture = page.select_one(".lead-image picture")
    types = [source["type"] for source in picture.find_all("source")]
    assert types[-1] == "image/webp" and types in (["image/webp"], ["image/avif", "image/webp"])
    img = picture.find("img")
    assert (img["width"], img["height"]) == ("1600", "960")  # 2000×1200 source, capped at 1600
    assert img["fetchpriority"] == "high" and not img.get("loading")
    assert {"focus-x4", "focus-y4"} <= set(img["class"])  # 35% 42%, to the nearest tenth
    assert not img.has_attr("style")  # the Content-Security-Policy forbids style attributes
    widths = [int(part.split()[1][:-1]) for part in img["srcset"].split(", ")]
    assert widths == [400, 800, 1200, 1600]
    for part in img["srcset"].split(", ") + [s["srcset"] for s in picture.find_all("source")]:
        for candidate in part.split(", "):
            url, width = candidate.split()
            with Image.open(output / url.lstrip("/")) as image:
                assert image.width == int(width[:-1])
                assert image.format == {"jpg": "JPEG", "webp": "WEBP", "avif": "AVIF"}[url.rsplit(".", 1)[1]]
    figure = page.select_one(".lead-image")
    assert figure.select_one(".credit").get_text() == "Photo\u00a0: Photographe Test"  # French no-break space


def test_body_images_become_pictures_with_orientation_applied(images_site):
    _cache, output = images_site
    body = soup(output / ARTICLE).select_one(".article__body")
    figure = body.select_one("figure.body-image")
    img = figure.select_one("picture img")
    # tourne.jpg is stored 1200×800 with EXIF orientation 6: shown 800×1200, never enlarged.
    assert (img["width"], img["height"]) == ("800", "1200")
    assert img["loading"] == "lazy" and img["decoding"] == "async"
    assert figure.select_one("figcaption").get_text().replace("\xa0", " ") == "Photo : Autre Photographe"
    with Image.open(output / img["src"].lstrip("/")) as image:
        assert image.size == (800, 1200)
        assert image.getpixel((400, 50))[0] < 40  # the black band is on top once rotated
        assert image.getexif().get(0x013B) == "Autre Photographe"
    inline = body.select_one("p picture img")
    assert (inline["width"], inline["height"]) == ("300", "200")  # a 300 px PNG stays 300 px
    assert "/schema." in inline["src"] and inline["src"].endswith(".300.jpg")


def test_metadata_stripped_except_author_and_copyright(images_site):
    _cache, output = images_site
    for path in (output / "media").glob("atelier.*"):
        with Image.open(path) as image:
            exif = image.getexif()
            assert exif.get(0x013B) == "Photographe Test"
            assert exif.get(0x8298) == "(c) Transfo 2019"
            assert not {0x010F, 0x0110, 0x0131} & set(exif)


# --- share cards and meta ------------------------------------------------------------------

def is_tool_page(path: Path, output: Path) -> bool:
    """A page of the editors' tools (the admin): not for readers, never shared."""
    return path.relative_to(output).parts[0] in TOOL_FOLDERS


def check_meta(page: BeautifulSoup, output: Path, name: str) -> dict[str, list[str]]:
    tags = meta(page)
    missing = [p for p in OG_PROPERTIES + TWITTER_NAMES if not tags.get(p)]
    assert not missing, f"{name}: missing {missing}"
    assert tags["og:locale"] == ["fr_BE"]
    assert tags["og:site_name"] == ["Transfo"]
    assert tags["twitter:card"] == ["summary_large_image"]
    assert tags["og:url"][0].startswith(PUBLIC_URL + "/")
    image_url = tags["og:image"][0]
    assert image_url.startswith(PUBLIC_URL + "/"), name
    assert tags["og:image:width"] == ["1200"] and tags["og:image:height"] == ["630"]
    share = output / image_url.removeprefix(PUBLIC_URL + "/")
    assert share.stat().st_size < 8 * 1024 * 1024
    with Image.open(share) as image:
        assert image.size == (1200, 630), name
    return tags


def test_every_page_of_the_image_site_has_share_meta(images_site):
    _cache, output = images_site
    pages = [path for path in html_files(output) if not is_tool_page(path, output)]
    assert len(pages) > 5
    for path in pages:
        check_meta(soup(path), output, str(path.relative_to(output)))


def test_article_meta_and_focal_crop(images_site):
    _cache, output = images_site
    page = soup(output / ARTICLE)
    tags = check_meta(page, output, ARTICLE)
    assert tags["og:type"] == ["article"]
    assert tags["og:url"] == [PUBLIC_URL + "/2019/11/latelier-partage-ouvre-ses-portes/"]
    assert page.select_one('link[rel="canonical"]')["href"] == tags["og:url"][0]
    assert tags["og:image:alt"] == ["Un atelier lumineux, un établi orange au premier plan"]
    assert tags["article:published_time"] == ["2019-11-20T10:00:00+01:00"]
    assert tags["article:modified_time"] == ["2019-11-20T10:00:00+01:00"]
    assert tags["article:section"] == ["Actualités"]
    assert sorted(tags["article:tag"]) == ["Liège", "réemploi"]
    share = output / tags["og:image"][0].removeprefix(PUBLIC_URL + "/")
    with Image.open(share) as image:
        # The orange subject around the focal point (35% 42%) is inside the crop.
        red, _green, blue = image.getpixel((420, 270))
        assert red > 180 and blue < 120


def test_article_without_image_gets_a_generated_card(images_site):
    _cache, output = images_site
    page = soup(output / "2019/11/un-article-sans-image-mais-partage-quand-meme/index.html")
    tags = meta(page)
    assert tags["og:image:alt"] == ["Un article sans image, mais partagé quand même"]
    with Image.open(output / tags["og:image"][0].removeprefix(PUBLIC_URL + "/")) as image:
        assert image.size == (1200, 630)
        assert image.convert("RGB").getpixel((600, 620)) == pytest.approx((11, 85, 99), abs=8)


def test_home_and_page_types(images_site):
    _cache, output = images_site
    home = meta(soup(output / "index.html"))
    assert home["og:type"] == ["website"] and home["og:url"] == [PUBLIC_URL + "/"]
    about = meta(soup(output / "a-propos/index.html"))
    assert about["og:type"] == ["website"]
    assert about["og:image:alt"] == ["Un bénévole répare une lampe"]


# --- the sample site -------------------------------------------------------------------------

@pytest.mark.slow
def test_every_img_of_the_sample_has_width_and_height(sample_site):
    missing = []
    for path in html_files(sample_site):
        for img in soup(path).find_all("img"):
            if not (img.get("width") and img.get("height")):
                missing.append(f"{path.relative_to(sample_site)}: {img}")
    assert not missing, "\n".join(missing[:20])


@pytest.mark.slow
def test_every_page_type_of_the_sample_has_share_meta(sample_site):
    pages = [path for path in html_files(sample_site)
             if not path.name.startswith("google") and not is_tool_page(path, sample_site)]
    for path in pages:
        check_meta(soup(path), sample_site, str(path.relative_to(sample_site)))
    types = {meta(soup(p))["og:type"][0] for p in pages if (p.parent / "index.html") == p}
    assert "article" in types and "website" in types


# --- cache ---------------------------------------------------------------------------------

@pytest.mark.slow
def test_second_build_encodes_nothing_and_a_change_only_its_image(tmp_path):
    content = copy_content(tmp_path / "content", IMAGES_CONTENT)
    cache = tmp_path / "cache"
    first = build_verbose(content, tmp_path / "one", cache)
    assert encoded(first) > 0
    second = build_verbose(content, tmp_path / "two", cache)
    assert encoded(second) == 0
    media = tmp_path / "two" / "media"
    names_before = {p.relative_to(media) for p in media.rglob("*.*")}
    atelier_before = {p.name: p.stat().st_mtime_ns for p in media.glob("atelier.*")}

    # Change one image: only its own derivatives (and its share crop) are encoded again.
    changed = content / "images" / "tourne.jpg"
    with Image.open(changed) as image:
        exif = image.getexif()
        image.rotate(180).save(changed, quality=80, exif=exif)
    third = build_verbose(content, tmp_path / "two", cache)
    new = {p.relative_to(media) for p in media.rglob("*.*")} - names_before
    assert new and all(path.name.startswith("tourne.") for path in new), new
    assert len([p for p in new if p.parent.name == "share"]) == 1  # the page's share crop
    assert encoded(third) == len(new)
    assert {p.name: p.stat().st_mtime_ns for p in media.glob("atelier.*")} == atelier_before


# --- errors --------------------------------------------------------------------------------

@pytest.mark.parametrize("damage", ["truncated", "garbage"])
def test_corrupt_lead_image_is_one_clear_line(tmp_path, damage):
    content = copy_content(tmp_path / "content", IMAGES_CONTENT)
    image = content / "images" / "atelier.jpg"
    data = image.read_bytes()
    image.write_bytes(data[: len(data) // 3] if damage == "truncated" else b"ceci n'est pas une image")
    result = build(tmp_path / "out", content=content, check=False)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if "atelier.jpg" in line and "atelier.md" in line]
    assert len(lines) == 1, result.stderr
    assert "Image: « images/atelier.jpg »" in lines[0]
    if damage == "garbage":  # and the file itself, which is not an image at all
        assert "images/atelier.jpg: fichier: type refusé : du texte" in result.stderr


def test_corrupt_body_image_is_one_clear_line(tmp_path):
    content = copy_content(tmp_path / "content", IMAGES_CONTENT)
    (content / "images" / "schema.png").write_bytes(b"\x89PNG\r\n\x1a\n pas une image")
    result = build(tmp_path / "out", content=content, check=False)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if "schema.png" in line]
    assert len(lines) == 1 and "atelier.md" in lines[0] and "corps" in lines[0], result.stderr


def test_cache_lives_outside_the_output(images_site):
    cache, output = images_site
    cached = list((cache / "images").rglob("*.*"))
    assert cached and not list(output.rglob("*.tmp"))
    assert not any(output in path.parents for path in cached)
