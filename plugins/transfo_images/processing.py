"""Pure Pillow operations: orient, resize, crop at a focal point, encode, draw share cards.

Everything here takes plain data and returns data; `run_job` is the unit of
work sent to the encoding processes, so jobs are small picklable dataclasses.
"""

from __future__ import annotations

import html
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

# Bump when the output of the pipeline changes: every cached file is then re-encoded.
PIPELINE_VERSION = "3"

ORIENTATION, ARTIST, COPYRIGHT = 0x0112, 0x013B, 0x8298
KEPT_EXIF_TAGS = (ARTIST, COPYRIGHT)
_FOCUS = re.compile(r"^\s*(\d{1,3}(?:[.,]\d+)?)\s*%\s*[ ,;]?\s*(\d{1,3}(?:[.,]\d+)?)\s*%\s*$")
_TAGS = re.compile(r"<[^>]+>")


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


def as_focus(value) -> Focus:
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
    if isinstance(error, FileNotFoundError):
        return "fichier introuvable"
    if isinstance(error, UnidentifiedImageError):
        return "fichier illisible : ce n'est pas une image reconnue (corrompu ?)"
    return f"image corrompue ou tronquée ({error})"


def oriented_size(path: Path) -> tuple[int, int]:
    """Width and height as displayed, once the EXIF orientation is applied (header only)."""
    try:
        with Image.open(path) as image:
            width, height = image.size
            if image.getexif().get(ORIENTATION) in (5, 6, 7, 8):
                return height, width
            return width, height
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise ImageReadError(describe_error(error)) from None


def check_decodable(path: Path) -> None:
    """Decode the image (at reduced scale for JPEG, which is fast); ImageReadError if corrupt."""
    try:
        with Image.open(path) as image:
            image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
            image.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
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


def load(path: Path) -> tuple[Image.Image, Image.Exif]:
    """The image upright (EXIF orientation applied) and the EXIF tags we keep."""
    try:
        with Image.open(path) as opened:
            exif = opened.getexif()
            kept = Image.Exif()
            for tag in KEPT_EXIF_TAGS:
                if exif.get(tag):
                    kept[tag] = exif[tag]
            image = ImageOps.exif_transpose(opened)
            image.load()
            icc = opened.info.get("icc_profile")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise ImageReadError(describe_error(error)) from None
    image.info = {"icc_profile": icc} if icc else {}
    return image, kept


def resize(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    if image.size == size:
        return image
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def focus_crop(image: Image.Image, target: tuple[int, int], focus: Focus) -> Image.Image:
    return resize(image.crop(crop_box(image.size, target, focus)), target)


def _flatten(image: Image.Image, background=(255, 255, 255)) -> Image.Image:
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, background)
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB") if image.mode != "RGB" else image


def _web_mode(image: Image.Image) -> Image.Image:
    if image.mode in ("RGB", "RGBA"):
        return image
    return image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB")


def encode(image: Image.Image, fmt: str, quality: int, exif: Image.Exif | None = None) -> bytes:
    """Encode for the web: only Artist/Copyright EXIF tags and the colour profile survive."""
    options = {"quality": quality}
    if exif is not None and len(exif):
        options["exif"] = exif.tobytes()
    icc = image.info.get("icc_profile")
    if icc:
        options["icc_profile"] = icc
    if fmt == "jpeg":
        image = _flatten(image)
        options.update(optimize=True, progressive=True)
        pillow_format = "JPEG"
    elif fmt == "webp":
        image = _web_mode(image)
        options.update(method=2)  # a third of the time of the default 4, about the same size
        pillow_format = "WEBP"
    elif fmt == "avif":
        image = _web_mode(image)
        options.update(speed=8)
        pillow_format = "AVIF"
    else:
        raise ValueError(f"unknown format {fmt!r}")
    buffer = io.BytesIO()
    image.save(buffer, pillow_format, **options)
    return buffer.getvalue()


def store(path: Path, data: bytes) -> None:
    """Write a cache file atomically: a crashed build never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)


# --- share cards -----------------------------------------------------------------------------

def _hex(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def plain(text: str) -> str:
    """Titles may carry markup or entities; a card shows plain text."""
    return " ".join(html.unescape(_TAGS.sub("", text or "")).split())


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


def fit_title(text: str, font_path: Path, width: int, height: int, max_lines: int = 4):
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
                  font: ImageFont.FreeTypeFont, tile, arrow) -> float:
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


@dataclass(frozen=True)
class CropJob:
    """A share image cropped from a lead image at its focal point."""

    source: Path
    focus: Focus
    size: tuple[int, int]
    quality: int
    cache_file: Path


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


def run_job(job) -> int:
    """Do one job; the number of files encoded. ImageReadError when the source is unreadable."""
    if isinstance(job, DerivativeJob):
        image, exif = load(job.source)
        written = 0
        resized: dict[int, Image.Image] = {}
        for output in sorted(job.outputs, key=lambda o: -o.width):
            if output.width not in resized:
                resized[output.width] = resize(image, (output.width, output.height))
                resized[output.width].info = image.info
            store(output.cache_file, encode(resized[output.width], output.fmt, output.quality, exif))
            written += 1
        return written
    if isinstance(job, CropJob):
        image, exif = load(job.source)
        cropped = focus_crop(image, job.size, job.focus)
        cropped.info = image.info
        store(job.cache_file, encode(cropped, "jpeg", job.quality, exif))
        return 1
    if isinstance(job, CardJob):
        card = render_card(job.title, job.kicker, job.brand, job.footer, job.fonts,
                           dict(job.colours), job.size)
        store(job.cache_file, encode(card, "jpeg", job.quality))
        return 1
    raise TypeError(f"unknown job {job!r}")
