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
from functools import partial
from pathlib import Path

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open

from .planning import ResponsiveImage, plan_image, resolve_source
from .processing import ImageReadError
from .settings import read_settings

BODY_SIZES = "(min-width: 44rem) 42rem, 100vw"


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
    def __init__(self, md, resolve: Callable[[str], str | None], plan: Callable[[str], ResponsiveImage],
                 found: list[str], problems: list[str], sizes: str):
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
    def __init__(self, resolve, plan, found, problems, sizes=BODY_SIZES):
        self._args = (resolve, plan, found, problems, sizes)
        super().__init__()

    def extendMarkdown(self, md):
        # After "inline" (which makes the <img>) and "attr_list" (8, its {: .class }).
        md.treeprocessors.register(PictureTreeprocessor(md, *self._args), "transfo_picture", 7)


class PictureMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader plus the picture extension, which needs the file's folder.

    The body images found are returned as `transfo_body_images` metadata, so the
    image plugin encodes and publishes their derivatives.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._images = read_settings(self.settings)

    def read(self, source_path):
        found: list[str] = []
        problems: list[str] = []
        extension = PictureExtension(
            resolve=partial(resolve_source, content_root=self._images.content_root,
                            source_dir=Path(source_path).resolve().parent),
            plan=partial(plan_image, self._images),
            found=found,
            problems=problems,
        )
        self._source_path = source_path
        options = dict(self.settings["MARKDOWN"])
        options["extensions"] = [*options.get("extensions", ()), extension]
        self._md = Markdown(**options)
        with pelican_open(source_path) as text:
            content = self._md.convert(text)
        metadata = self._parse_metadata(self._md.Meta) if hasattr(self._md, "Meta") else {}
        if found:
            metadata["transfo_body_images"] = tuple(found)
        if problems:
            metadata["transfo_image_problems"] = tuple(problems)
        return content, metadata
