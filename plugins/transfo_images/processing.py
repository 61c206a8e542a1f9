"""Pure Pillow operations: orient, resize, crop at a focal point, encode, draw share cards.

Everything here takes plain data and returns data; `run_job` is the unit of
work sent to the encoding processes, so jobs are small picklable dataclasses.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageCms, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError
from transfo_common.markup import text_of

from .cache import store

# Bump when the output of the pipeline changes: every cached file is then re-encoded.
PIPELINE_VERSION = "4"
SRGB = ImageCms.createProfile("sRGB")

ORIENTATION, ARTIST, COPYRIGHT = 0x0112, 0x013B, 0x8298
KEPT_EXIF_TAGS = (ARTIST, COPYRIGHT)
_FOCUS = re.compile(r"^\s*(\d{1,3}(?:[.,]\d+)?)\s*%\s*[ ,;]?\s*(\d{1,3}(?:[.,]\d+)?)\s*%\s*$")


@dataclass(frozen=True)
class Focus:
    """A focal point, as fractions of the width and height (0 = left/top)."""

    x: float = 0.5
    y: float = 0.5

    @property
    def css(self) -> str:
        return f"{_percent(self.x)}% {_percent(self.y)}%"

    @property
    def css_classes(self) -> str:
        """`focus-x3 focus-y4`: the point rounded to tenths, as classes of site.css.

        Pages are served with a Content-Security-Policy that forbids style
        attributes, so crops in the browser are positioned by class.
        """
        return f"focus-x{round(self.x * 10)} focus-y{round(self.y * 10)}"

    @property
    def key(self) -> str:
        return f"{_percent(self.x)}-{_percent(self.y)}"


CENTRE = Focus()


def _percent(fraction: float) -> str:
    return f"{fraction * 100:.4g}"


def parse_focus(text: str) -> Focus:
    """`30% 40%` -> Focus(0.3, 0.4); ValueError when it is not two percentages 0-100."""
    match = _FOCUS.match(text or "")
    if not match:
        raise ValueError(text)
    x, y = (float(group.replace(",", ".")) for group in match.groups())
    if not (0 <= x <= 100 and 0 <= y <= 100):
        raise ValueError(text)
    return Focus(x / 100, y / 100)


def as_focus(value: object) -> Focus:
    """A focal point from whatever an object carries: Focus, (x, y) fractions, text, or nothing."""
    if isinstance(value, Focus):
        return value
    if isinstance(value, (tuple, list)) and len(value) == 2:
        try:
            return Focus(min(max(float(value[0]), 0.0), 1.0), min(max(float(value[1]), 0.0), 1.0))
        except (TypeError, ValueError):
            return CENTRE
    if isinstance(value, str):
        try:
            return parse_focus(value)
        except ValueError:
            return CENTRE
    return CENTRE


class ImageReadError(Exception):
    """An image file that Pillow cannot read; the message says why, in French."""


def describe_error(error: Exception) -> str:
    """Why an image cannot be read, in French: Pillow's own words are English, and say no more
    to an editor than whether the end of the file is missing."""
    if isinstance(error, FileNotFoundError):
        return "fichier introuvable"
    if isinstance(error, PermissionError):
        return "fichier illisible : accès refusé"
    if isinstance(error, UnidentifiedImageError):
        return "fichier illisible : ce n'est pas une image reconnue (corrompu ?)"
    if "truncated" in str(error).lower():
        return "image tronquée : la fin du fichier manque (copie ou envoi interrompu ?)"
    return "image corrompue : ses données ne se décodent pas"


def too_large(size: tuple[int, int] | None, max_pixels: int, pixels: int = 0) -> ImageReadError:
    shown = f"{size[0]} × {size[1]} px ({size[0] * size[1] / 1e6:.0f} Mpx)" if size \
        else f"{pixels / 1e6:.0f} Mpx"
    return ImageReadError(f"image trop grande : {shown}, au-delà de la limite de "
                          f"{max_pixels / 1e6:.0f} Mpx (TRANSFO_IMAGES_MAX_PIXELS) ; "
                          "réduisez-la avant de l'ajouter")


def _header(path: Path, max_pixels: int) -> tuple[Image.Image, tuple[int, int]]:
    """The image opened, its header read and its size checked against the limit, nothing decoded.

    Pillow's own limit (a warning, then an error at twice its size) is never reached first:
    ours is lower, and each image gets one line naming its size.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(path)
        except Image.DecompressionBombError as error:
            found = re.search(r"\((\d+) pixels\)", str(error))
            raise too_large(None, max_pixels, int(found.group(1)) if found else 0) from None
        except (OSError, ValueError, SyntaxError) as error:
            raise ImageReadError(describe_error(error)) from None
    if image.width * image.height > max_pixels:
        size = image.size
        image.close()
        raise too_large(size, max_pixels)
    return image, image.size


