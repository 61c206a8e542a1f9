"""Hostile and awkward images (issue 20, images and caches): what a clumsy editor or an attacker
may put in content/images/, and what a damaged cache may hold.

Images are generated with Pillow in temporary folders, around the image fixture site
(tests/fixtures/images). Accepted cases are built once and every output image is parsed back
with Pillow; refused cases run `invoke check` and `invoke build` once over a content folder
holding all of them, and each case asserts its own French line (checks.assert_refused).
"""

from __future__ import annotations

import hashlib
import io
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from PIL import Image

from tests.hostile.checks import assert_no_injection, assert_refused
from tests.support import ROOT, all_text, build, copy_content, invoke
from tests.test_images import IMAGES_CONTENT, build_verbose, encoded

NOW = "2019-11-30"
PUBLISH_CONTENT = ROOT / "tests" / "fixtures" / "publish" / "content"
IMAGE_SUFFIXES = {".jpg", ".webp", ".avif", ".png"}
GPS_IFD, MAKE, MODEL, ARTIST, COPYRIGHT = 0x8825, 0x010F, 0x0110, 0x013B, 0x8298
CAMERA_MODEL = "EspionPhone 12 Pro"
XMP_SECRET = "xmp-secret-redaction"
COMMENT_SECRET = b"commentaire-secret-redaction"


def article(content: Path, name: str, body: str, date: str = "2019-11-25 10:00", **fields) -> Path:
    header = {"Title": f"Article {name}", "Date": date, "Category": "Actualités",
              "Authors": "Claire Delvaux", "Summary": f"Résumé de l'article {name}.", **fields}
    path = content / "articles" / f"{name}.md"
    path.write_text("".join(f"{key}: {value}\n" for key, value in header.items()) + "\n" + body + "\n",
                    encoding="utf-8")
    return path


def phone_photo(path: Path) -> Path:
    """A phone photo as phones write them: GPS position, camera, XMP, a comment, an author."""
    exif = Image.Exif()
    exif[MAKE], exif[MODEL] = "EspionCorp", CAMERA_MODEL
    exif[ARTIST], exif[COPYRIGHT] = "Photographe Terrain", "(c) Transfo 2019"
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (50.0, 27.0, 58.8), 3: "E", 4: (4.0, 52.0, 1.2)})
    image = Image.new("RGB", (1000, 750), (60, 120, 180))
    xmp = (f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
           f'22-rdf-syntax-ns#"><rdf:Description>{XMP_SECRET}</rdf:Description></rdf:RDF>'
           f'</x:xmpmeta>').encode()
    image.save(path, "JPEG", quality=90, exif=exif, xmp=xmp, comment=COMMENT_SECRET)
    with Image.open(path) as check:  # the fixture itself carries what must not leak
        assert check.getexif().get_ifd(GPS_IFD) and "xmp" in check.info
    return path


def solid(path: Path, colour=(200, 40, 40), size=(600, 400)) -> Path:
    Image.new("RGB", size, colour).save(path)
    return path


def sixteen_bit_grey(path: Path) -> Path:
    image = Image.new("I;16", (600, 400))
    image.paste(32896, (0, 0, 600, 400))  # 50 % grey: 128 in 8 bits
    image.save(path)
    return path


def palette(path: Path, transparent: bool) -> Path:
    image = Image.new("P", (600, 400), 0)
    image.putpalette([255, 255, 0, 10, 120, 200] + [0] * 762)
    image.paste(1, (0, 0, 300, 400))  # left half blue; right half yellow, or transparent
    image.save(path, **({"transparency": 0} if transparent else {}))
    return path


def cmyk_red(path: Path) -> Path:
    Image.new("CMYK", (600, 400), (0, 255, 255, 0)).save(path, quality=95)
    return path


def grey_alpha(path: Path) -> Path:
    image = Image.new("LA", (600, 400), (100, 255))
    image.paste((100, 0), (0, 0, 300, 400))  # left half transparent
    image.save(path)
    return path


