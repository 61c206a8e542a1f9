"""Pelican signal handlers: thin glue between Pelican and the image library."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence

from pelican import Pelican, signals
from pelican.contents import Content, Static
from pelican.generators import Generator
from pelican.readers import Readers
from pelican.writers import Writer
from transfo_common import reads
from transfo_validation import signals as validation_signals
from transfo_validation.check import display_path
from transfo_validation.problems import Problem
from transfo_validation.schema import Document
from transfo_validation.signals import content_kinds, cross_checks

from .api import CONTEXT_KEY
from .fields import image_extensions
from .library import ImageLibrary
from .markdown_ext import PictureMarkdownReader
from .settings import read_settings
from .sources import ACCEPTED_SUFFIXES, content_links, image_folder_problems


def library_of(context: dict) -> ImageLibrary:
    return context[CONTEXT_KEY]  # put there by install(), at the first generator_init


def install(generator: Generator) -> None:
    """One library per build, shared by every generator through the build's context."""
    context = generator.context
    if CONTEXT_KEY not in context:
        context[CONTEXT_KEY] = ImageLibrary(generator.settings)
    library = library_of(context)
    env = getattr(generator, "env", None)
    if env is None:
        return
    env.globals.update(
        responsive=library.responsive,
        share_image=library.share_image,
        image_focus=library.image_focus,
    )


def check_content_files(_documents: Mapping[str, list[Document]], settings: dict) -> list[Problem]:
    """Links of content/ and files of the image folders, checked before anything is built."""
    cfg = read_settings(settings)
    return [*content_links(cfg.content_root, display_path),
            *image_folder_problems(cfg.content_root, cfg.image_folders, display_path)]


def use_picture_reader(readers: Readers) -> None:
    for extension in PictureMarkdownReader.file_extensions:
        if extension in readers.reader_classes:
            readers.reader_classes[extension] = PictureMarkdownReader


def published_content(generators: Iterable[Generator], exclude: Iterable[Content] = ()) -> list[Content]:
    """Every content object the build will publish (drafts and held-back articles left out)."""
    excluded = {id(obj) for obj in exclude}
    found: dict[int, Content] = {}
    for generator in generators:
        for value in vars(generator).values():
            if not isinstance(value, (list, tuple)):
                continue
            for item in value:
                if (isinstance(item, Content) and not isinstance(item, Static)
                        and getattr(item, "status", "published") != "draft"
                        and id(item) not in excluded):
                    found[id(item)] = item
    return list(found.values())


def prepare(generators: Sequence[Generator]) -> None:
    """After every generator read its content: encode what it needs, on every core."""
    context = generators[0].context
    objects = published_content(generators, exclude=context.get("scheduled_articles", ()))
    library_of(context).prepare(objects, home_title=context.get("SITESUBTITLE") or "")


class ImagesGenerator(Generator):
    """Publishes the derivatives of body images; template images publish themselves."""

    def generate_context(self) -> None:
        pass

    def generate_output(self, writer: Writer) -> None:
        library = library_of(self.context)
        library.publish_pending()
        library.report()


def get_generators(_pelican: Pelican) -> type[Generator]:
    return ImagesGenerator


def output_paths(settings: dict) -> list[str]:
    return [read_settings(settings).output_dir + "/"]


def register() -> None:
    validation_signals.output_paths.connect(output_paths)
    # The image summary ("N fichier(s) encodé(s)…") and progress are INFO lines that
    # editors should see even when a build is not verbose; they are never warnings,
    # so publish builds (--fatal warnings) are unaffected.
    logging.getLogger(__package__).setLevel(logging.INFO)
    # The library notes each image a page shows (`ImageLibrary.plan`); a body's images are in
    # the body its reader returns. A changed image renders again only the pages showing it.
    reads.declare(ACCEPTED_SUFFIXES)
    content_kinds.connect(image_extensions)
    cross_checks.connect(check_content_files)
    signals.readers_init.connect(use_picture_reader)
    signals.generator_init.connect(install)
    signals.all_generators_finalized.connect(prepare)
    signals.get_generators.connect(get_generators)