def oriented_size(path: Path, max_pixels: int) -> tuple[int, int]:
    """Width and height as displayed, once the EXIF orientation is applied (header only)."""
    image, (width, height) = _header(path, max_pixels)
    with image:
        try:
            turned = image.getexif().get(ORIENTATION) in (5, 6, 7, 8)
        except (OSError, ValueError, SyntaxError) as error:
            raise ImageReadError(describe_error(error)) from None
    return (height, width) if turned else (width, height)


def check_decodable(path: Path, max_pixels: int) -> None:
    """Decode the image (at reduced scale for JPEG, which is fast); ImageReadError if corrupt
    or larger than the limit (checked from the header, before decoding)."""
    image, _size = _header(path, max_pixels)
    try:
        with image:
            image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
            image.load()
    except (OSError, ValueError, SyntaxError) as error:
        raise ImageReadError(describe_error(error)) from None


def derivative_widths(source_width: int, widths: tuple[int, ...]) -> tuple[int, ...]:
    """The configured widths below the source's, plus the largest width the source allows.

    Never wider than the source: a 900 px image gets 400, 800 and 900.
    """
    kept = {w for w in widths if w < source_width}
    kept.add(min(source_width, max(widths)))
    return tuple(sorted(kept))


def scaled_height(source_size: tuple[int, int], width: int) -> int:
    source_width, source_height = source_size
    return max(1, round(source_height * width / source_width))


def crop_box(size: tuple[int, int], target: tuple[int, int], focus: Focus) -> tuple[int, int, int, int]:
    """The largest box of the target's ratio inside `size`, centred on the focus when possible."""
    width, height = size
    ratio = target[0] / target[1]
    if width / height > ratio:
        box_width, box_height = round(height * ratio), height
    else:
        box_width, box_height = width, round(width / ratio)
    left = min(max(round(focus.x * width - box_width / 2), 0), width - box_width)
    top = min(max(round(focus.y * height - box_height / 2), 0), height - box_height)
    return left, top, left + box_width, top + box_height


def load(path: Path, max_pixels: int) -> tuple[Image.Image, Image.Exif]:
    """The image upright, in sRGB, as RGB or RGBA; and the only EXIF tags published.

    Whatever the file carries besides the pixels (GPS, camera, XMP, IPTC, comments, its colour
    profile once applied) stays behind: the image returned has no `info`.
    """
    opened, _size = _header(path, max_pixels)
    try:
        with opened:
            exif = opened.getexif()
            kept = Image.Exif()
            for tag in KEPT_EXIF_TAGS:
                if isinstance(exif.get(tag), str) and exif[tag].strip():
                    kept[tag] = exif[tag]
            icc = opened.info.get("icc_profile")
            image = ImageOps.exif_transpose(opened)
            image.load()
    except (OSError, ValueError, SyntaxError) as error:
        raise ImageReadError(describe_error(error)) from None
    image = web_colours(image, icc)
    image.info = {}
    return image, kept


SIXTEEN_BIT_MODES = ("I;16", "I;16L", "I;16B", "I;16N", "I")


def web_colours(image: Image.Image, icc: bytes | None = None) -> Image.Image:
    """RGB or RGBA in sRGB, from any mode Pillow reads a JPEG, PNG or WebP in.

    16-bit grey is scaled to 8 bits (a plain conversion clips it to white); palette and grey
    images keep their transparency; CMYK and tagged images go through their ICC profile;
    an alpha channel that hides nothing is dropped.
    """
    if image.mode in SIXTEEN_BIT_MODES:
        image = image.convert("I").point(lambda value: value * (1 / 257)).convert("L")
    alpha = "A" in image.getbands() or "a" in image.getbands() or "transparency" in image.info
    mode = "RGBA" if alpha else "RGB"
    if icc:
        image = _to_srgb(image, icc, mode)
    if image.mode != mode:
        image = image.convert(mode)
    if mode == "RGBA" and image.getchannel("A").getextrema() == (255, 255):
        image = image.convert("RGB")
    return image


