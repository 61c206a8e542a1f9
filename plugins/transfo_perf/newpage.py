"""The page of a file added since the last build, from the one generator that reads it.

A plugin's generator offers it itself (`transfo_common.contents.NewPage`);
Pelican's article and page generators are read here the way their own
`generate_context` reads a file, through `Readers.read_file` and the settings
that choose their files.
"""

from __future__ import annotations

import os
from typing import Protocol, runtime_checkable

from pelican import signals
from pelican.contents import Article, Page, SkipStub
from pelican.generators import ArticlesGenerator, Generator, PagesGenerator
from transfo_common.contents import NewPage
from transfo_publication.api import build_now
from transfo_validation.plugin import typed_reads


@runtime_checkable
class ReadsNewFiles(Protocol):
    def reads_file(self, path: str) -> bool: ...

    def page_for_new_file(self, path: str) -> NewPage | None: ...


def page_for(generators: list[Generator], path: str) -> tuple[int, NewPage] | str:
    """(index of the generator that reads `path`, the page it gives the file), or why there is none
    to show before a full build."""
    readers = [(index, generator) for index, generator in enumerate(generators)
               if _reads(generator, os.path.relpath(path, generator.path))]
    if len(readers) != 1:
        return "nouveau fichier qu'aucun générateur ne sait rendre seul" if not readers \
            else "nouveau fichier lu par plusieurs générateurs"
    index, generator = readers[0]
    relative = os.path.relpath(path, generator.path)
    with typed_reads(generator.context):
        page = _pelican_page(generator, relative) if isinstance(generator, (ArticlesGenerator, PagesGenerator)) \
            else generator.page_for_new_file(relative)  # `_reads` checked it has it
    if page is None:
        return "nouveau fichier sans page publiée (brouillon, programmé ou refusé)"
    return index, page


def _reads(generator: Generator, relative: str) -> bool:
    if relative.startswith(os.pardir + os.sep):
        return False
    if isinstance(generator, ArticlesGenerator):
        return relative in generator.get_files(generator.settings["ARTICLE_PATHS"],
                                               exclude=generator.settings["ARTICLE_EXCLUDES"])
    if isinstance(generator, PagesGenerator):
        return relative in generator.get_files(generator.settings["PAGE_PATHS"],
                                               exclude=generator.settings["PAGE_EXCLUDES"])
    return isinstance(generator, ReadsNewFiles) and generator.reads_file(relative)


def _pelican_page(generator: ArticlesGenerator | PagesGenerator, relative: str) -> NewPage | None:
    """The file read as Pelican's generator reads it, and its page as `generate_output` asks for it;
    None unless it is published now."""
    if isinstance(generator, ArticlesGenerator):
        article = generator.readers.read_file(
            base_path=generator.path, path=relative, content_class=Article, context=generator.context,
            preread_signal=signals.article_generator_preread, preread_sender=generator,
            context_signal=signals.article_generator_context, context_sender=generator)
        if isinstance(article, SkipStub) or not article.is_valid() or article.status != "published" \
                or article.date > build_now(generator.settings):  # scheduled: held back (transfo_publication)
            return None
        return NewPage(article, article.save_as, article.template,
                       {"article": article, "category": getattr(article, "category", None), "blog": True})
    page = generator.readers.read_file(
        base_path=generator.path, path=relative, content_class=Page, context=generator.context,
        preread_signal=signals.page_generator_preread, preread_sender=generator,
        context_signal=signals.page_generator_context, context_sender=generator)
    if isinstance(page, SkipStub) or not page.is_valid() or page.status != "published":
        return None
    return NewPage(page, page.save_as, page.template, {"page": page})
