"""Body images become `<picture>` while Markdown is rendered (never by patching written HTML).

`![Alt text](images/x.jpg "Credit")` alone in its paragraph becomes
`<figure class="body-image"><picture>…</picture><figcaption>Credit</figcaption></figure>`;
an image inside a sentence becomes an inline `<picture>`; a link to an image
(`[la photo en grand](images/x.jpg)`) leads to its largest stripped JPEG, never
to the original file.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from pelican.readers import MarkdownReader

from .planning import ResponsiveImage, plan_image, resolve_source
from .processing import ImageReadError
from .settings import read_settings

BODY_SIZES = "(min-width: 44rem) 42rem, 100vw"
EXTENSION = __name__  # its name in the MARKDOWN setting's extension_configs


def picture_element(image: ResponsiveImage, alt: str, sizes: str) -> ET.Element:
    picture = ET.Element("picture")
    for source in image.sources:
        ET.SubElement(picture, "source", {"type": source.type, "srcset": source.srcset, "sizes": sizes})
    ET.SubElement(picture, "img", {
        "src": image.src, "srcset": image.srcset, "sizes": sizes,
        "width": str(image.width), "height": str(image.height), "alt": alt,
        "loading": "lazy", "decoding": "async",
    })
    return picture


class PictureTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, resolve: Callable[[str], str | None],
                 plan: Callable[[str], ResponsiveImage], found: list[str], problems: list[str],
                 sizes: str) -> None:
        super().__init__(md)
        self.resolve, self.plan, self.found, self.problems, self.sizes = resolve, plan, found, problems, sizes

    def run(self, root: ET.Element) -> None:
        self.link_images(root)
        pairs = [(parent, child) for parent in root.iter() for child in parent if child.tag == "img"]
        for parent, img in pairs:
            image = self.image(img.get("src", ""))
            if image is None:
                continue
            picture = picture_element(image, img.get("alt", ""), self.sizes)
            extra = {k: v for k, v in img.attrib.items() if k not in ("src", "alt", "title")}
            picture[-1].attrib.update(extra)  # on its <img>, the last child: attr_list's {: .class } survives
            caption = img.get("title")
            alone = (parent.tag == "p" and len(parent) == 1 and not (parent.text or "").strip()
                     and not (img.tail or "").strip())
            if alone:
                parent.tag = "figure"
                parent.set("class", "body-image")
                parent.text = None
                parent.remove(img)
                parent.append(picture)
                if caption:
                    ET.SubElement(parent, "figcaption", {"class": "credit"}).text = caption
            else:
                picture.tail = img.tail
                index = list(parent).index(img)
                parent.remove(img)
                parent.insert(index, picture)


    def image(self, src: str) -> ResponsiveImage | None:
        """The plan of a local content image (noted as found), None for anything else."""
        relative = self.resolve(src)
        if relative is None:
            return None
        try:
            image = self.plan(relative)
        except ImageReadError as error:
            self.problems.append(f"image « {relative} » : {error}")
            return None
        if relative not in self.found:
            self.found.append(relative)
        return image

    def link_images(self, root: ET.Element) -> None:
        for link in root.iter("a"):
            image = self.image(link.get("href", ""))
            if image is not None:
                link.set("href", image.full)


class PictureExtension(Extension):
    def __init__(self, resolve: Callable[[str], str | None], plan: Callable[[str], ResponsiveImage],
                 found: list[str], problems: list[str], sizes: str = BODY_SIZES) -> None:
        self.picture_args = (resolve, plan, found, problems, sizes)
        super().__init__()

    def extendMarkdown(self, md: Markdown) -> None:
        # After "inline" (which makes the <img>) and "attr_list" (8, its {: .class }).
        md.treeprocessors.register(PictureTreeprocessor(md, *self.picture_args), "transfo_picture", 7)


@dataclass(frozen=True)
class BodyImages:
    """One file's body images: how to find and plan them, and what was found."""

    resolve: Callable[[str], str | None]
    plan: Callable[[str], ResponsiveImage]
    found: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


# The file Pelican's Markdown reader is reading: set by `PictureMarkdownReader.read` around
# Pelican's own `read`, for that call only (never left set), so the extension named in the
# MARKDOWN setting finds which file its images are relative to and where to note them.
_reading: ContextVar[BodyImages | None] = ContextVar("transfo_images_reading", default=None)


class ReadingPictureExtension(Extension):
    """The picture extension for the file being read (`transfo_images.markdown_ext` in MARKDOWN).

    Pelican makes a Markdown instance per file from the MARKDOWN setting; outside a
    file read (any other Markdown rendered with those settings) it adds nothing.
    """

    def extendMarkdown(self, md: Markdown) -> None:
        body = _reading.get()
        if body is not None:
            PictureExtension(body.resolve, body.plan, body.found, body.problems).extendMarkdown(md)


def makeExtension(**kwargs: Any) -> ReadingPictureExtension:
    return ReadingPictureExtension(**kwargs)


class PictureMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, reading with the picture extension of the MARKDOWN setting.

    The body images found are returned as `transfo_body_images` metadata, so the
    image plugin encodes and publishes their derivatives.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if EXTENSION not in self.settings["MARKDOWN"]["extensions"]:
            from transfo_config.plugin import ConfigError  # it imports every plugin's settings

            raise ConfigError([f"MARKDOWN : l'extension « {EXTENSION} » manque dans extension_configs ; "
                               "attendu : elle y est (pelicanconf.py), pour publier les images des textes"])
        self.images = read_settings(self.settings)

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        body = BodyImages(
            resolve=partial(resolve_source, content_root=self.images.content_root,
                            source_dir=Path(source_path).resolve().parent),
            plan=partial(plan_image, self.images),
        )
        reading = _reading.set(body)
        try:
            content, metadata = super().read(source_path)
        finally:
            _reading.reset(reading)
        if body.found:
            metadata["transfo_body_images"] = tuple(body.found)
        if body.problems:
            metadata["transfo_image_problems"] = tuple(body.problems)
        return content, metadata
