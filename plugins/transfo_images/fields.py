"""The `Image_focus` field and the image checks added to the content schema."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from transfo_validation.fields import Field, FieldError, ParseContext, digit, other_digits, space
from transfo_validation.problems import Problem
from transfo_validation.schema import Document, KindExtension

from .planning import candidates, file_hash, has_derivatives, looks_like_image, resolve_source
from .processing import Focus, ImageReadError, check_decodable, oriented_size, parse_focus
from .settings import SHARE_SIZE, cache_folder, max_pixels

_BODY_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
EXPECTED_IMAGE = "une image JPEG, PNG ou WebP valide"
# A lead image becomes the share card (SHARE_SIZE) and the top of its page. Below a fifth of the
# card in either direction, the card would be blown up more than five times: a 1 x 1 pixel, an
# icon or a small thumbnail made into a blur on Facebook. Phone photos are ten times larger.
CARD_UPSCALE_LIMIT = 5
LEAD_MIN_SIZE = tuple(-(-side // CARD_UPSCALE_LIMIT) for side in SHARE_SIZE)


@dataclass(frozen=True)
class FocusPoint(Field):
    """`30% 40%`: the point of the image to keep in every crop (horizontal, then vertical)."""

    expected = "deux pourcentages de 0 à 100 %, horizontal puis vertical (ex. 30% 40%)"

    @property
    def value_pattern(self) -> str:
        # processing._FOCUS, each number at most 100 once float() reads it: 100 with zeros after the
        # point, or with so little more (from the 15th decimal) that float() rounds it to 100; up to
        # 100.0000000000000079 here, looser than the check beyond 100.00000000000000710 (and for
        # digits of other scripts, see other_digits).
        d, zero, s = digit(), digit(0, 0), space()
        decimals = f"[.,]{d}+"
        hundred = f"1{zero}{{2}}(?:[.,](?:{zero}+|{zero}{{14}}{digit(0, 7)}{d}*))?"
        number = f"(?:{d}{{1,2}}(?:{decimals})?|{zero}{d}{{2}}(?:{decimals})?|{hundred})"
        return f"{number}{s}*%{s}*[ ,;]?{s}*{number}{s}*%|{other_digits('.,%; ')}"

    def convert(self, value: str, context: ParseContext) -> Focus:
        try:
            return parse_focus(value)
        except ValueError:
            raise FieldError(f"« {value} » ; attendu : {self.expected}") from None


def focus_needs_image(doc: Document) -> Iterator[Problem]:
    if "image_focus" in doc.values and "image" not in doc.values:
        yield doc.problem("image_focus", "point focal sans image ; attendu : un champ Image")


def check_image(path: Path, cache_path: Path, max_pixels: int) -> None:
    """ImageReadError unless the image decodes within the pixel limit. Decoding every image
    takes most of a first validation; an image whose derivatives the cache holds decoded when
    they were encoded, and hashing it costs a fifth of decoding it."""
    try:
        if has_derivatives(cache_path, file_hash(path)):
            return
    except OSError:
        pass  # missing or unreadable: check_decodable says which, in French
    check_decodable(path, max_pixels)


def lead_image_decodes(doc: Document, content_root: Path, cache_path: Path, max_pixels: int) -> Iterator[Problem]:
    """A lead image that exists (ImagePath checked it) must also decode, and be large enough
    for its share card (LEAD_MIN_SIZE, read from the header)."""
    relative = doc.values.get("image")
    if not relative:
        return
    path = doc.depends_on(content_root / relative)
    try:
        check_image(path, cache_path, max_pixels)
        width, height = oriented_size(path, max_pixels)
    except ImageReadError as error:
        yield doc.problem("image", f"« {relative} » : {error} ; attendu : {EXPECTED_IMAGE}")
        return
    least_width, least_height = LEAD_MIN_SIZE
    if width < least_width or height < least_height:
        yield doc.problem("image", f"« {relative} » : {width} × {height} pixels, trop petite pour la une et "
                          f"l'aperçu de partage ; attendu : au moins {least_width} × {least_height} pixels "
                          f"(idéalement {SHARE_SIZE[0]} × {SHARE_SIZE[1]} ou plus)")


def body_images_readable(doc: Document, content_root: Path, cache_path: Path, max_pixels: int) -> Iterator[Problem]:
    """Every local image of the body exists below content/ and decodes."""
    source_dir = Path(doc.path).resolve().parent
    for match in _BODY_IMAGE.finditer(doc.raw.body):
        src = match.group(1)
        if not looks_like_image(src):
            continue
        line = doc.raw.body_line + doc.raw.body.count("\n", 0, match.start())
        places = candidates(src, content_root, source_dir)
        for place in places:  # where the image is found, or not, decides the result
            doc.depends_on(place)
        relative = resolve_source(src, content_root, source_dir)
        if relative is None:
            if places:
                yield Problem(doc.path, "corps", f"image « {src} » introuvable ; attendu : le chemin "
                              "d'une image dans content/ (ex. images/photo.jpg)", line)
            continue
        try:
            check_image(doc.depends_on(content_root / relative), cache_path, max_pixels)
        except ImageReadError as error:
            yield Problem(doc.path, "corps", f"image « {relative} » : {error} ; "
                          f"attendu : {EXPECTED_IMAGE}", line)


def image_extensions(settings: dict, kinds: tuple[str, ...] = ("article", "page")) -> list[KindExtension]:
    """`Image_focus` and the decoding checks, for the kinds that have an `Image` field."""
    root = Path(settings.get("PATH", "content")).resolve()
    cache, limit = cache_folder(settings), max_pixels(settings)
    rules = (focus_needs_image,
             partial(lead_image_decodes, content_root=root, cache_path=cache, max_pixels=limit),
             partial(body_images_readable, content_root=root, cache_path=cache, max_pixels=limit))
    return [KindExtension(kind=kind, fields={"image_focus": FocusPoint()}, rules=rules)
            for kind in kinds]