def half_transparent_red(path: Path) -> Path:
    Image.new("RGBA", (600, 400), (255, 0, 0, 128)).save(path)
    return path


def turned(path: Path) -> Path:
    """Stored 600×400 with EXIF orientation 8 (shown 400×600); black band stored on the left."""
    image = Image.new("RGB", (600, 400), (240, 240, 240))
    image.paste((0, 0, 0), (0, 0, 60, 400))
    exif = Image.Exif()
    exif[0x0112] = 8
    image.save(path, "JPEG", quality=95, exif=exif)
    return path


# name: (maker, {format: expected colour at the left quarter, at the right quarter})
# JPEG has no transparency: transparent parts are flattened on white.
MODES = {
    "gris16.png": (sixteen_bit_grey, {"any": ((128, 128, 128, 255), (128, 128, 128, 255))}),
    "palette.png": (lambda p: palette(p, False), {"any": ((10, 120, 200, 255), (255, 255, 0, 255))}),
    "palette-transparente.png": (lambda p: palette(p, True), {
        "jpeg": ((10, 120, 200, 255), (255, 255, 255, 255)),
        "web": ((10, 120, 200, 255), (None, None, None, 0))}),
    "cmjn.jpg": (cmyk_red, {"any": ((255, 0, 0, 255), (255, 0, 0, 255))}),
    "gris-alpha.png": (grey_alpha, {
        "jpeg": ((255, 255, 255, 255), (100, 100, 100, 255)),
        "web": ((None, None, None, 0), (100, 100, 100, 255))}),
    "rouge-transparent.png": (half_transparent_red, {
        "jpeg": ((255, 127, 127, 255), (255, 127, 127, 255)),
        "web": ((255, 0, 0, 128), (255, 0, 0, 128))}),
}


def pixels_match(found, expected, tolerance=12) -> bool:
    return all(want is None or abs(have - want) <= tolerance for have, want in zip(found, expected, strict=False))


def digest(folder: Path) -> dict[str, str]:
    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def output_images(output: Path) -> list[Path]:
    return sorted(p for p in output.rglob("*") if p.suffix in IMAGE_SUFFIXES and p.is_file())


# --- accepted: built once, every output image parsed back ----------------------------------------

