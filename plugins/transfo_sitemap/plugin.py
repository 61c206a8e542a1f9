"""Collect every page Pelican writes, then write the sitemap after them.

The generator must come last among page-writing generators: list
`transfo_sitemap` last in PLUGINS.
"""

from __future__ import annotations

from pathlib import Path

from pelican import Pelican, signals
from pelican.generators import Generator
from pelican.writers import Writer
from transfo_common.files import write_if_changed
from transfo_common.urls import public_url

from .settings import EXCLUDE
from .sitemap import SitemapEntry, is_indexable, last_modified, page_url, render_robots, render_sitemap

WRITTEN_PAGES_KEY = "sitemap_written_pages"


class SitemapGenerator(Generator):
    def generate_context(self) -> None:
        # A list shared by every page's local context (they are shallow copies).
        self.context[WRITTEN_PAGES_KEY] = []

    def generate_output(self, writer: Writer) -> None:
        entries = self.context[WRITTEN_PAGES_KEY]
        output = Path(self.output_path)
        write_if_changed(output / "sitemap.xml", render_sitemap(entries))
        write_if_changed(output / "robots.txt", render_robots(public_url(self.settings)))


def record_page(path: str, context: dict | None = None) -> None:
    """content_written receiver: remember indexable pages for the sitemap."""
    if context is None or WRITTEN_PAGES_KEY not in context:
        return
    output_file = context.get("output_file", "")
    excluded = EXCLUDE.value(context)
    if output_file not in excluded and is_indexable(output_file, context):
        context[WRITTEN_PAGES_KEY].append(
            SitemapEntry(page_url(public_url(context), output_file), last_modified(context))
        )


def get_generators(_pelican: Pelican) -> type[Generator]:
    return SitemapGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)
    signals.content_written.connect(record_page)

