"""What other plugins may use of the images: the build's image library and its published copies.

One `ImageLibrary` lives in each build's context, from `generator_init` on; these functions are
the only way other plugins reach it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .library import ImageLibrary, PublishedImage
from .processing import ImageReadError

CONTEXT_KEY = "transfo_images"

__all__ = ["EmailImage", "ImageLibrary", "PublishedImage", "email_image", "image_library", "published_copy"]


@dataclass(frozen=True)
class EmailImage:
    """The JPEG derivative an email shows: its path on the site, and its file once encoded."""

    output_rel: str
    file: Path | None


def image_library(context: dict) -> ImageLibrary | None:
    """The build's image library; None when this plugin is not registered."""
    return context.get(CONTEXT_KEY)


def published_copy(context: dict, image: str | None, owner: str = "") -> PublishedImage | None:
    """The stripped copy to offer instead of the original `image` (a path below content/),
    published with the build; None without an image or without this plugin, so an original
    is never linked as it is."""
    library = image_library(context)
    return library.published_copy(image, owner) if library is not None and image else None


def email_image(library: ImageLibrary, image: str, width: int) -> EmailImage | None:
    """The narrowest JPEG derivative of `image` at least `width` px wide (else the widest);
    None when the image cannot be read. Every derivative of a lead image is published with
    its article page, so its URL exists once the site is."""
    try:
        plan = library.plan(image.lstrip("/"))
    except ImageReadError:
        return None
    jpegs = sorted((d for d in plan.derivatives if d.fmt == "jpeg"), key=lambda d: d.width)
    if not jpegs:
        return None
    chosen = next((d for d in jpegs if d.width >= width), jpegs[-1])
    return EmailImage(chosen.output_rel, chosen.cache_file if chosen.cache_file.is_file() else None)