@pytest.fixture(scope="module")
def awkward(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("hostile-images")
    content = copy_content(base / "content", IMAGES_CONTENT)
    images = content / "images"
    phone_photo(images / "telephone.jpg")
    article(content, "telephone", "Une photo prise au téléphone.", Image="images/telephone.jpg",
            Image_alt="Une façade bleue")
    solid(images / "embargo.jpg", (30, 160, 60))
    solid(images / "embargo-corps.png", (160, 30, 160))
    article(content, "embargo", "![Le plan secret](images/embargo-corps.png)", date="2019-12-15 08:00",
            Image="images/embargo.jpg", Image_alt="Le lancement annoncé")
    solid(images / "brouillon.jpg", (90, 90, 20))
    article(content, "brouillon", "Pas encore prêt.", Status="draft", Image="images/brouillon.jpg",
            Image_alt="Un brouillon")
    solid(images / "inutilisee.jpg", (20, 20, 90))
    for name, (make, _expected) in MODES.items():
        make(images / name)
    turned(images / "couchee.jpg")
    body = "\n\n".join(f"![{name}](images/{name})" for name in [*MODES, "couchee.jpg"])
    article(content, "modes", body + "\n\n[La photo en grand](images/telephone.jpg)")
    output = base / "output"
    build(output, content=content, now=NOW)
    return {"content": content, "output": output, "base": base}


def test_phone_photo_gps_camera_xmp_and_comment_never_reach_the_output(awkward):
    output = awkward["output"]
    found = output_images(output)
    assert any(p.name.startswith("telephone.") for p in found)
    for path in found:
        raw = path.read_bytes()
        assert CAMERA_MODEL.encode() not in raw and XMP_SECRET.encode() not in raw, path
        assert COMMENT_SECRET not in raw and b"EspionCorp" not in raw, path
        with Image.open(path) as image:
            exif = image.getexif()
            assert GPS_IFD not in exif and not exif.get_ifd(GPS_IFD), path
            assert not {MAKE, MODEL} & set(exif), path
            assert "xmp" not in image.info and "comment" not in image.info, path
            if path.name.startswith("telephone.") and path.parent.name == "media":
                assert exif.get(ARTIST) == "Photographe Terrain"  # credit and copyright are kept
                assert exif.get(COPYRIGHT) == "(c) Transfo 2019"


def test_no_original_file_is_published_byte_for_byte(awkward):
    originals = {hashlib.sha256(p.read_bytes()).hexdigest(): p.name
                 for p in (awkward["content"] / "images").rglob("*") if p.is_file()}
    published = digest(awkward["output"])
    assert not set(published.values()) & set(originals)
    assert not (awkward["output"] / "images").exists()  # nothing copied as it is


def test_a_link_to_an_image_and_the_feed_enclosure_lead_to_stripped_copies(awkward):
    output = awkward["output"]
    page = (output / "2019/11/article-modes/index.html").read_text(encoding="utf-8")
    assert 'href="/media/telephone.' in page and "images/telephone.jpg" not in page
    feeds = "\n".join(p.read_text(encoding="utf-8") for p in (output / "feeds").glob("*.xml"))
    assert "/media/telephone." in feeds and "/images/" not in feeds
    assert_no_injection(output)


def test_embargoed_article_image_is_published_with_the_article_not_before(awkward, tmp_path):
    output = awkward["output"]
    names = [p.name for p in output_images(output)]
    assert not [n for n in names if n.startswith("embargo")]
    assert "embargo" not in all_text(output)
    later = tmp_path / "later"
    build(later, content=awkward["content"], now="2019-12-16")
    names = [p.name for p in output_images(later)]
    assert any(n.startswith("embargo.") for n in names)  # the test can fail: the image exists
    assert any(n.startswith("embargo-corps.") for n in names)


def test_draft_and_unused_images_are_not_published(awkward):
    names = [p.name for p in output_images(awkward["output"])]
    assert not [n for n in names if n.startswith(("brouillon", "inutilisee"))]


@pytest.mark.parametrize("name", list(MODES))
def test_every_mode_comes_out_right_in_every_format(awkward, name):
    expected = MODES[name][1]
    found = [p for p in output_images(awkward["output"]) if p.name.startswith(Path(name).stem + ".")]
    formats = {p.suffix for p in found}
    assert {".jpg", ".webp"} <= formats, found
    for path in found:
        with Image.open(path) as image:
            kind = "jpeg" if path.suffix == ".jpg" else "web"
            if kind == "web" and "web" in expected:
                assert image.mode == "RGBA", path  # AVIF and WebP keep the alpha channel
            rgba = image.convert("RGBA")
            left, right = expected.get(kind) or expected["any"]
            height = rgba.height // 2
            at_left = rgba.getpixel((rgba.width // 4, height))
            at_right = rgba.getpixel((3 * rgba.width // 4, height))
            assert pixels_match(at_left, left) and pixels_match(at_right, right), \
                (path.name, at_left, at_right)


def test_exif_orientation_is_applied_to_every_derivative(awkward):
    found = [p for p in output_images(awkward["output"]) if p.name.startswith("couchee.")]
    assert found
    for path in found:
        with Image.open(path) as image:
            assert image.height > image.width, path  # orientation 8: shown upright
            assert 0x0112 not in image.getexif()
            rgb = image.convert("RGB")
            assert max(rgb.getpixel((rgb.width // 2, rgb.height - 3))) < 60, path  # band at the bottom


# --- refused: one check and one build over a folder holding every bad file ----------------------

def huge_png_header(path: Path, width=12000, height=12000) -> Path:
    """A 115-byte PNG whose header claims 12000 × 12000 pixels: decoding it would take 432 MB."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    path.write_bytes(b"\x89PNG\r\n\x1a\n"
                     + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(b"\x00" * (width * 3 + 1))) + chunk(b"IEND", b""))
    return path


CSV = "mois;article;montant\n2019-11;alpha;58,40\n"


def gzip_bytes(data: bytes) -> bytes:
    import gzip
    return gzip.compress(data, mtime=0)


def xlsx_bytes(data: bytes) -> bytes:
    import zipfile
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", data.decode())
    return buffer.getvalue()


# file name in images/ -> (bytes, words its line must hold)
BAD_FILES = {
    "promotions-utf16.jpg": (CSV.encode("utf-16"), ("type refusé", "UTF-16")),
    "promotions.xlsx": (xlsx_bytes(CSV.encode()), ("type refusé", "ZIP")),
    "promotions.csv.gz": (gzip_bytes(CSV.encode()), ("type refusé", "gzip")),
    "promotions.csv": (CSV.encode(), ("type refusé", "texte")),
    "dessin.svg": (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                   ("type refusé", "SVG", "script")),
    "iphone.jpg": (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(40), ("HEIC",)),
    "photo.gif": (b"GIF89a" + bytes(20), ("GIF",)),
}


@pytest.fixture(scope="module")
def refused(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("hostile-images-refused")
    content = copy_content(base / "content", IMAGES_CONTENT)
    images = content / "images"
    for name, (data, _words) in BAD_FILES.items():
        (images / name).write_bytes(data)
    outside = base / "ailleurs"
    outside.mkdir()
    (outside / "secret.jpg").write_bytes((IMAGES_CONTENT / "images" / "atelier.jpg").read_bytes())
    (images / "lien-dehors.jpg").symlink_to(outside / "secret.jpg")
    (content / "articles" / "dossier-dehors").symlink_to(outside, target_is_directory=True)
    (images / "boucle-a.jpg").symlink_to(images / "boucle-b.jpg")
    (images / "boucle-b.jpg").symlink_to(images / "boucle-a.jpg")
    (content / "articles" / "boucle.md").symlink_to(content / "articles" / "boucle.md")
    (images / "sous-dossier").symlink_to(images / "..", target_is_directory=True)
    huge_png_header(images / "enorme.png")
    article(content, "enorme", "Une image trop grande.", Image="images/enorme.png", Image_alt="Trop")
    data = (IMAGES_CONTENT / "images" / "atelier.jpg").read_bytes()
    (images / "tronquee.jpg").write_bytes(data[: len(data) // 2])
    article(content, "tronquee", "![Une photo coupée](images/tronquee.jpg)")
    output = base / "output"
    return {
        "check": invoke("check", "--content", str(content), check=False),
        "build": build(output, content=content, now=NOW, check=False),
        "output": output,
    }


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_a_file_that_is_not_an_accepted_image_is_refused_by_check_and_build(refused, name):
    words = BAD_FILES[name][1]
    assert_refused(refused["check"], name, *words)
    assert_refused(refused["build"], name, *words)


@pytest.mark.parametrize("name, words", [
    ("lien-dehors.jpg", ("lien symbolique", "hors du dossier content/")),
    ("dossier-dehors", ("lien symbolique", "hors du dossier content/")),
    ("boucle-a.jpg", ("lien symbolique en boucle",)),
    ("boucle.md", ("lien symbolique en boucle",)),
    ("sous-dossier", ("lien symbolique vers un dossier",)),
])
def test_symbolic_links_leaving_content_or_looping_are_refused(refused, name, words):
    assert_refused(refused["check"], name, *words)
    assert_refused(refused["build"], name, *words)


def test_an_image_over_the_pixel_limit_is_one_line_with_its_size_never_decoded(refused):
    for result in (refused["check"], refused["build"]):
        line = assert_refused(result, "enorme.png", "12000 × 12000 px", "40 Mpx")
        assert "enorme.md" in line  # the page that uses it; its pixel data (one row) was never read


def test_a_truncated_body_image_is_one_line_naming_it(refused):
    line = assert_refused(refused["build"], "tronquee.jpg", "corps")
    assert "tronquee.md" in line


def test_nothing_is_written_when_images_are_refused(refused):
    assert not refused["output"].exists() or not any(refused["output"].iterdir())


def test_the_pixel_limit_bounds_the_memory_of_a_build(tmp_path):
    """A 12000 × 12000 lead image fails fast: the build's memory stays far below the 432 MB
    that decoding it would take."""
    content = copy_content(tmp_path / "content", IMAGES_CONTENT)
    huge_png_header(content / "images" / "atelier.png")
    (content / "articles" / "atelier.md").write_text(
        (IMAGES_CONTENT / "articles" / "atelier.md").read_text(encoding="utf-8")
        .replace("images/atelier.jpg", "images/atelier.png"), encoding="utf-8")
    probe = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], capture_output=True);"
             "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    result = subprocess.run([sys.executable, "-c", probe, sys.executable, "-m", "invoke", "build",
                             "--content", str(content), "--output", str(tmp_path / "out")],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    code, peak_kb = map(int, result.stdout.split())
    assert code == 2
    assert peak_kb < 400 * 1024, f"{peak_kb} KB"


# --- caches ---------------------------------------------------------------------------------------

@pytest.mark.slow
def test_a_damaged_cache_entry_is_encoded_again_with_a_line_naming_it(tmp_path):
    content = copy_content(tmp_path / "content", IMAGES_CONTENT)
    cache = tmp_path / "cache"
    build_verbose(content, tmp_path / "one", cache)
    first = digest(tmp_path / "one" / "media")
    entries = sorted(p for p in (cache / "images").rglob("*.jpg") if "share" not in p.parts)
    damaged = entries[0]
    with open(damaged, "r+b") as handle:  # in place, as a disk error or a stray write would
        handle.seek(200)
        handle.write(b"\x00" * 64)
    build_verbose(content, tmp_path / "one", cache)  # nothing changed: the built site holds copies
    assert digest(tmp_path / "one" / "media") == first
    result = build_verbose(content, tmp_path / "two", cache)  # a new output uses the cache
    lines = [line for line in (result.stdout + result.stderr).splitlines() if "abîmé" in line]
    assert len(lines) == 1 and damaged.name in lines[0], result.stderr[-2000:]
    assert encoded(result) == 1
    assert digest(tmp_path / "two" / "media") == first
    again = build_verbose(content, tmp_path / "three", cache)  # repaired: nothing more to say
    assert "abîmé" not in again.stdout + again.stderr and encoded(again) == 0


@pytest.mark.publish
def test_a_release_shares_nothing_with_the_cache(tmp_path):
    """`invoke publish` copies: damaging the cache afterwards leaves the live release as it was,
    and the next build encodes the damaged entries again."""
    root = tmp_path / "public"
    invoke("publish", "--root", str(root), "--content", str(PUBLISH_CONTENT), "--no-lighthouse")
    live = (root / "current").resolve()
    media = sorted((live / "media").rglob("*.*"))
    assert media and all(p.stat().st_nlink == 1 for p in media if p.suffix in IMAGE_SUFFIXES)
    before = digest(live)
    by_bytes = {hashlib.sha256(p.read_bytes()).hexdigest(): p for p in media}
    damaged = [entry for entry in (ROOT / "cache" / "images").rglob("*.*")
               if entry.suffix in IMAGE_SUFFIXES
               and hashlib.sha256(entry.read_bytes()).hexdigest() in by_bytes]
    assert damaged
    for entry in damaged:
        with open(entry, "r+b") as handle:  # in place: what a hard link would carry to the release
            handle.write(b"\x00" * 32)
    assert digest(live) == before
    build(tmp_path / "again", content=PUBLISH_CONTENT)
    assert {name: sha for name, sha in digest(tmp_path / "again").items() if name.startswith("media/")} \
        == {name: sha for name, sha in before.items() if name.startswith("media/")}