def _to_srgb(image: Image.Image, icc: bytes, mode: str) -> Image.Image:
    """The pixels through the file's colour profile into sRGB; unchanged if it is unusable."""
    if image.mode not in ("RGB", "RGBA", "CMYK", "L"):
        image = image.convert(mode)
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        out_mode = "RGBA" if image.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(image, source, SRGB, outputMode=out_mode)
        return converted if converted is not None else image  # None only when converted in place
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image


def resize(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    if image.size == size:
        return image
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def focus_crop(image: Image.Image, target: tuple[int, int], focus: Focus) -> Image.Image:
    return resize(image.crop(crop_box(image.size, target, focus)), target)


def _flatten(image: Image.Image, background: tuple[int, int, int] = (255, 255, 255)) -> Image.Image:
    """RGB for JPEG: transparent parts laid on the page's white."""
    image = web_colours(image)
    if image.mode != "RGBA":
        return image
    flat = Image.new("RGB", image.size, background)
    flat.paste(image, mask=image.getchannel("A"))
    return flat


def encode(image: Image.Image, fmt: str, quality: int, exif: Image.Exif | None = None) -> bytes:
    """Encode for the web, in sRGB without a profile: only Artist/Copyright EXIF tags survive."""
    options: dict[str, object] = {"quality": quality}
    if exif is not None and len(exif):
        options["exif"] = exif.tobytes()
    if fmt == "jpeg":
        image = _flatten(image)
        options.update(optimize=True, progressive=True)
        pillow_format = "JPEG"
    elif fmt == "webp":
        image = web_colours(image)
        options.update(method=2)  # a third of the time of the default 4, about the same size
        pillow_format = "WEBP"
    elif fmt == "avif":
        image = web_colours(image)
        options.update(speed=8)
        pillow_format = "AVIF"
    else:
        raise ValueError(f"unknown format {fmt!r}")
    buffer = io.BytesIO()
    image.save(buffer, pillow_format, **options)
    return buffer.getvalue()


# --- share cards -----------------------------------------------------------------------------

def _hex(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def plain(text: str) -> str:
    """Titles may carry markup or entities; a card shows plain text."""
    return " ".join(text_of(text or "", "").split())


def bind_punctuation(text: str) -> str:
    """French spacing: `:` `;` `?` `!` `»` never start a line, `«` never ends one."""
    text = re.sub(r" ([:;?!»])", "\u00a0\\1", text)
    return re.sub(r"« ", "«\u00a0", text)


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy line breaking at plain spaces (no-break spaces hold their words together)."""
    lines: list[str] = []
    current = ""
    for word in bind_punctuation(text).split(" "):
        if not word:
            continue
        candidate = f"{current} {word}".strip()
        if not current or font.getlength(candidate) <= width:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def fit_title(text: str, font_path: Path, width: int, height: int,
              max_lines: int = 4) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest font size (84 down to 40 px) at which the title fits the box."""
    for size in range(84, 38, -4):
        font = ImageFont.truetype(str(font_path), size)
        lines = wrap(text, font, width)
        fits_width = all(font.getlength(line) <= width for line in lines)
        if len(lines) <= max_lines and fits_width and len(lines) * size * 1.15 <= height:
            return font, lines
    lines = wrap(text, font, width)[:max_lines]
    if len(lines) == max_lines:
        lines[-1] = lines[-1].rstrip(" ,;:") + " …"
    return font, lines


# The arrow of the wordmark's tile (theme/static/brand/wordmark.svg), in its 40×40 box.
WORDMARK_ARROW = ((9, 10), (24, 10), (24, 5), (35, 15), (24, 25), (24, 20), (20, 20), (20, 35),
                  (12, 35), (12, 20), (9, 20))


def draw_wordmark(draw: ImageDraw.ImageDraw, left_middle: tuple[int, int], name: str,
                  font: ImageFont.FreeTypeFont, tile: tuple[int, int, int],
                  arrow: tuple[int, int, int]) -> float:
    """The wordmark as on the site: the arrow tile, then the name in lower case; its width."""
    x, y = left_middle
    size = round(font.size * 1.2)
    top = y - size // 2
    draw.rounded_rectangle((x, top, x + size, top + size), radius=round(size * 9 / 40), fill=tile)
    scale = size / 40
    draw.polygon([(x + px * scale, top + py * scale) for px, py in WORDMARK_ARROW], fill=arrow)
    text_x = x + size + round(size * 0.15)
    draw.text((text_x, y), name.lower(), font=font, fill=tile, anchor="lm")
    return text_x - x + font.getlength(name.lower())


def render_card(title: str, kicker: str, brand: str, footer: str, fonts: tuple[Path, Path],
                colours: dict, size: tuple[int, int]) -> Image.Image:
    """A share card in the magazine's colours: kicker, title, then a teal band with the brand."""
    width, height = size
    teal, orange, cream = _hex(colours["teal"]), _hex(colours["orange"]), _hex(colours["cream"])
    card = Image.new("RGB", size, cream)
    draw = ImageDraw.Draw(card)
    margin, band_top = 80, height - 96
    draw.rectangle((0, band_top - 10, width, band_top), fill=orange)
    draw.rectangle((0, band_top, width, height), fill=teal)
    top = 64
    draw.rectangle((margin, top, margin + 96, top + 10), fill=orange)
    top += 34
    if kicker:
        kicker_font = ImageFont.truetype(str(fonts[1]), 34)
        draw.text((margin, top), plain(kicker).upper(), font=kicker_font, fill=teal)
        top += 64
    box_height = band_top - 40 - top
    title_font, lines = fit_title(plain(title), fonts[0], width - 2 * margin, box_height)
    line_height = round(title_font.size * 1.15)
    for index, line in enumerate(lines):
        draw.text((margin, top + index * line_height), line, font=title_font, fill=teal)
    brand_font = ImageFont.truetype(str(fonts[0]), 44)
    brand_width = draw_wordmark(draw, (margin, band_top + 48), brand, brand_font, tile=cream, arrow=teal)
    if footer:
        footer_font = ImageFont.truetype(str(fonts[1]), 24)
        room = width - 2 * margin - brand_width - 40
        text = plain(footer)
        while text and footer_font.getlength(text) > room:
            text = text[:-2].rstrip() + "…"
        draw.text((width - margin, band_top + 48), text, font=footer_font, fill=cream, anchor="rm")
    return card


# --- jobs ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Output:
    width: int
    height: int
    fmt: str
    quality: int
    cache_file: Path


@dataclass(frozen=True)
class DerivativeJob:
    """Every derivative of one source image: decoded once, resized, encoded per format."""

    source: Path
    outputs: tuple[Output, ...]
    max_pixels: int


@dataclass(frozen=True)
class CropJob:
    """A share image cropped from a lead image at its focal point."""

    source: Path
    focus: Focus
    size: tuple[int, int]
    quality: int
    cache_file: Path
    max_pixels: int


@dataclass(frozen=True)
class CardJob:
    """A generated share card."""

    title: str
    kicker: str
    brand: str
    footer: str
    fonts: tuple[Path, Path]
    colours: tuple[tuple[str, str], ...]
    size: tuple[int, int]
    quality: int
    cache_file: Path


Job = DerivativeJob | CropJob | CardJob


def run_job(job: Job) -> int:
    """Do one job; the number of files encoded. ImageReadError when the source is unreadable."""
    if isinstance(job, DerivativeJob):
        image, exif = load(job.source, job.max_pixels)
        written = 0
        resized: dict[int, Image.Image] = {}
        for output in sorted(job.outputs, key=lambda o: -o.width):
            if output.width not in resized:
                resized[output.width] = resize(image, (output.width, output.height))
            store(output.cache_file, encode(resized[output.width], output.fmt, output.quality, exif))
            written += 1
        return written
    if isinstance(job, CropJob):
        image, exif = load(job.source, job.max_pixels)
        cropped = focus_crop(image, job.size, job.focus)
        store(job.cache_file, encode(cropped, "jpeg", job.quality, exif))
        return 1
    if isinstance(job, CardJob):
        card = render_card(job.title, job.kicker, job.brand, job.footer, job.fonts,
                           dict(job.colours), job.size)
        store(job.cache_file, encode(card, "jpeg", job.quality))
        return 1
    raise TypeError(f"unknown job {job!r}")
