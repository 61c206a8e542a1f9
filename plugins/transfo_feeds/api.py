"""What other plugins may use of the feeds: their own Atom feed, beside the site's feeds.

Dossiers and offers publish feeds of their own: they take its address here, build its entries
(`article_entry` for articles, `FeedEntry` for anything else) and write it with `write_atom`, so
every feed of the site shares one folder, one language and one way of writing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from transfo_common.files import write_if_changed
from transfo_images.api import published_copy

from .feeds import FeedEntry, FeedMeta, enclosure_for, render_atom
from .settings import FeedSettings
from .settings import read_settings as feed_settings

__all__ = ["FeedAddress", "FeedEntry", "FeedMeta", "FeedSettings", "article_entry", "feed_address",
           "feed_settings", "write_atom"]


@dataclass(frozen=True)
class FeedAddress:
    """Where one feed is published: its absolute URL, and its path below the output folder."""

    url: str
    path: str


def feed_address(settings: dict, file_name: str) -> FeedAddress:
    """The address of the feed `file_name` (e.g. "offres.atom.xml") in the feeds' folder."""
    cfg = feed_settings(settings)
    path = f"{cfg.folder}/{file_name}"
    return FeedAddress(f"{cfg.public_url}/{path}", path)


def article_entry(article: Any, public_url: str, context: dict) -> FeedEntry:
    """A feed entry for an article: chapô, authors, rubric and tags, lead image (its stripped
    copy, never the original)."""
    url = f"{public_url}/{article.url}"
    enclosure = None
    image = published_copy(context, getattr(article, "image", None), str(article.source_path))
    if image:
        enclosure = enclosure_for(image.url, image.length)
    return FeedEntry(
        url=url,
        title=article.title,
        summary_html=str(article.summary),
        published=article.date,
        updated=getattr(article, "modified", None) or article.date,
        authors=tuple(a.name for a in getattr(article, "authors", ())),
        categories=(article.category.name, *(t.name for t in getattr(article, "tags", ()))),
        enclosure=enclosure,
    )


def write_atom(output_path: str | Path, address: FeedAddress, meta: FeedMeta) -> None:
    """Write the Atom document of `meta` at `address`, only when its bytes changed."""
    write_if_changed(Path(output_path) / address.path, render_atom(meta))
